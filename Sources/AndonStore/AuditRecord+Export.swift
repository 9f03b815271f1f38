import AndonCore
import Foundation

extension AuditRecord {
    /// The record as one line of canonical JSON: keys sorted, no insignificant white space, every field, and the
    /// payload embedded as JSON (or as a string if it is not valid JSON). A missing role is left out.
    public var jsonLine: String {
        var line = "{\"actor\":{\"name\":" + Self.quoted(actor.name)
        if let role = actor.role { line += ",\"role\":" + Self.quoted(role.rawValue) }
        line += ",\"type\":" + Self.quoted(actor.type) + "}"
        line += ",\"correlationID\":" + Self.quoted(correlationID)
        line += ",\"hash\":" + Self.quoted(hash)
        line += ",\"kind\":" + Self.quoted(kind.rawValue)
        line += ",\"payload\":" + (Self.isJSON(payload) ? payload : Self.quoted(payload))
        line += ",\"policyHash\":" + Self.quoted(policyHash)
        line += ",\"previousHash\":" + Self.quoted(previousHash)
        line += ",\"sequence\":" + String(sequence)
        line += ",\"simTime\":" + (simTime.isFinite ? "\(simTime)" : "null")
        line += ",\"wallTime\":" + Self.quoted(wallTime)
        return line + "}"
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped, nothing else.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static func isJSON(_ text: String) -> Bool {
        guard let first = text.first, "{[\"-0123456789tfn".contains(first) else { return false }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)) != nil
    }
}
