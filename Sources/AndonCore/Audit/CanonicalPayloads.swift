/// A proposal and a policy's decision write their own canonical JSON: every one an agent makes is recorded, and the
/// encoder's generic machinery was most of what recording them cost. Byte for byte what `JSONEncoder` writes (keys
/// sorted, absent optionals left out, numbers as Swift prints them with a trailing `.0` dropped); anything the
/// writers are not sure of (a text needing escapes, a parameter name other than lowercase letters, a number that is
/// not finite, an approval requirement) is left to the encoder.
extension CanonicalJSON {
    /// A finite number as `JSONEncoder` writes it; nil for infinities and NaN, which it refuses.
    public static func number(_ value: Double) -> String? {
        guard value.isFinite else { return nil }
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }

    /// A list of texts, nil when one needs escapes.
    static func strings(_ texts: [String]) -> String? {
        var out = "["
        for (i, text) in texts.enumerated() {
            guard let quoted = plainString(text) else { return nil }
            if i > 0 { out += "," }
            out += quoted
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
        guard let name = CanonicalJSON.plainString(name), let unit = CanonicalJSON.plainString(unit),
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
        guard let action = CanonicalJSON.plainString(action.rawValue), let agentID = CanonicalJSON.plainString(agentID),
              let agentKind = CanonicalJSON.plainString(agentKind.rawValue), let agentVersion = CanonicalJSON.plainString(agentVersion),
              let correlation = CanonicalJSON.plainString(correlationID.rawValue), let createdAt = CanonicalJSON.number(createdAt),
              let id = CanonicalJSON.plainString(id), let key = CanonicalJSON.plainString(idempotencyKey),
              let line = CanonicalJSON.plainString(line), let rationale = CanonicalJSON.plainString(rationale),
              let risk = CanonicalJSON.plainString(risk.rawValue), let target = CanonicalJSON.plainString(target) else { return nil }
        var evidenceText = "["
        for (i, figure) in evidence.enumerated() {
            guard let text = figure.canonicalJSON else { return nil }
            if i > 0 { evidenceText += "," }
            evidenceText += text
        }
        evidenceText += "]"
        var parametersText = "{"
        for (i, name) in parameters.keys.sorted().enumerated() {
            guard CanonicalJSON.isPlainKey(name), let value = CanonicalJSON.number(parameters[name]!) else { return nil }
            if i > 0 { parametersText += "," }
            parametersText += "\"\(name)\":\(value)"
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
        guard requirement == nil, let outcome = CanonicalJSON.plainString(outcome.rawValue),
              let policyHash = CanonicalJSON.plainString(policyHash), let policyVersion = CanonicalJSON.plainString(policyVersion),
              let proposalID = CanonicalJSON.plainString(proposalID), let reasons = CanonicalJSON.strings(reasons),
              let ruleIDs = CanonicalJSON.strings(ruleIDs) else { return nil }
        return "{\"isShadow\":\(isShadow),\"outcome\":\(outcome),\"policyHash\":\(policyHash),\"policyVersion\":\(policyVersion),"
            + "\"proposalID\":\(proposalID),\"reasons\":\(reasons),\"ruleIDs\":\(ruleIDs)}"
    }
}
