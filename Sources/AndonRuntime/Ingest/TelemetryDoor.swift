import AndonCore

/// The telemetry door: bytes in, validated telemetry out. Each line is parsed and checked whole against the contract
/// (`docs/telemetry.md`); a refused line is counted by reason and kept for the console and the reject file. The door
/// holds no engine and drives no clock: whoever owns it hands what it admits to ``PlantEngine/receive(_:)``.
///
/// Not thread-safe: one owner feeds it lines in input order.
public struct TelemetryDoor {
    /// The options in force.
    public let options: IngestOptions
    /// The contract checks and the per-source history.
    public private(set) var validator: TelemetryValidator
    /// Refused messages: counts by reason and the most recent lines.
    public private(set) var rejects: RejectLog
    /// Input lines read so far (the number of the last line).
    public private(set) var lineNumber = 0
    private var now = 0.0

    /// What the door made of one line.
    public enum Admission {
        /// A whole, valid message, ready for the engine.
        case accepted(ValidatedTelemetry)
        /// A refused line, already counted.
        case rejected(RejectedLine)
        /// A blank line: nothing.
        case blank
    }

    /// A door checking against `plant`.
    public init(plant: PlantSpec, options: IngestOptions = IngestOptions()) {
        self.options = options
        validator = TelemetryValidator(plant: plant, maxClockSkewSeconds: options.maxClockSkewSeconds)
        rejects = RejectLog(capacity: options.keptRejects)
    }

    /// Takes one line given as UTF-8 bytes, without its newline.
    public mutating func admit(line bytes: UnsafeBufferPointer<UInt8>) -> Admission {
        lineNumber += 1
        if lineNumber & 255 == 1 { now = options.clock() }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return .blank }
        guard bytes.count <= options.maxLineBytes else {
            return .rejected(reject(bytes, TelemetryRejection(.tooLong, "line of \(bytes.count) bytes (at most \(options.maxLineBytes))")))
        }
        if let validated = validator.validate(line: bytes, now: now) { return .accepted(validated) }
        do {
            let message = try TelemetryParser.parse(bytes)
            return .accepted(try validate(message))
        } catch {
            return .rejected(reject(bytes, error))
        }
    }

    /// Takes one line given as text, without its newline.
    public mutating func admit(line: String) -> Admission {
        var text = line
        return text.withUTF8 { admit(line: $0) }
    }

    /// Takes one message that is already parsed (from a decoder of another wire format, or a benchmark that keeps JSON
    /// out of the measurement): checked exactly as a parsed line is; a refused one is kept as a short description.
    public mutating func admit(message: TelemetryMessage) -> Admission {
        lineNumber += 1
        if lineNumber & 255 == 1 { now = options.clock() }
        do {
            return .accepted(try validate(message))
        } catch {
            var original = "source \(message.source) seq \(message.sequence) cell \(message.cell) at \(message.timestamp)"
            return original.withUTF8 { .rejected(reject($0, error)) }
        }
    }

    /// Validates against the clock read every 256 lines; a message that looks ahead of it is checked again against the
    /// clock as it is now, so a slow stream is never refused as from the future.
    private mutating func validate(_ message: TelemetryMessage) throws(TelemetryRejection) -> ValidatedTelemetry {
        do {
            return try validator.validate(message, now: now)
        } catch where error.reason == .futureTimestamp {
            now = options.clock()
            return try validator.validate(message, now: now)
        }
    }

    /// A line longer than the reader's limit, refused without being read whole: its first bytes and its length.
    public mutating func refuseOverlong(prefix bytes: UnsafeBufferPointer<UInt8>, length: Int) -> RejectedLine {
        lineNumber += 1
        return reject(bytes, TelemetryRejection(.tooLong, "line of \(length) bytes or more (at most \(options.maxLineBytes))"))
    }

    private mutating func reject(_ bytes: UnsafeBufferPointer<UInt8>, _ rejection: TelemetryRejection) -> RejectedLine {
        let kept = UnsafeBufferPointer(rebasing: bytes.prefix(RejectLog.maxKeptLineLength))
        var original = String(decoding: kept, as: UTF8.self)
        if bytes.count > kept.count { original += "…" }
        let line = RejectedLine(line: lineNumber, reason: rejection.reason, detail: rejection.detail, original: original)
        rejects.record(line)
        return line
    }

    /// What the door has seen, for snapshots and the report.
    public var figures: TelemetryDoorFigures {
        TelemetryDoorFigures(lines: lineNumber, rejects: rejects, highestSequences: validator.highestSequences, restarts: validator.restartsBySource)
    }
}

/// The door's counts at one moment: lines read and refusals.
public struct TelemetryDoorFigures: Sendable {
    /// Input lines read (blank lines included).
    public var lines: Int
    /// Refused messages: counts by reason and the most recent lines.
    public var rejects: RejectLog
    /// The highest sequence number accepted, per source.
    public var highestSequences: [String: UInt64]
    /// Restarts recognised, per source (a publisher that started its sequence again).
    public var restarts: [String: Int]
}
