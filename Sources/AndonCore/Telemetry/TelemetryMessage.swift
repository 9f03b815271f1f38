/// The version of the telemetry data contract (`docs/telemetry.md`, `docs/telemetry.schema.json`).
public let telemetrySchemaVersion = 1

/// One sensor reading in a telemetry message, as it arrived.
public struct TelemetryReading: Sendable, Hashable {
    /// Sensor id, unique within the cell.
    public var sensor: String
    /// The value, in ``unit``.
    public var value: Double
    /// The unit the source says the value is in; must be the sensor kind's unit.
    public var unit: String

    /// Creates a reading.
    public init(sensor: String, value: Double, unit: String) {
        self.sensor = sensor
        self.value = value
        self.unit = unit
    }
}

/// One message of the telemetry contract, parsed but not yet checked against the plant.
///
/// On the wire it is one JSON object per line:
/// `{"schema":1,"source":"plc-7","seq":42,"ts":1767592801.5,"cell":"B1","state":"Execute","produced":12,"scrap":0,
/// "readings":{"vibration":{"value":1.42,"unit":"mm/s"}}}`.
public struct TelemetryMessage: Sendable, Hashable {
    /// Schema version; this build reads ``telemetrySchemaVersion``.
    public var schema: Int
    /// The publishing source (a PLC, gateway or simulator); sequence numbers count per source.
    public var source: String
    /// Sequence number, strictly increasing per source.
    public var sequence: UInt64
    /// When the source measured, in seconds since the Unix epoch (UTC).
    public var timestamp: Double
    /// The cell the message is about.
    public var cell: String
    /// Readings, possibly a subset of the cell's sensors.
    public var readings: [TelemetryReading]
    /// Parts the cell has produced, cumulative since the source started counting.
    public var produced: Int?
    /// Parts the cell has scrapped, cumulative, included in ``produced``.
    public var scrap: Int?
    /// The reported PackML state name (e.g. `Execute`), if any.
    public var state: String?
    /// The reported cause of a Held, Suspended, Stopped or Aborted state (e.g. `starved`), if any.
    public var reason: String?

    /// Creates a message.
    public init(schema: Int = telemetrySchemaVersion, source: String, sequence: UInt64, timestamp: Double, cell: String,
                readings: [TelemetryReading] = [], produced: Int? = nil, scrap: Int? = nil, state: String? = nil, reason: String? = nil) {
        self.schema = schema
        self.source = source
        self.sequence = sequence
        self.timestamp = timestamp
        self.cell = cell
        self.readings = readings
        self.produced = produced
        self.scrap = scrap
        self.state = state
        self.reason = reason
    }
}
