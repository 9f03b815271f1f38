import AndonCore

extension AuditRecord {
    /// One line for people (`andon audit tail`): sequence, wall time, sim time, actor, kind, and the payload cut to
    /// `payloadWidth` characters, e.g. `#12 2026-11-21T12:49:57.123Z sim 01:02:03 ana (supervisor) approval_approved {"cell":"B2"}`.
    /// Control characters in recorded text are shown as `?`, so a record cannot drive the reader's terminal.
    public func summaryLine(payloadWidth: Int = 60) -> String {
        let shortPayload = payload.count > payloadWidth ? payload.prefix(max(0, payloadWidth - 1)) + "…" : payload
        return TerminalText.printable("#\(sequence) \(wallTime) sim \(TimeText.clock(simTime)) \(actor) \(kind.rawValue) \(shortPayload)")
    }
}
