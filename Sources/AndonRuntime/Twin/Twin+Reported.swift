import AndonCore

extension Twin {
    /// External mode's step: time, shifts and OEE accounting advance with each cell in the state last reported.
    /// Nothing moves, no sensor is simulated and no state changes by itself: only reported data does that.
    func advanceClock(dt: Double) {
        moveClock(by: dt)
        for l in lines.indices {
            for i in lines[l].cells {
                cells[i].clock.advance(state: cells[i].state, stateIndex: cells[i].stateIndex, dt: dt, now: time)
            }
            let last = lines[l].cells.upperBound - 1
            lines[l].clock.advance(state: cells[last].state, stateIndex: cells[last].stateIndex, dt: dt, now: time)
        }
    }

    /// Marks every cell as never reported: stale until its first message.
    func markAllUnreported() {
        changes.noteAll()
        for i in cells.indices { cells[i].lastTelemetry = time - Self.unreportedAge }
    }

    /// The data age a cell that never reported shows (about 11.6 days).
    static let unreportedAge = 1_000_000.0

    /// Applies a validated message measured at twin time `sourceTime`, all of it, then queues its frame for agents.
    /// `parts` are the parts made since the cell's previous counter report (nil: none reported, or the first report).
    func applyReported(_ message: ValidatedTelemetry, at sourceTime: SimTime, parts: (produced: Int, scrap: Int)?) {
        let i = message.cellIndex
        changes.note(i)
        for (s, value) in message.readings {
            cells[i].values[s] = value
            cells[i].process[s] = value
        }
        if let counters = message.counters {
            cells[i].produced = counters.produced
            cells[i].scrap = counters.scrap
            cells[i].good = counters.produced - counters.scrap
        }
        if let parts { countParts(i, produced: parts.produced, scrap: parts.scrap) }
        if let state = message.state {
            adoptReportedState(i, state, reason: message.reason)
        } else if let reason = message.reason {
            cells[i].reason = reason
        }
        if !message.readings.isEmpty { cells[i].recordHistory() }
        evaluateAlarms(i, running: cells[i].state == .execute)
        cells[i].lastTelemetry = max(cells[i].lastTelemetry, sourceTime)
        queueTelemetry(i) {
            TelemetryFrame(cell: cells[i].spec.id, readings: cells[i].values, sourceTime: sourceTime, produced: cells[i].produced,
                           scrap: cells[i].scrap, state: cells[i].state)
        }
    }

    /// Takes the state the plant reports, as reported: the plant is the authority, and a sampled stream may skip
    /// the short acting states in between, so a jump that is not one legal PackML step is recorded as it came.
    private func adoptReportedState(_ i: Int, _ next: PackMLState, reason: StateReason?) {
        let from = cells[i].state
        let newReason = reason ?? (next == from ? cells[i].reason : .none)
        guard next != from else {
            cells[i].reason = newReason
            return
        }
        cells[i].state = next
        cells[i].stateIndex = StateClock.stateIndex[next]!
        cells[i].reason = newReason
        cells[i].stateSince = time
        cells[i].transientLeft = 0
        cells[i].resumeAt = nil
        cells[i].autoRecover = false
        cells[i].timeline.append(StateSpan(state: next, reason: newReason, since: time))
        if cells[i].timeline.count > 16 { cells[i].timeline.removeFirst(cells[i].timeline.count - 16) }
        outbox.append((i, .stateChanged(StateChange(from: from, to: next, reason: newReason))))
    }

    private func countParts(_ i: Int, produced: Int, scrap: Int) {
        let good = max(0, produced - scrap)
        cells[i].clock.count(produced: produced, good: good)
        if cells[i].downstream == nil {
            lines[cells[i].lineIndex].finished += good
            lines[cells[i].lineIndex].clock.count(produced: produced, good: good)
        }
    }
}

extension StateClock {
    /// Counts several parts at once.
    mutating func count(produced: Int, good: Int) {
        shiftProduced += produced
        shiftGood += good
        current.produced += produced
        current.good += good
    }
}

extension Twin {
    /// The cause of cell `id`'s current state (`none` in Execute).
    public func reason(of id: String) -> StateReason? { cellIndex[id].map { cells[$0].reason } }
}
