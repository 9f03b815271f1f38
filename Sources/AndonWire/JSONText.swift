import AndonCore

/// JSON text written from and read into a ``JSONValue`` tree directly: a snapshot patch of a large plant holds hundreds
/// of thousands of changes, and `JSONEncoder` and `JSONDecoder` (through `Codable`, each path step tried as a key
/// first) took seconds over one.
///
/// What is written is read by any JSON reader as the tree it came from: texts escaped as JSON requires (`"`, `\` and
/// control characters; the rest as UTF-8), whole numbers below 10^15 in digits, other numbers in Swift's shortest form
/// that reads back as the same `Double`. The reader takes RFC 8259 JSON, nested at most ``maxDepth`` deep, and refuses
/// anything else with the byte where it stopped.
public enum JSONText {
    /// Deepest nesting read (a snapshot nests about eight deep).
    public static let maxDepth = 256

    /// Appends the text of `value` to `bytes`.
    public static func write(_ value: JSONValue, into bytes: inout [UInt8]) {
        switch value {
        case .null: bytes += [0x6E, 0x75, 0x6C, 0x6C]
        case let .bool(flag): bytes += flag ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65]
        case let .number(number): write(number, into: &bytes)
        case let .string(text): write(text, into: &bytes)
        case let .array(items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item, into: &bytes)
            }
            bytes.append(UInt8(ascii: "]"))
        case let .object(members):
            bytes.append(UInt8(ascii: "{"))
            var first = true
            for (key, member) in members {
                if !first { bytes.append(UInt8(ascii: ",")) }
                first = false
                write(key, into: &bytes)
                bytes.append(UInt8(ascii: ":"))
                write(member, into: &bytes)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends a number: whole numbers in digits, others in Swift's shortest round-trip form; a value that is not
    /// finite (never in a document, whose numbers come from JSON) as null.
    public static func write(_ number: Double, into bytes: inout [UInt8]) {
        guard number.isFinite else {
            bytes += [0x6E, 0x75, 0x6C, 0x6C]
            return
        }
        if number == number.rounded(.towardZero), number.magnitude < 1e15 {
            bytes += String(Int64(number)).utf8
        } else {
            bytes += number.description.utf8
        }
    }

    /// Appends a text as a JSON string.
    public static func write(_ text: String, into bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes += [0x5C, 0x22]
            case UInt8(ascii: "\\"): bytes += [0x5C, 0x5C]
            case 0x0A: bytes += [0x5C, 0x6E]
            case 0x0D: bytes += [0x5C, 0x72]
            case 0x09: bytes += [0x5C, 0x74]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Why a text was not read.
    public struct ReadError: Error, Sendable, Hashable, CustomStringConvertible {
        /// The byte where reading stopped.
        public let offset: Int
        /// What was wrong there.
        public let problem: String

        public var description: String { "JSON: \(problem) at byte \(offset)" }
    }

    /// The tree a JSON text holds (whitespace around it allowed, nothing else after it).
    public static func read(_ bytes: some Collection<UInt8>) throws(ReadError) -> JSONValue {
        let copy = Array(bytes)
        return try copy.withUnsafeBufferPointer { buffer throws(ReadError) in
            var reader = Reader(bytes: buffer)
            let value = try reader.value(depth: 0)
            reader.skipSpace()
            guard reader.at == buffer.count else { throw reader.error("text after the value") }
            return value
        }
    }
}

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var at = 0

    func error(_ problem: String) -> JSONText.ReadError { JSONText.ReadError(offset: at, problem: problem) }

    mutating func skipSpace() {
        while at < bytes.count, bytes[at] == 0x20 || bytes[at] == 0x0A || bytes[at] == 0x0D || bytes[at] == 0x09 { at += 1 }
    }

    mutating func value(depth: Int) throws(JSONText.ReadError) -> JSONValue {
        guard depth < JSONText.maxDepth else { throw error("nested more than \(JSONText.maxDepth) deep") }
        skipSpace()
        guard at < bytes.count else { throw error("the text ended where a value was expected") }
        switch bytes[at] {
        case UInt8(ascii: "{"):
            at += 1
            var members: [String: JSONValue] = [:]
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                at += 1
                return .object(members)
            }
            while true {
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw error("a key was expected") }
                let key = try string()
                skipSpace()
                guard at < bytes.count, bytes[at] == UInt8(ascii: ":") else { throw error("':' was expected") }
                at += 1
                members[key] = try value(depth: depth + 1)
                skipSpace()
                guard at < bytes.count else { throw error("the text ended inside an object") }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                } else if bytes[at] == UInt8(ascii: "}") {
                    at += 1
                    return .object(members)
                } else {
                    throw error("',' or '}' was expected")
                }
            }
        case UInt8(ascii: "["):
            at += 1
            var items: [JSONValue] = []
            skipSpace()
            if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                at += 1
                return .array(items)
            }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard at < bytes.count else { throw error("the text ended inside a list") }
                if bytes[at] == UInt8(ascii: ",") {
                    at += 1
                } else if bytes[at] == UInt8(ascii: "]") {
                    at += 1
                    return .array(items)
                } else {
                    throw error("',' or ']' was expected")
                }
            }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try word([0x74, 0x72, 0x75, 0x65], .bool(true))
        case UInt8(ascii: "f"): return try word([0x66, 0x61, 0x6C, 0x73, 0x65], .bool(false))
        case UInt8(ascii: "n"): return try word([0x6E, 0x75, 0x6C, 0x6C], .null)
        default: return .number(try number())
        }
    }

    private mutating func word(_ spelling: [UInt8], _ value: JSONValue) throws(JSONText.ReadError) -> JSONValue {
        guard bytes.count - at >= spelling.count, spelling.indices.allSatisfy({ bytes[at + $0] == spelling[$0] }) else {
            throw error("not a JSON value")
        }
        at += spelling.count
        return value
    }

    /// A number as RFC 8259 spells it: `-`, digits without a leading zero, a fraction, an exponent.
    private mutating func number() throws(JSONText.ReadError) -> Double {
        let start = at
        func digits() -> Int {
            let from = at
            while at < bytes.count, bytes[at] >= 0x30, bytes[at] <= 0x39 { at += 1 }
            return at - from
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        let first = at
        let whole = digits()
        guard whole > 0 else { throw error("not a JSON value") }
        guard whole == 1 || bytes[first] != 0x30 else { throw error("a number with a leading zero") }
        var isWhole = true
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            isWhole = false
            guard digits() > 0 else { throw error("a fraction without digits") }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            isWhole = false
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits() > 0 else { throw error("an exponent without digits") }
        }
        // Up to 15 digits, a whole number is exact as it is read here; anything else is read as Swift reads it.
        if isWhole, whole <= 15 {
            var value = 0
            for i in first..<at { value = value * 10 + Int(bytes[i] - 0x30) }
            return bytes[start] == UInt8(ascii: "-") ? -Double(value) : Double(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
        guard let value = Double(text), value.isFinite else { throw error("a number beyond the range of numbers") }
        return value
    }

    /// A string, at its opening quote.
    private mutating func string() throws(JSONText.ReadError) -> String {
        at += 1
        let start = at
        // Most texts have no escape: read as they are.
        while at < bytes.count, bytes[at] != UInt8(ascii: "\""), bytes[at] != UInt8(ascii: "\\"), bytes[at] >= 0x20 { at += 1 }
        guard at < bytes.count else { throw error("the text ended inside a string") }
        if bytes[at] == UInt8(ascii: "\"") {
            defer { at += 1 }
            return try text(start..<at)
        }
        var scalars = Array(UnsafeBufferPointer(rebasing: bytes[start..<at]))
        while true {
            guard at < bytes.count else { throw error("the text ended inside a string") }
            let byte = bytes[at]
            if byte == UInt8(ascii: "\"") {
                at += 1
                return try scalars.withUnsafeBufferPointer { buffer throws(JSONText.ReadError) in
                    guard let text = String(validating: buffer, as: UTF8.self) else { throw error("a string that is not UTF-8") }
                    return text
                }
            }
            guard byte >= 0x20 else { throw error("a control character inside a string") }
            guard byte == UInt8(ascii: "\\") else {
                scalars.append(byte)
                at += 1
                continue
            }
            at += 1
            if let problem = JSONEscape.read(bytes, at: &at, into: &scalars) { throw error(problem) }
        }
    }

    private func text(_ range: Range<Int>) throws(JSONText.ReadError) -> String {
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self) else {
            throw error("a string that is not UTF-8")
        }
        return text
    }
}
