/// The streams a link hands its snapshots or events to, each kept under an id so that it can be let go when its
/// reader goes away.
struct Subscribers<Element: Sendable> {
    private var continuations: [Int: AsyncStream<Element>.Continuation] = [:]
    private var lastID = 0

    /// Keeps `continuation`; returns the id to remove it by.
    mutating func add(_ continuation: AsyncStream<Element>.Continuation) -> Int {
        lastID += 1
        continuations[lastID] = continuation
        return lastID
    }

    /// Lets the stream `id` go.
    mutating func remove(_ id: Int) {
        continuations[id] = nil
    }

    /// Every stream kept, to yield to outside the lock that guards this.
    var all: [AsyncStream<Element>.Continuation] { Array(continuations.values) }
}
