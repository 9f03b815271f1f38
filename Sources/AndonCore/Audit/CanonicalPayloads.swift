/// A proposal and a policy's decision write their own canonical JSON: every one an agent makes is recorded, and the
/// encoder's generic machinery was most of what recording them cost. Byte for byte what `JSONEncoder` writes (keys
/// sorted, absent optionals left out, numbers as Swift prints them with a trailing `.0` dropped, texts as they are with
/// `"` and `\` escaped); anything the writers are not sure of (a text with a control character, a parameter name
/// other than lowercase letters, a number that is not finite, an approval requirement) is left to the encoder.
extension CanonicalJSON {
    /// A finite number as `JSONEncoder` writes it; nil for infinities and NaN, which it refuses.
    public static func number(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// `text` as `JSONEncoder` writes a string: between quotes, `"` and `\` escaped, everything else as it is (other
    /// scripts, symbols and units such as `°C` or `µs` included); nil for a text with a control character, left to
    /// the encoder.
    public static func quoted(_ text: String) -> String? {
        var escapes = 0
        for byte in text.utf8 {
            if byte < 0x20 { return nil }
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { escapes += 1 }
        }
        guard escapes > 0 else { return "\"" + text + "\"" }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + escapes + 2)
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A list, each element written by `write`; nil when one cannot be.
    static func list<T>(_ items: [T], _ write: (T) -> String?) -> String? {
        var out = "["
        for (i, item) in items.enumerated() {
            guard let written = write(item) else { return nil }
            if i > 0 { out += "," }
            out += written
        }
        return out + "]"
    }

    /// True when `key` is made of lowercase ASCII letters only: dictionary keys sort alike whichever order the encoder
    /// compares them in.
    static func isPlainKey(_ key: String) -> Bool {
        !key.isEmpty && key.utf8.allSatisfy { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") }
    }
}

extension Evidence {
    /// Its canonical JSON, or nil (see ``CanonicalJSON``).
    var canonicalJSON: String? {
        guard let name = CanonicalJSON.quoted(name), let unit = CanonicalJSON.quoted(unit),
              let value = CanonicalJSON.number(value) else { return nil }
        var out = "{"
        if let limit {
            guard let limit = CanonicalJSON.number(limit) else { return nil }
            out += "\"limit\":\(limit),"
        }
        return out + "\"name\":\(name),\"unit\":\(unit),\"value\":\(value)}"
    }
}

extension Proposal: CanonicalJSONWriting {
    /// What `JSONEncoder` writes for it, or nil to leave it to the encoder.
    public var canonicalJSON: String? {
        guard let action = CanonicalJSON.quoted(action.rawValue), let agentID = CanonicalJSON.quoted(agentID),
              let agentKind = CanonicalJSON.quoted(agentKind.rawValue), let agentVersion = CanonicalJSON.quoted(agentVersion),
              let correlation = CanonicalJSON.quoted(correlationID.rawValue), let createdAt = CanonicalJSON.number(createdAt),
              let id = CanonicalJSON.quoted(id), let key = CanonicalJSON.quoted(idempotencyKey),
              let line = CanonicalJSON.quoted(line), let rationale = CanonicalJSON.quoted(rationale),
              let risk = CanonicalJSON.quoted(risk.rawValue), let target = CanonicalJSON.quoted(target) else { return nil }
        guard let evidenceText = CanonicalJSON.list(evidence, { $0.canonicalJSON }) else { return nil }
        var parametersText = "{"
        for (i, parameter) in parameters.sorted(by: { $0.key < $1.key }).enumerated() {
            guard CanonicalJSON.isPlainKey(parameter.key), let value = CanonicalJSON.number(parameter.value) else { return nil }
            if i > 0 { parametersText += "," }
            parametersText += "\"\(parameter.key)\":\(value)"
        }
        parametersText += "}"
        var out = "{\"action\":\(action),\"agentID\":\(agentID),\"agentKind\":\(agentKind),\"agentVersion\":\(agentVersion),"
        out += "\"correlationID\":{\"rawValue\":\(correlation)},\"createdAt\":\(createdAt),\"evidence\":\(evidenceText),"
        out += "\"id\":\(id),\"idempotencyKey\":\(key),\"isShadow\":\(isShadow),\"line\":\(line),\"parameters\":\(parametersText),"
        out += "\"rationale\":\(rationale),\"risk\":\(risk),\"target\":\(target)}"
        return out
    }
}

extension Decision: CanonicalJSONWriting {
    /// What `JSONEncoder` writes for it, or nil to leave it to the encoder (always for a decision that asks for
    /// approval: its requirement is left to the encoder whole).
    public var canonicalJSON: String? {
        guard requirement == nil, let outcome = CanonicalJSON.quoted(outcome.rawValue),
              let policyHash = CanonicalJSON.quoted(policyHash), let policyVersion = CanonicalJSON.quoted(policyVersion),
              let proposalID = CanonicalJSON.quoted(proposalID), let reasons = CanonicalJSON.list(reasons, CanonicalJSON.quoted),
              let ruleIDs = CanonicalJSON.list(ruleIDs, CanonicalJSON.quoted) else { return nil }
        return "{\"isShadow\":\(isShadow),\"outcome\":\(outcome),\"policyHash\":\(policyHash),\"policyVersion\":\(policyVersion),"
            + "\"proposalID\":\(proposalID),\"reasons\":\(reasons),\"ruleIDs\":\(ruleIDs)}"
    }
}

extension AlarmChange: CanonicalJSONWriting {
    /// What `JSONEncoder` writes for it, or nil to leave it to the encoder: one is recorded whenever an alarm changes.
    public var canonicalJSON: String? {
        guard let message = CanonicalJSON.quoted(message), let state = CanonicalJSON.quoted(state.rawValue),
              let tag = CanonicalJSON.quoted(tag) else { return nil }
        return "{\"message\":\(message),\"priority\":\(priority),\"state\":\(state),\"tag\":\(tag)}"
    }
}

extension ActionExecution {
    /// Its canonical JSON, or nil (see ``CanonicalJSON``).
    public var canonicalJSON: String? {
        guard let action = CanonicalJSON.quoted(action.rawValue), let key = CanonicalJSON.quoted(idempotencyKey),
              let proposalID = CanonicalJSON.quoted(proposalID), let target = CanonicalJSON.quoted(target) else { return nil }
        return "{\"action\":\(action),\"applied\":\(applied),\"idempotencyKey\":\(key),\"proposalID\":\(proposalID),\"target\":\(target)}"
    }
}
