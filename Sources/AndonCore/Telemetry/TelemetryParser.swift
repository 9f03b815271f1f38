/// Reads one line of the telemetry contract into a ``TelemetryMessage``, checking syntax, types and required fields.
///
/// Unknown top-level fields are skipped (sources may add their own); checks against the plant are the
/// ``TelemetryValidator``'s.
public enum TelemetryParser {
    /// Parses one JSON line.
    public static func parse(_ line: String) throws(TelemetryRejection) -> TelemetryMessage {
        var text = line
        let result = text.withUTF8 { bytes in Result { () throws(TelemetryRejection) in try parse(bytes) } }
        return try result.get()
    }

    /// Parses one JSON line given as UTF-8 bytes (without its newline).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(TelemetryRejection) -> TelemetryMessage {
        var scanner = JSONScanner(bytes)
        guard scanner.consume(UInt8(ascii: "{")) else { throw TelemetryRejection(.malformed, "a message is one JSON object per line") }
        var schema: Int?, source: String?, sequence: UInt64?, timestamp: Double?, cell: String?
        var readings: [TelemetryReading] = []
        var produced: Int?, scrap: Int?, state: String?, reason: String?
        if !scanner.consume(UInt8(ascii: "}")) {
            var keys = KeySet()
            repeat {
                let key = try scanner.key()
                try scanner.expect(UInt8(ascii: ":"), "':'")
                if JSONScanner.matches(key, "schema") {
                    try keys.insert(known: 0, key)
                    schema = Int(try integer(&scanner, "schema"))
                } else if JSONScanner.matches(key, "source") {
                    try keys.insert(known: 1, key)
                    source = try text(&scanner, "source")
                } else if JSONScanner.matches(key, "seq") {
                    try keys.insert(known: 2, key)
                    let n = try integer(&scanner, "seq")
                    guard n >= 0 else { throw TelemetryRejection(.wrongType, "seq must be a non-negative integer") }
                    sequence = UInt64(n)
                } else if JSONScanner.matches(key, "ts") {
                    try keys.insert(known: 3, key)
                    timestamp = try number(&scanner, "ts").value
                } else if JSONScanner.matches(key, "cell") {
                    try keys.insert(known: 4, key)
                    cell = try text(&scanner, "cell")
                } else if JSONScanner.matches(key, "state") {
                    try keys.insert(known: 5, key)
                    state = try text(&scanner, "state")
                } else if JSONScanner.matches(key, "reason") {
                    try keys.insert(known: 6, key)
                    reason = try text(&scanner, "reason")
                } else if JSONScanner.matches(key, "produced") {
                    try keys.insert(known: 7, key)
                    produced = try counter(&scanner, "produced")
                } else if JSONScanner.matches(key, "scrap") {
                    try keys.insert(known: 8, key)
                    scrap = try counter(&scanner, "scrap")
                } else if JSONScanner.matches(key, "readings") {
                    try keys.insert(known: 9, key)
                    readings = try readingSet(&scanner)
                } else {
                    try keys.insert(key)
                    try scanner.skipValue()
                }
            } while scanner.consume(UInt8(ascii: ","))
            try scanner.expect(UInt8(ascii: "}"), "',' or '}'")
        }
        scanner.skipSpace()
        guard scanner.atEnd else { throw TelemetryRejection(.malformed, "text after the message's closing brace") }
        guard let schema else { throw TelemetryRejection(.missingField, "schema is required") }
        guard schema == telemetrySchemaVersion else {
            throw TelemetryRejection(.unsupportedVersion, "schema \(schema) is not supported (this build reads \(telemetrySchemaVersion))")
        }
        guard let source else { throw TelemetryRejection(.missingField, "source is required") }
        guard let sequence else { throw TelemetryRejection(.missingField, "seq is required") }
        guard let timestamp else { throw TelemetryRejection(.missingField, "ts is required") }
        guard let cell else { throw TelemetryRejection(.missingField, "cell is required") }
        return TelemetryMessage(schema: schema, source: source, sequence: sequence, timestamp: timestamp, cell: cell,
                                readings: readings, produced: produced, scrap: scrap, state: state, reason: reason)
    }

    private static func wrongType(_ key: String, _ expected: String, _ scanner: inout JSONScanner) -> TelemetryRejection {
        TelemetryRejection(.wrongType, "\(key) must be \(expected), not \(scanner.typeName())")
    }

    private static func text(_ scanner: inout JSONScanner, _ key: @autoclosure () -> String) throws(TelemetryRejection) -> String {
        guard scanner.peek() == UInt8(ascii: "\"") else { throw wrongType(key(), "a string", &scanner) }
        return try scanner.string()
    }

    /// Reads a number; one beyond `Double` (`1e400`) is refused as `beyond`: a wrong type, or out of range for a reading.
    private static func number(_ scanner: inout JSONScanner, _ key: @autoclosure () -> String,
                               beyond: RejectReason = .wrongType) throws(TelemetryRejection) -> JSONScanner.Number {
        guard let b = scanner.peek(), b == UInt8(ascii: "-") || b &- UInt8(ascii: "0") < 10 else { throw wrongType(key(), "a number", &scanner) }
        let n = try scanner.number()
        guard n.value.isFinite else { throw TelemetryRejection(beyond, "\(key()) is beyond the range of numbers (±1.8e308)") }
        return n
    }

    private static func integer(_ scanner: inout JSONScanner, _ key: @autoclosure () -> String) throws(TelemetryRejection) -> Int64 {
        let n = try number(&scanner, key())
        guard let integer = n.integer else { throw TelemetryRejection(.wrongType, "\(key()) must be an integer, not \(n.value)") }
        return integer
    }

    private static func counter(_ scanner: inout JSONScanner, _ key: String) throws(TelemetryRejection) -> Int {
        let n = try integer(&scanner, key)
        guard n >= 0, n <= Int64(Int32.max) * 1024 else { throw TelemetryRejection(.invalidCounter, "\(key) must be a count from 0 up, not \(n)") }
        return Int(n)
    }

    private static func readingSet(_ scanner: inout JSONScanner) throws(TelemetryRejection) -> [TelemetryReading] {
        guard scanner.consume(UInt8(ascii: "{")) else { throw wrongType("readings", "an object of sensor id to {value, unit}", &scanner) }
        var readings: [TelemetryReading] = []
        readings.reserveCapacity(4)
        if scanner.consume(UInt8(ascii: "}")) { return readings }
        var many: Set<String> = []
        repeat {
            scanner.skipSpace()
            let byte = scanner.index + 1
            let sensor = try scanner.string()
            // A message names a handful of sensors: a scan finds a repeated one without hashing, a set past that.
            if readings.count == 16 { many = Set(readings.map(\.sensor)) }
            let repeated = readings.count < 16 ? readings.contains { $0.sensor == sensor } : !many.insert(sensor).inserted
            guard !repeated else {
                throw TelemetryRejection(.malformed, "key \"\(sensor.prefix(64))\" appears more than once in one object (byte \(byte))")
            }
            try scanner.expect(UInt8(ascii: ":"), "':'")
            guard scanner.consume(UInt8(ascii: "{")) else { throw wrongType("readings.\(sensor)", "an object {value, unit}", &scanner) }
            var value: Double?, unit: String?
            if !scanner.consume(UInt8(ascii: "}")) {
                var keys = KeySet()
                repeat {
                    let key = try scanner.key()
                    try scanner.expect(UInt8(ascii: ":"), "':'")
                    if JSONScanner.matches(key, "value") {
                        try keys.insert(known: 0, key)
                        value = try number(&scanner, "readings.\(sensor).value", beyond: .outOfRange).value
                    } else if JSONScanner.matches(key, "unit") {
                        try keys.insert(known: 1, key)
                        unit = try text(&scanner, "readings.\(sensor).unit")
                    } else {
                        try keys.insert(key)
                        try scanner.skipValue()
                    }
                } while scanner.consume(UInt8(ascii: ","))
                try scanner.expect(UInt8(ascii: "}"), "',' or '}'")
            }
            guard let value else { throw TelemetryRejection(.missingField, "readings.\(sensor).value is required") }
            guard let unit else { throw TelemetryRejection(.missingField, "readings.\(sensor).unit is required") }
            readings.append(TelemetryReading(sensor: sensor, value: value, unit: unit))
        } while scanner.consume(UInt8(ascii: ","))
        try scanner.expect(UInt8(ascii: "}"), "',' or '}'")
        return readings
    }
}
