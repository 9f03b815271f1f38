/// Which cells changed since the last look: all of them once the clock moved (every cell's data age and OEE clocks
/// move with it), else the ones something happened to between two steps (telemetry, an action, an alarm act). A
/// snapshot rebuilds only those.
struct CellChanges {
    /// Every cell changed.
    private(set) var all = true
    /// The cells changed, when not all; each once.
    private(set) var cells: [Int] = []
    private var marked: [Bool]

    init(count: Int) {
        marked = Array(repeating: false, count: count)
    }

    /// Notes that cell `i` changed.
    @inline(__always)
    mutating func note(_ i: Int) {
        guard !all, !marked[i] else { return }
        marked[i] = true
        cells.append(i)
    }

    /// Notes that every cell changed.
    mutating func noteAll() { all = true }

    /// What changed since the last call; starts afresh.
    mutating func take() -> (all: Bool, cells: [Int]) {
        defer {
            for i in cells { marked[i] = false }
            cells.removeAll(keepingCapacity: true)
            all = false
        }
        return (all, all ? [] : cells)
    }
}
