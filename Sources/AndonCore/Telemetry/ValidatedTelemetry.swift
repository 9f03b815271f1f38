/// A message that passed every check, resolved to plant indices: applying it cannot fail.
public struct ValidatedTelemetry: Sendable {
    /// Index of the cell in ``PlantSpec/cells`` order.
    public var cellIndex: Int
    /// Readings as (sensor index in the cell, value).
    public var readings: [(sensor: Int, value: Double)]
    /// Cumulative produced and scrap counts, when reported.
    public var counters: (produced: Int, scrap: Int)?
    /// The reported state, when reported.
    public var state: PackMLState?
    /// The reported cause, when reported.
    public var reason: StateReason?
    /// Source timestamp, seconds since the Unix epoch.
    public var timestamp: Double
    /// The source and its sequence number.
    public var source: String
    /// Sequence number within the source.
    public var sequence: UInt64

    /// Creates a validated message.
    public init(cellIndex: Int, readings: [(sensor: Int, value: Double)], counters: (produced: Int, scrap: Int)?, state: PackMLState?,
                reason: StateReason?, timestamp: Double, source: String, sequence: UInt64) {
        self.cellIndex = cellIndex
        self.readings = readings
        self.counters = counters
        self.state = state
        self.reason = reason
        self.timestamp = timestamp
        self.source = source
        self.sequence = sequence
    }
}
