import AndonCore

/// Time accounting for OEE: per shift, over a rolling window of one-minute buckets, and per state for the report.
/// A cell runs while in Execute; a line's clock (``LineClock``) runs while none of its cells is down.
struct StateClock {
    /// Seconds spent in each PackML state over the whole run (indexed by `PackMLState.allCases` order).
    var secondsInState = [Double](repeating: 0, count: PackMLState.allCases.count)
    /// Shift accumulators.
    var shiftPlanned = 0.0, shiftRun = 0.0, shiftProduced = 0, shiftGood = 0
    /// Rolling window buckets (one per minute); the current minute's is ``current`` until the minute turns.
    var buckets: [Bucket]
    var bucketIndex = 0
    var bucketMinute = 0
    /// The current minute's bucket, kept in the clock rather than in ``buckets``: the figures a snapshot reads of
    /// every cell are then in the cell, not behind a pointer to another block of memory.
    var current = Bucket()
    /// The buckets other than the current one, summed when the minute turns: the window's totals are these plus the
    /// current bucket, read without walking the window (a snapshot reads every cell's, 10,000 of them).
    private(set) var closed = Bucket()

    struct Bucket {
        var planned = 0.0, run = 0.0, produced = 0, good = 0

        mutating func add(_ other: Bucket) {
            planned += other.planned; run += other.run; produced += other.produced; good += other.good
        }
    }

    /// The rolling window's totals: the closed buckets and the current one.
    var window: Bucket {
        var total = closed
        total.add(current)
        return total
    }

    init(windowMinutes: Int) {
        buckets = Array(repeating: Bucket(), count: max(1, windowMinutes))
    }

    static let stateIndex: [PackMLState: Int] = Dictionary(uniqueKeysWithValues: PackMLState.allCases.enumerated().map { ($1, $0) })

    mutating func advance(state: PackMLState, stateIndex: Int, dt: Double, now: SimTime) {
        secondsInState[stateIndex] += dt
        advance(isRunning: state == .execute, dt: dt, now: now)
    }

    /// Advances planned time by `dt`, and run time too when `isRunning`: a cell runs in Execute; a line is up while
    /// none of its cells is down.
    mutating func advance(isRunning: Bool, dt: Double, now: SimTime) {
        let minute = Int(now / 60)
        if minute != bucketMinute {
            buckets[bucketIndex] = current
            current = Bucket()
            let steps = min(buckets.count, minute - bucketMinute)
            for _ in 0..<steps {
                bucketIndex = (bucketIndex + 1) % buckets.count
                buckets[bucketIndex] = Bucket()
            }
            bucketMinute = minute
            var sum = Bucket()
            for b in buckets.indices where b != bucketIndex { sum.add(buckets[b]) }
            closed = sum
        }
        shiftPlanned += dt
        current.planned += dt
        if isRunning {
            shiftRun += dt
            current.run += dt
        }
    }

    mutating func count(good: Bool) {
        shiftProduced += 1
        current.produced += 1
        if good {
            shiftGood += 1
            current.good += 1
        }
    }

    mutating func startShift() {
        shiftPlanned = 0; shiftRun = 0; shiftProduced = 0; shiftGood = 0
    }

    func shiftOEE(idealCycle: Double) -> OEE {
        OEE.compute(plannedSeconds: shiftPlanned, runSeconds: shiftRun, idealCycleSeconds: idealCycle, produced: shiftProduced, good: shiftGood)
    }

    func rollingOEE(idealCycle: Double) -> OEE {
        let total = window
        return OEE.compute(plannedSeconds: total.planned, runSeconds: total.run, idealCycleSeconds: idealCycle, produced: total.produced, good: total.good)
    }
}
