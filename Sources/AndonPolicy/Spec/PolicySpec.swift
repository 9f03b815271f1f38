import AndonCore

/// A policy as written: its header, its rules in file order, and the exact text it was read from.
public struct PolicySpec: Sendable, Hashable {
    /// Stable identifier of the policy (`riverside-governance`).
    public var id: String
    /// Version string, recorded with every decision.
    public var version: String
    /// SHA-256 of the file's exact text, lowercase hex, recorded with every decision.
    public var hash: String
    /// The file the policy was read from, as named by the caller.
    public var file: String
    /// The rules, in file order.
    public var rules: [PolicyRule]

    /// Creates a policy.
    public init(id: String, version: String, hash: String, file: String, rules: [PolicyRule]) {
        self.id = id
        self.version = version
        self.hash = hash
        self.file = file
        self.rules = rules
    }
}

/// One rule: what it matches and what it decides.
public struct PolicyRule: Sendable, Hashable {
    /// Unique id within the policy.
    public var id: String
    /// Free text for people.
    public var description: String?
    /// The conditions under which the rule applies.
    public var match: RuleMatch
    /// What the rule decides when it applies.
    public var outcome: DecisionOutcome
    /// For `approve`: who must approve and by when.
    public var approval: ApprovalRequirement?
    /// The reason given in decisions; generated from the match when absent.
    public var reason: String?
    /// Where the rule starts in the file.
    public var location: SourceLocation

    /// Creates a rule.
    public init(id: String, description: String? = nil, match: RuleMatch, outcome: DecisionOutcome, approval: ApprovalRequirement? = nil,
                reason: String? = nil, location: SourceLocation) {
        self.id = id
        self.description = description
        self.match = match
        self.outcome = outcome
        self.approval = approval
        self.reason = reason
        self.location = location
    }

    /// The rule's own reason, or one generated from its outcome and match.
    public var effectiveReason: String {
        reason ?? RuleText.generatedReason(outcome: outcome, match: match)
    }
}
