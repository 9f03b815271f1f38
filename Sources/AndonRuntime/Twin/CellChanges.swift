/// Which cells changed since the last look, and how. Once the twin steps (the simulator moves every cell), all of
/// them; once only its clock moved (external telemetry: a second passed), every cell's figures that go with time (data
/// age, staleness, OEE, the alarm rate) but nothing else; and the cells something happened to between two steps
/// (telemetry, an action, an alarm act). A snapshot rebuilds what these say and shares the rest.
struct CellChanges {
    /// Every cell changed.
    private(set) var all = true
    /// The clock moved: every cell's figures that go with time changed.
    private(set) var clock = false
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

    /// Notes that the clock moved.
    mutating func noteClock() { clock = true }

    /// What changed since the last call; starts afresh.
    mutating func take() -> (all: Bool, clock: Bool, cells: [Int]) {
        defer {
            for i in cells { marked[i] = false }
            cells.removeAll(keepingCapacity: true)
            all = false
            clock = false
        }
        return (all, clock, all ? [] : cells)
    }
}
