/// One escape in a JSON string (RFC 8259 §7), read after its backslash: the telemetry door and the service's JSON
/// reader both take them this way.
public enum JSONEscape {
    /// Reads the escape whose letter is at `index` in `bytes`, appends the UTF-8 it stands for to `out` and moves
    /// `index` past it; returns what is wrong with it instead (nothing is appended then).
    public static func read(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int, into out: inout [UInt8]) -> String? {
        guard index < bytes.count else { return "unterminated string" }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(letter)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            guard var code = hex4(bytes, at: &index) else { return index + 4 > bytes.count ? "short \\u escape" : "bad \\u escape" }
            if (0xD800..<0xDC00).contains(code) {
                guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    return "bad surrogate pair"
                }
                index += 2
                guard let low = hex4(bytes, at: &index) else { return "bad \\u escape" }
                guard (0xDC00..<0xE000).contains(low) else { return "bad surrogate pair" }
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let scalar = Unicode.Scalar(code) else { return "bad surrogate pair" }
            out.append(contentsOf: String(Character(scalar)).utf8)
        default:
            return "bad escape \\\(Character(Unicode.Scalar(letter)))"
        }
        return nil
    }

    /// Four hexadecimal digits at `index`, moving past them; nil when they are not there.
    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        index += 4
        return value
    }
}
