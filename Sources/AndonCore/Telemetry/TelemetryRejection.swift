/// Why a telemetry message was refused at the door. Raw values are the names used in reports and reject files.
public enum RejectReason: String, Sendable, Hashable, CaseIterable, Codable {
    /// Not a JSON object, or not valid JSON.
    case malformed
    /// Longer than the ingest's line limit.
    case tooLong = "too_long"
    /// A schema version this build does not read.
    case unsupportedVersion = "unsupported_version"
    /// A required field is absent.
    case missingField = "missing_field"
    /// A field has the wrong JSON type (a string where a number belongs, a fraction where an integer belongs).
    case wrongType = "wrong_type"
    /// The cell is not in the plant.
    case unknownCell = "unknown_cell"
    /// The sensor is not on the cell.
    case unknownSensor = "unknown_sensor"
    /// The unit is not the sensor's.
    case wrongUnit = "wrong_unit"
    /// The value is outside the sensor kind's physical range.
    case outOfRange = "out_of_range"
    /// The state is not a PackML state name, or the reason is not a known cause.
    case unknownState = "unknown_state"
    /// Counters that are negative, or scrap above produced, or only one of the pair.
    case invalidCounter = "invalid_counter"
    /// The source already sent this sequence number: the first copy was applied, this one is not.
    case duplicate
    /// Late data: a sequence number below the source's latest, or a timestamp before the cell's latest.
    case outOfOrder = "out_of_order"
    /// A timestamp further in the future than the allowed clock skew.
    case futureTimestamp = "future_timestamp"
}

/// A refused message: the reason, and a short explanation naming the field.
public struct TelemetryRejection: Error, Sendable, Hashable {
    /// The reason it is counted under.
    public var reason: RejectReason
    /// What was wrong, e.g. `sensor "spindle" is not on cell B1`.
    public var detail: String

    /// Creates a rejection.
    public init(_ reason: RejectReason, _ detail: String) {
        self.reason = reason
        self.detail = detail
    }
}
