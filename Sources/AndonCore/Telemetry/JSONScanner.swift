import Foundation

/// A forward-only reader of one JSON text in a byte buffer, just enough for the telemetry contract.
///
/// It allocates only for the strings it returns and never recurses deeper than ``maxDepth`` when skipping.
struct JSONScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    static let maxDepth = 32

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// A JSON number: its value, and whether it was written as an integer (no fraction, no exponent).
    struct Number {
        var value: Double
        var isInteger: Bool
        var integer: Int64?
    }

    static func malformed(_ what: String) -> TelemetryRejection { TelemetryRejection(.malformed, what) }

    var atEnd: Bool { index >= bytes.count }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// The next non-space byte, not consumed.
    mutating func peek() -> UInt8? {
        skipSpace()
        return index < bytes.count ? bytes[index] : nil
    }

    mutating func expect(_ byte: UInt8, _ what: String) throws(TelemetryRejection) {
        guard peek() == byte else { throw Self.malformed("expected \(what) at byte \(index + 1)") }
        index += 1
    }

    /// Consumes `byte` if it comes next.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        index += 1
        return true
    }

    /// An object key: its bytes in the line, or decoded when it was written with escapes.
    struct Key {
        var span: UnsafeBufferPointer<UInt8>
        var decoded: [UInt8]?
        /// Where the key starts, 1-based, for messages.
        var byte: Int

        /// The key's bytes as JSON means them.
        var bytes: [UInt8] { decoded ?? Array(span) }
    }

    /// Reads an object key without making a string unless it has escapes (`"sour\u0063e"` is `source`).
    mutating func key() throws(TelemetryRejection) -> Key {
        skipSpace()
        let byte = index + 1
        let (start, end) = try unescapedSpan()
        if let end { return Key(span: UnsafeBufferPointer(rebasing: bytes[start..<end]), byte: byte) }
        let text = try escapedString(from: start)
        return Key(span: UnsafeBufferPointer(start: nil, count: 0), decoded: Array(text.utf8), byte: byte)
    }

    /// Scans a string whose opening quote comes next: its bytes' start and end, with the closing quote consumed;
    /// or, when it has an escape, its start and nil, with the index on the first backslash.
    private mutating func unescapedSpan() throws(TelemetryRejection) -> (start: Int, end: Int?) {
        try expect(UInt8(ascii: "\""), "a string")
        let start = index
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                defer { index += 1 }
                return (start, index)
            }
            if b == UInt8(ascii: "\\") { return (start, nil) }
            if b < 0x20 { throw Self.malformed("control character in a string at byte \(index + 1)") }
            index += 1
        }
        throw Self.malformed("unterminated string")
    }

    /// Whether `key`'s bytes spell `name`.
    static func matches(_ key: Key, _ name: StaticString) -> Bool {
        if let decoded = key.decoded {
            return decoded.count == name.utf8CodeUnitCount && decoded.withUnsafeBytes { memcmp($0.baseAddress!, name.utf8Start, decoded.count) == 0 }
        }
        return key.span.count == name.utf8CodeUnitCount && (key.span.count == 0 || memcmp(key.span.baseAddress!, name.utf8Start, key.span.count) == 0)
    }

    /// Reads a string; the opening quote must come next.
    mutating func string() throws(TelemetryRejection) -> String {
        let (start, end) = try unescapedSpan()
        if let end { return try Self.text(UnsafeBufferPointer(rebasing: bytes[start..<end]), at: start) }
        return try escapedString(from: start)
    }

    /// `utf8` as a string; text that is not UTF-8 is refused rather than patched, so no name changes on the way in.
    static func text(_ utf8: some Collection<UInt8>, at start: Int) throws(TelemetryRejection) -> String {
        guard let text = String(validating: utf8, as: UTF8.self) else { throw malformed("a string that is not UTF-8 at byte \(start)") }
        return text
    }

    private mutating func escapedString(from start: Int) throws(TelemetryRejection) -> String {
        var out = Array(UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            index += 1
            switch b {
            case UInt8(ascii: "\""):
                return try Self.text(out, at: start)
            case UInt8(ascii: "\\"):
                if let problem = JSONEscape.read(bytes, at: &index, into: &out) { throw Self.malformed(problem) }
            default:
                if b < 0x20 { throw Self.malformed("control character in a string") }
                out.append(b)
            }
        }
        throw Self.malformed("unterminated string")
    }

    /// Reads a number; a digit or minus sign must come next.
    mutating func number() throws(TelemetryRejection) -> Number {
        skipSpace()
        let start = index
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var dropped = 0
        let intStart = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
            if digits < 19 {
                mantissa = mantissa * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
                if mantissa != 0 { digits += 1 }
            } else {
                dropped += 1
            }
            index += 1
        }
        let intDigits = index - intStart
        guard intDigits > 0 else { throw Self.malformed("expected a value at byte \(start + 1)") }
        guard intDigits == 1 || bytes[intStart] != UInt8(ascii: "0") else { throw Self.malformed("leading zero in a number") }
        var exponent = dropped
        var isInteger = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let fracStart = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                if digits < 19 {
                    mantissa = mantissa * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
                    if mantissa != 0 { digits += 1 }
                    exponent -= 1
                }
                index += 1
            }
            guard index > fracStart else { throw Self.malformed("digits expected after the decimal point") }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            var expNegative = false
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                expNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var e = 0
            let expStart = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                if e < 100_000 { e = e * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                index += 1
            }
            guard index > expStart else { throw Self.malformed("digits expected in the exponent") }
            exponent += expNegative ? -e : e
        }
        let value: Double
        if digits <= 15, exponent >= -22, exponent <= 22 {
            // Exact: both the mantissa and the power of ten are representable, so one operation rounds correctly.
            let m = Double(mantissa)
            value = exponent < 0 ? m / Self.powersOfTen[-exponent] : m * Self.powersOfTen[exponent]
        } else {
            // The sign is applied below, so the text read here is the magnitude alone.
            value = slowValue((negative ? start + 1 : start)..<index)
        }
        let signed = negative ? -value : value
        var integer: Int64?
        if isInteger, dropped == 0, mantissa <= UInt64(Int64.max) { integer = negative ? -Int64(mantissa) : Int64(mantissa) }
        return Number(value: signed, isInteger: isInteger, integer: integer)
    }

    private static let powersOfTen: [Double] = (0...22).map { pow(10, Double($0)) }

    private func slowValue(_ range: Range<Int>) -> Double {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        return Double(text) ?? .nan
    }

    /// Skips one value of any type.
    mutating func skipValue(depth: Int = 0) throws(TelemetryRejection) {
        guard depth < Self.maxDepth else { throw Self.malformed("nested too deeply") }
        switch peek() {
        case UInt8(ascii: "\""):
            _ = try string()
        case UInt8(ascii: "{"):
            index += 1
            if consume(UInt8(ascii: "}")) { return }
            var keys = KeySet()
            repeat {
                try keys.insert(try key())
                try expect(UInt8(ascii: ":"), "':'")
                try skipValue(depth: depth + 1)
            } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"), "',' or '}'")
        case UInt8(ascii: "["):
            index += 1
            if consume(UInt8(ascii: "]")) { return }
            repeat { try skipValue(depth: depth + 1) } while consume(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"), "',' or ']'")
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default:
            // A number beyond `Double` is no JSON a general parser takes, in a key the door does not read as anywhere.
            let start = index
            guard try number().value.isFinite else { throw Self.malformed("a number at byte \(start + 1) is beyond the range of numbers (±1.8e308)") }
        }
    }

    private mutating func literal(_ word: String) throws(TelemetryRejection) {
        for byte in word.utf8 {
            guard index < bytes.count, bytes[index] == byte else { throw Self.malformed("unexpected text at byte \(index + 1)") }
            index += 1
        }
    }

    /// The JSON type name of the value that comes next, for messages.
    mutating func typeName() -> String {
        switch peek() {
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        default: "a number"
        }
    }
}

/// The keys met in one JSON object, to refuse one that comes twice: JSON leaves the meaning of such an object open,
/// and a reader that takes the last copy sees another message than one that takes the first.
///
/// Keys the reader knows are marked in a bit mask; others are remembered only when there are some.
struct KeySet {
    private var known: UInt32 = 0
    private var others: Set<[UInt8]> = []

    /// Marks the known key number `bit`; throws when it was already there.
    mutating func insert(known bit: Int, _ key: JSONScanner.Key) throws(TelemetryRejection) {
        guard known & (1 << bit) == 0 else { throw Self.twice(key) }
        known |= 1 << bit
    }

    /// Remembers a key the reader does not know; throws when it was already there.
    mutating func insert(_ key: JSONScanner.Key) throws(TelemetryRejection) {
        let bytes = key.bytes
        _ = try JSONScanner.text(bytes, at: key.byte)
        guard others.insert(bytes).inserted else { throw Self.twice(key) }
    }

    private static func twice(_ key: JSONScanner.Key) -> TelemetryRejection {
        let name = String(decoding: key.bytes.prefix(64), as: UTF8.self)
        return JSONScanner.malformed("key \"\(name)\" appears more than once in one object (byte \(key.byte))")
    }
}
