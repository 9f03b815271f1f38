/// Where a run's readings, counters and states come from.
public enum TelemetrySource: String, Sendable, Hashable, Codable {
    /// The twin simulates the plant: material flow, breakdowns, sensors.
    case simulator
    /// An external stream (a real plant, or a recording) reports them; the twin only keeps time and accounts.
    case external
}
