import Foundation

extension TelemetryValidator {
    /// Reads and checks one line straight against the plant, byte by byte: no `String` is made, the cell and source
    /// are found by their interned bytes, and the readings go into a buffer that is reused once the returned message is
    /// let go of. When the line passes, it is remembered exactly as ``validate(_:now:)`` remembers a message.
    ///
    /// It reads only the common shape of a good line: the contract's own keys once each, strings without escapes, the
    /// cell named before its readings, a source seen before. Anything else, including every line that breaks the
    /// contract, gives nil and is left as it was: parse it (``TelemetryParser``) and ``validate(_:now:)`` it for the
    /// verdict and the reason. So the answer for any line is the parser's and validator's; this only gets there sooner.
    /// - Parameter now: the reference clock, seconds since the Unix epoch.
    public mutating func validate(line bytes: UnsafeBufferPointer<UInt8>, now: Double) -> ValidatedTelemetry? {
        readingsBuffer.removeAll(keepingCapacity: true)
        guard let read = read(bytes) else { return nil }
        guard read.timestamp.isFinite, read.timestamp >= 0, read.timestamp <= now + maxClockSkewSeconds,
              windows[read.slot].verdict(for: read.sequence, at: read.timestamp) == .new, read.timestamp >= lastTimestamp[read.cell] else { return nil }
        remember(read.sequence, at: read.timestamp, slot: read.slot, cell: read.cell)
        return ValidatedTelemetry(cellIndex: read.cell, readings: readingsBuffer, counters: read.counters, state: read.state, reason: read.reason,
                                  timestamp: read.timestamp, source: sources.names[read.slot], sequence: read.sequence)
    }

    /// What a line says, resolved to plant indices; its readings are in ``readingsBuffer``.
    private struct LineFields {
        var slot: Int
        var sequence: UInt64
        var timestamp: Double
        var cell: Int
        var counters: (produced: Int, scrap: Int)?
        var state: PackMLState?
        var reason: StateReason?
    }

    /// The contract's keys, one bit each, to refuse a repeated one.
    private enum Key: UInt16 {
        case schema = 1, source = 2, seq = 4, ts = 8, cell = 16, state = 32, reason = 64, produced = 128, scrap = 256, readings = 512
    }

    private static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Key? {
        switch bytes.count {
        case 2 where JSONScanner.matches(bytes, "ts"): .ts
        case 3 where JSONScanner.matches(bytes, "seq"): .seq
        case 4 where JSONScanner.matches(bytes, "cell"): .cell
        case 5 where JSONScanner.matches(bytes, "state"): .state
        case 5 where JSONScanner.matches(bytes, "scrap"): .scrap
        case 6 where JSONScanner.matches(bytes, "schema"): .schema
        case 6 where JSONScanner.matches(bytes, "source"): .source
        case 6 where JSONScanner.matches(bytes, "reason"): .reason
        case 8 where JSONScanner.matches(bytes, "produced"): .produced
        case 8 where JSONScanner.matches(bytes, "readings"): .readings
        default: nil
        }
    }

    private mutating func read(_ bytes: UnsafeBufferPointer<UInt8>) -> LineFields? {
        guard let base = bytes.baseAddress else { return nil }
        var line = LineCursor(base: base, count: bytes.count)
        guard line.consume(UInt8(ascii: "{")) else { return nil }
        var seen: UInt16 = 0
        var slot = -1, sequence: UInt64 = 0, timestamp = 0.0, cell = -1
        var produced = -1, scrap = -1
        var state: PackMLState?, reason: StateReason?
        repeat {
            guard let name = line.plainString(), let key = Self.key(name), seen & key.rawValue == 0, line.consume(UInt8(ascii: ":")) else { return nil }
            seen |= key.rawValue
            switch key {
            case .schema:
                guard let n = line.integer(), n == Int64(telemetrySchemaVersion) else { return nil }
            case .source:
                guard let span = line.plainString() else { return nil }
                // A stream mostly comes from the source its last message came from.
                if let last = lastSource?.slot, sources.isName(last, span) {
                    slot = last
                } else {
                    guard let known = sources.index(of: span) else { return nil }
                    slot = known
                }
            case .seq:
                guard let n = line.integer(), n >= 0 else { return nil }
                sequence = UInt64(n)
            case .ts:
                guard let n = line.number() else { return nil }
                timestamp = n.value
            case .cell:
                guard let span = line.plainString(), let index = contract.cell(span) else { return nil }
                cell = index
            case .state:
                guard let span = line.plainString(), let n = contract.states.index(of: span) else { return nil }
                state = TelemetryContract.stateCases[n]
            case .reason:
                guard let span = line.plainString(), let n = contract.reasons.index(of: span) else { return nil }
                reason = TelemetryContract.reasonCases[n]
            case .produced:
                guard let n = line.counter() else { return nil }
                produced = n
            case .scrap:
                guard let n = line.counter() else { return nil }
                scrap = n
            case .readings:
                guard cell >= 0, readReadings(&line, cell: cell) else { return nil }
            }
        } while line.consume(UInt8(ascii: ","))
        guard line.consume(UInt8(ascii: "}")) else { return nil }
        line.skipSpace()
        let required = Key.schema.rawValue | Key.source.rawValue | Key.seq.rawValue | Key.ts.rawValue | Key.cell.rawValue
        guard line.atEnd, seen & required == required, (produced < 0) == (scrap < 0), scrap <= produced else { return nil }
        return LineFields(slot: slot, sequence: sequence, timestamp: timestamp, cell: cell, counters: produced < 0 ? nil : (produced, scrap),
                          state: state, reason: reason)
    }

    /// Reads `{"sensor": {"value": …, "unit": "…"}, …}` for cell `cell` into ``readingsBuffer``: known sensors once
    /// each, in their own unit, within their physical range.
    private mutating func readReadings(_ line: inout LineCursor, cell: Int) -> Bool {
        guard line.consume(UInt8(ascii: "{")) else { return false }
        if line.consume(UInt8(ascii: "}")) { return true }
        let sensors = contract.sensors[cell]
        var named: UInt64 = 0
        repeat {
            guard let name = line.plainString(), let s = contract.sensor(name, of: cell), s < 64, named & (1 << s) == 0,
                  line.consume(UInt8(ascii: ":")), line.consume(UInt8(ascii: "{")) else { return false }
            named |= 1 << s
            var value: Double?, hasUnit = false
            repeat {
                guard let key = line.plainString(), line.consume(UInt8(ascii: ":")) else { return false }
                if JSONScanner.matches(key, "value"), value == nil {
                    guard let n = line.number(), sensors[s].range.contains(n.value) else { return false }
                    value = n.value
                } else if JSONScanner.matches(key, "unit"), !hasUnit {
                    guard let unit = line.plainString(), TelemetryContract.equal(sensors[s].unit, unit) else { return false }
                    hasUnit = true
                } else {
                    return false
                }
            } while line.consume(UInt8(ascii: ","))
            guard let value, hasUnit, line.consume(UInt8(ascii: "}")) else { return false }
            readingsBuffer.append((s, value))
        } while line.consume(UInt8(ascii: ","))
        return line.consume(UInt8(ascii: "}"))
    }
}

/// A position in one line, for reading it the common way only: structure bytes, strings without escapes, and numbers
/// as ``JSONScanner`` reads them. Every method gives nil or false for anything else.
private struct LineCursor {
    let base: UnsafePointer<UInt8>
    let count: Int
    var index = 0

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    var atEnd: Bool { index >= count }

    @inline(__always)
    mutating func skipSpace() {
        while index < count {
            switch base[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` if it comes next.
    @inline(__always)
    mutating func consume(_ byte: UInt8) -> Bool {
        skipSpace()
        guard index < count, base[index] == byte else { return false }
        index += 1
        return true
    }

    /// The bytes of a string with no escape and no control character that comes next.
    @inline(__always)
    mutating func plainString() -> UnsafeBufferPointer<UInt8>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < count {
            let byte = base[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return UnsafeBufferPointer(start: base + start, count: index - 1 - start)
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    /// A number that comes next, as the parser reads one.
    @inline(__always)
    mutating func number() -> JSONScanner.Number? {
        skipSpace()
        guard index < count, base[index] == UInt8(ascii: "-") || base[index] &- UInt8(ascii: "0") < 10 else { return nil }
        var scanner = JSONScanner(UnsafeBufferPointer(start: base, count: count))
        scanner.index = index
        guard let n = try? scanner.number() else { return nil }
        index = scanner.index
        return n
    }

    /// An integer that comes next, as the parser reads one.
    @inline(__always)
    mutating func integer() -> Int64? {
        number()?.integer
    }

    /// A count from 0 up, as the parser reads `produced` and `scrap`.
    @inline(__always)
    mutating func counter() -> Int? {
        guard let n = integer(), n >= 0, n <= Int64(Int32.max) * 1024 else { return nil }
        return Int(n)
    }
}

extension JSONScanner {
    /// Whether the plain bytes of a string in the line spell `name`.
    @inline(__always)
    static func matches(_ bytes: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        bytes.count == name.utf8CodeUnitCount && (bytes.count == 0 || memcmp(bytes.baseAddress!, name.utf8Start, bytes.count) == 0)
    }
}
