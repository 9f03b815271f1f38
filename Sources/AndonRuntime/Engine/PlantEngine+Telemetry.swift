import AndonCore

/// What the engine keeps of an external telemetry stream: the epoch its clock runs from and what each cell reported.
struct ExternalFeed {
    /// Unix time of the engine's time zero: the UTC minute of the first message received.
    var epoch: Double?
    /// Messages received and applied.
    var accepted = 0
    /// Earliest and latest source timestamps applied, seconds since the Unix epoch.
    var firstTimestamp: Double?
    var lastTimestamp: Double?
    /// Each cell's last cumulative counters, and how many messages it sent.
    var lastCounters: [(produced: Int, scrap: Int)?] = []
    var messagesByCell: [Int] = []
}

extension PlantEngine {
    /// Switches the run to an external stream: every cell is stale until it first reports, and the clock follows
    /// the source timestamps from now on.
    public func useExternalTelemetry() {
        guard telemetrySource != .external else { return }
        telemetrySource = .external
        feed.lastCounters = Array(repeating: nil, count: twin.cellCount)
        feed.messagesByCell = Array(repeating: 0, count: twin.cellCount)
        twin.markAllUnreported()
    }

    /// Takes one message the door admitted: the clock first runs (agents, policy, approvals, audit) up to the time it
    /// was measured, then the message is applied whole and its frame delivered to the cell's agents.
    public func receive(_ message: ValidatedTelemetry) {
        useExternalTelemetry()
        let epoch = feed.epoch ?? {
            // The run's clock starts on the UTC minute of the first message, so minutes and shifts fall on real ones.
            let e = (message.timestamp / 60).rounded(.down) * 60 - time
            feed.epoch = e
            return e
        }()
        let sourceTime = message.timestamp - epoch
        advance(to: sourceTime)
        var parts: (produced: Int, scrap: Int)?
        if let counters = message.counters {
            if let last = feed.lastCounters[message.cellIndex] {
                // A counter below the last one means the source reset its counters: count from zero.
                let reset = counters.produced < last.produced || counters.scrap < last.scrap
                parts = reset ? counters : (counters.produced - last.produced, counters.scrap - last.scrap)
            }
            feed.lastCounters[message.cellIndex] = counters
        }
        twin.applyReported(message, at: sourceTime, parts: parts)
        dispatchOutbox()
        feed.accepted += 1
        feed.messagesByCell[message.cellIndex] += 1
        if feed.firstTimestamp == nil { feed.firstTimestamp = message.timestamp }
        feed.lastTimestamp = max(feed.lastTimestamp ?? message.timestamp, message.timestamp)
    }

    /// Ticks until the clock reaches `time`; a long silence is crossed in one step, keeping the last minute of ticks
    /// so timers and approvals see time pass.
    public func advance(to time: SimTime) {
        let gap = time - self.time
        if gap > 3600 { twin.advanceClock(dt: (gap - 60).rounded(.down)) }
        while self.time < time { tick() }
    }

    /// Lets agents act on what has been delivered since the last tick, without moving the clock: agents run, the
    /// policy decides, the record is committed and the actions it authorises run. A live stream calls this after each
    /// batch, so agents answer data as it arrives rather than at the next second's tick.
    public func settle() {
        runAgents()
        processDecisions()
        desk.commitAndExecute()
        dispatchOutbox()
    }

    /// The stream ended: agents act on the last messages and what is staged is committed.
    public func finishTelemetry() {
        settle()
        trail.commit()
    }

    /// Unix time of the engine's time zero, once a message has set it.
    public var telemetryEpoch: Double? { feed.epoch }
}
