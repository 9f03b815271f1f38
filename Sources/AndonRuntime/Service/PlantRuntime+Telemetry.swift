import AndonCore

extension PlantRuntime {
    /// Takes a batch of telemetry lines (in input order) into an external-telemetry run, then publishes.
    /// Ignored when the runtime simulates its plant.
    public func ingest(lines: [String]) async {
        guard let ingest else { return }
        for line in lines { ingest.ingest(line: line) }
        ingest.settle()
        silentSeconds = 0
        markDirty()
        await flushEvents()
        publishSnapshot(force: false)
    }

    /// Sends every refused telemetry line to `handler` (the reject file), after it is counted.
    public func onTelemetryReject(_ handler: @escaping @Sendable (RejectedLine) -> Void) {
        ingest?.onReject = handler
    }

    /// The end of the telemetry input: commits what the audit trail holds. The clock keeps running, so the
    /// cells go stale on screen.
    public func finishTelemetry() async {
        ingest?.finish()
        markDirty()
        await flushEvents()
        publishSnapshot(force: true)
    }

    /// While the stream is silent, its clock follows the wall clock, so a source that stops goes STALE.
    func advanceSilentClock(by elapsed: Swift.Duration) async {
        guard let ingest, ingest.epoch != nil else { return }
        silentSeconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        // Data keeps the clock while it flows; only a pause longer than a second moves it.
        guard silentSeconds >= 2 else { return }
        ingest.advanceClock(to: ingest.engine.time + silentSeconds.rounded(.down) - 1)
        silentSeconds = 1
        markDirty()
        await flushEvents()
        publishSnapshot(force: false)
    }
}
