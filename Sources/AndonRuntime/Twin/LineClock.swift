import AndonCore

/// A line's OEE clock. Line OEE = availability × performance × quality, where
///
/// - availability is the time the line was up ÷ planned time; the line is up while none of its cells is down (held,
///   stopped, aborted, or on the way there or back: ``PackMLState/isDown``). A broken cell stops the line's clock at
///   once, however long its buffers keep the last cell busy; a starved or blocked cell is not down (that loss shows in
///   performance);
/// - performance is the line's ideal cycle (its slowest cell's design cycle) × parts out of the last cell ÷ up time,
///   at most 100%;
/// - quality is good parts out ÷ parts out.
///
/// So, uncapped, line OEE is good parts out × ideal cycle ÷ planned time. The line's up or down is set by the twin
/// before each advance (``isUp``); whatever state a caller passes is the last cell's, and is not what counts.
struct LineClock {
    /// The accounting.
    var clock: StateClock
    /// True while none of the line's cells is down.
    var isUp = true

    init(windowMinutes: Int) { clock = StateClock(windowMinutes: windowMinutes) }

    /// Advances planned time, and up time while the line is up.
    mutating func advance(state _: PackMLState, stateIndex _: Int, dt: Double, now: SimTime) {
        clock.advance(isRunning: isUp, dt: dt, now: now)
    }

    /// Counts a part out of the last cell.
    mutating func count(good: Bool) { clock.count(good: good) }

    /// Counts several parts out of the last cell.
    mutating func count(produced: Int, good: Int) { clock.count(produced: produced, good: good) }

    /// Starts a new shift.
    mutating func startShift() { clock.startShift() }

    /// The rolling window's totals.
    var window: StateClock.Bucket { clock.window }

    /// Line OEE over the shift so far.
    func shiftOEE(idealCycle: Double) -> OEE { clock.shiftOEE(idealCycle: idealCycle) }

    /// Line OEE over the rolling window.
    func rollingOEE(idealCycle: Double) -> OEE { clock.rollingOEE(idealCycle: idealCycle) }
}

extension Twin {
    /// Notes for every line whether it is up: none of its cells down.
    func noteLinesUp() {
        for l in lines.indices { lines[l].clock.isUp = !lines[l].cells.contains { cells[$0].state.isDown } }
    }
}
