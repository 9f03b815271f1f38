import AndonCore

/// Numbers and stamps every event of a run (telemetry included) with the twin's time and the cell it is about, so
/// that the engine, the governance desk and the ingest number one sequence between them.
final class EventStamper {
    private let twin: Twin
    /// Events stamped so far: the last sequence number given (kept by the twin, which numbers the telemetry frames
    /// nobody takes).
    var count: UInt64 { twin.eventCount }

    /// A stamper for events about `twin`'s cells.
    init(twin: Twin) {
        self.twin = twin
    }

    /// The next event: about cell `cell` (a twin index, or -1 for the plant), with `correlation` or its own sequence.
    func stamp(cell: Int, _ body: EventBody, correlation: CorrelationID? = nil) -> EventEnvelope {
        twin.eventCount += 1
        let count = twin.eventCount
        return EventEnvelope(sequence: count, time: twin.time, cell: cell >= 0 ? twin.cells[cell].spec.id : nil,
                             correlationID: correlation ?? CorrelationID(sequence: count), body: body)
    }

    /// The next event's sequence number, for an event that travels without an envelope (telemetry to agents).
    @inline(__always)
    func number() -> UInt64 {
        twin.eventCount += 1
        return twin.eventCount
    }

    /// The next event about the cell or line with this id (the plant when it is neither).
    func stamp(target: String, _ body: EventBody, correlation: CorrelationID? = nil) -> EventEnvelope {
        stamp(cell: twin.cellIndex[target] ?? -1, body, correlation: correlation)
    }

    /// The correlation id of a person's command: the sequence its first event will carry.
    var nextCommandCorrelation: CorrelationID { CorrelationID("cmd-\(count + 1)") }
}
