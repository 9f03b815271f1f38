import AndonCore

/// Where the parts of one rule sit in the file, for checks that span rules.
struct RuleSite {
    var id: SourceLocation
    var match: SourceLocation
}

/// Reads the policy schema, reporting every problem it meets.
struct PolicyReader {
    let diagnostics: Diagnostics
    private(set) var sites: [RuleSite] = []
    /// Every rule id read, with its position, including rules dropped for other errors (for the duplicate check).
    private(set) var ids: [(id: String, location: SourceLocation)] = []

    init(diagnostics: Diagnostics) {
        self.diagnostics = diagnostics
    }

    static let ruleKeys = ["id", "description", "match", "decision", "reason", "approve"]

    mutating func read(_ root: ConfigNode, hash: String) -> PolicySpec? {
        guard let top = root.mapping("the policy file", keys: ["policy", "rules"], required: ["policy", "rules"]) else { return nil }
        var id = "policy", version = "0"
        if let header = top["policy"]?.mapping("'policy'", keys: ["id", "version", "description"], required: ["id", "version"]) {
            id = header["id"]?.identifier("policy id") ?? id
            version = header["version"]?.string("policy version") ?? version
            _ = header["description"]?.string("policy description")
        }
        var rules: [PolicyRule] = []
        if let items = top["rules"]?.sequence("'rules'") {
            if items.isEmpty {
                diagnostics.report(.missingField, at: top["rules"]!.location, "'rules' is empty", expected: "at least one rule")
            }
            for item in items {
                if let rule = readRule(item) { rules.append(rule) }
            }
        }
        return PolicySpec(id: id, version: version, hash: hash, file: diagnostics.file, rules: rules)
    }

    private mutating func readRule(_ node: ConfigNode) -> PolicyRule? {
        guard let map = node.mapping("a rule", keys: Self.ruleKeys, required: ["id", "decision"]) else { return nil }
        let id = map["id"]?.identifier("rule id")
        if let id { ids.append((id, map["id"]!.location)) }
        let description = map["description"]?.string("rule description")
        let reason = map["reason"]?.string("rule reason")
        let match = map["match"].flatMap { MatchReader.read($0) } ?? (map.has("match") ? nil : RuleMatch())
        let outcome = map["decision"]?.named("decision", of: DecisionOutcome.self)
        var approval: ApprovalRequirement?
        if let block = map["approve"] {
            if let outcome, outcome != .approve {
                diagnostics.report(.impossibleValue, at: block.location, "rule '\(id ?? "?")' decides \(outcome.rawValue) but has an 'approve' block",
                                   expected: "an 'approve' block only with decision: approve")
            } else {
                approval = ApprovalReader.read(block)
            }
        } else if outcome == .approve {
            diagnostics.report(.missingField, at: map.location, "rule '\(id ?? "?")' decides approve but has no 'approve' block",
                               expected: "approve: {roles: [...], timeout: ...}")
        }
        guard let id, let match, let outcome, outcome != .approve || approval != nil else { return nil }
        sites.append(RuleSite(id: map["id"]!.location, match: map["match"]?.location ?? map.location))
        return PolicyRule(id: id, description: description, match: match, outcome: outcome, approval: approval, reason: reason, location: map.location)
    }
}
