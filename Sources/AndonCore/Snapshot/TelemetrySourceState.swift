/// The state of a telemetry source, as the header shows it.
public enum TelemetrySourceState: String, Sendable, Hashable, Codable {
    /// Lines are coming.
    case reading
    /// A FIFO's writer closed it; waiting for the next writer to open it.
    case waitingForWriter = "waiting for a writer"
    /// The input ended (a file, or a pipe whose writer closed).
    case ended
    /// Reading failed.
    case failed
}

/// The telemetry source as the header shows it: its state and, in words, why.
public struct TelemetrySourceStatus: Sendable, Hashable, Codable {
    /// Reading, waiting for a FIFO's writer, ended or failed.
    public var state: TelemetrySourceState
    /// What it is, or what happened ("standard input", "end of /tmp/feed", "reading … failed: …").
    public var detail: String

    /// A status.
    public init(state: TelemetrySourceState, detail: String) {
        self.state = state
        self.detail = detail
    }
}
