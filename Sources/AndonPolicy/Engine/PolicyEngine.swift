import AndonCore

/// A policy compiled once into an evaluator: no YAML and no string-keyed lookups per decision.
///
/// Default deny; any matching deny wins; otherwise matching approve rules merge to the strictest
/// requirement; otherwise matching allow rules allow. See `docs/policy.md`.
public struct PolicyEngine: Sendable {
    /// The policy as written.
    public let spec: PolicySpec
    /// Each outcome's rules, per action (indexed like `ActionKind.allCases`), in file order: a decision scans only
    /// the rules that can match its action, so a large policy costs what its rules for that action cost.
    private let denyRules: [[CompiledRule]]
    private let approveRules: [[CompiledRule]]
    private let allowRules: [[CompiledRule]]
    private let ruleIDs: [String]
    private let reasons: [String]
    private let soleIDs: [[String]]
    private let soleReasons: [[String]]
    private let requirements: [ApprovalRequirement?]
    private let needsState: Bool

    /// The reason given when no rule allows a proposal.
    public static let defaultDenyReason = "no rule allows this (default deny)"

    /// Compiles a checked policy.
    public init(_ spec: PolicySpec) {
        self.spec = spec
        let compiled = spec.rules.enumerated().map { CompiledRule($1, index: $0) }
        func byAction(_ outcome: DecisionOutcome) -> [[CompiledRule]] {
            let rules = compiled.filter { spec.rules[$0.index].outcome == outcome }
            return Bits.actions.indices.map { a in rules.filter { $0.actionMask & (1 << UInt32(a)) != 0 } }
        }
        denyRules = byAction(.deny)
        approveRules = byAction(.approve)
        allowRules = byAction(.allow)
        ruleIDs = spec.rules.map(\.id)
        reasons = spec.rules.map(\.effectiveReason)
        soleIDs = ruleIDs.map { [$0] }
        soleReasons = reasons.map { [$0] }
        requirements = spec.rules.map(\.approval)
        needsState = compiled.contains { $0.stateMask != 0 }
    }

    /// Reads, checks and compiles a policy file.
    public static func load(path: String) throws(ConfigErrors) -> PolicyEngine {
        PolicyEngine(try PolicySpec.load(path: path))
    }

    /// The policy's version string.
    public var version: String { spec.version }

    /// SHA-256 of the policy text, hex.
    public var hash: String { spec.hash }

    /// Decides one request.
    public func decide(_ request: PolicyRequest) -> Decision {
        let facts = RequestFacts(request, needsState: needsState)
        if let denied = Self.matching(denyRules[facts.actionIndex], facts) {
            return decision(request, .deny, denied, requirement: nil)
        }
        if let approving = Self.matching(approveRules[facts.actionIndex], facts) {
            let requirement = approving.others.isEmpty ? requirements[approving.first]!
                : ApprovalMerge.strictest(([approving.first] + approving.others).map { requirements[$0]! })
            return decision(request, .approve, approving, requirement: requirement)
        }
        if let allowing = Self.matching(allowRules[facts.actionIndex], facts) {
            return decision(request, .allow, allowing, requirement: nil)
        }
        return Decision(proposalID: request.proposalID, outcome: .deny, ruleIDs: [], reasons: [Self.defaultDenyReason],
                        policyVersion: spec.version, policyHash: spec.hash, isShadow: request.isShadow)
    }

    /// The rule with this id, for showing its description next to a decision.
    public func rule(id: String) -> PolicyRule? {
        spec.rules.first { $0.id == id }
    }

    /// Decides a proposal with the twin's context for its target.
    public func decide(_ proposal: Proposal, dataAgeSeconds: Double?, cellState: PackMLState? = nil, cellStatus: CellStatus? = nil,
                       oee: Double? = nil, shiftElapsedSeconds: Double? = nil) -> Decision {
        decide(PolicyRequest(proposal: proposal, dataAgeSeconds: dataAgeSeconds, cellState: cellState, cellStatus: cellStatus,
                             oee: oee, shiftElapsedSeconds: shiftElapsedSeconds))
    }

    /// Decides a request and says, rule by rule, which matched and why the others did not.
    public func explain(_ request: PolicyRequest) -> PolicyExplanation {
        let facts = RequestFacts(request, needsState: true)
        let compiled = spec.rules.enumerated().map { CompiledRule($1, index: $0) }
        let verdicts = compiled.map { rule in
            let policyRule = spec.rules[rule.index]
            return RuleVerdict(ruleID: policyRule.id, outcome: policyRule.outcome, line: policyRule.location.line,
                               failures: rule.failures(facts, request: request, rule: policyRule))
        }
        return PolicyExplanation(decision: decide(request), rules: verdicts)
    }

    /// Indices of the rules in `rules` that match, or `nil` when none does; allocates only for a second match.
    @inline(__always)
    private static func matching(_ rules: [CompiledRule], _ facts: RequestFacts) -> Matches? {
        var found: Matches?
        for rule in rules where rule.matches(facts) {
            if found == nil { found = Matches(first: rule.index) } else { found!.others.append(rule.index) }
        }
        return found
    }

    private func decision(_ request: PolicyRequest, _ outcome: DecisionOutcome, _ matches: Matches, requirement: ApprovalRequirement?) -> Decision {
        let sole = matches.others.isEmpty
        let indices = sole ? [] : [matches.first] + matches.others
        return Decision(proposalID: request.proposalID, outcome: outcome,
                        ruleIDs: sole ? soleIDs[matches.first] : indices.map { ruleIDs[$0] },
                        reasons: sole ? soleReasons[matches.first] : indices.map { reasons[$0] },
                        requirement: requirement, policyVersion: spec.version, policyHash: spec.hash, isShadow: request.isShadow)
    }
}

/// The rules of one outcome that matched: the first, and any others in file order.
private struct Matches {
    var first: Int
    var others: [Int] = []
}

/// The result of ``PolicyEngine/explain(_:)``: the decision and every rule's verdict.
public struct PolicyExplanation: Sendable, Hashable {
    /// What the policy decided.
    public var decision: Decision
    /// Every rule in file order, with the conditions the request failed.
    public var rules: [RuleVerdict]
}

/// Whether one rule matched a request, and if not, why not.
public struct RuleVerdict: Sendable, Hashable {
    /// The rule's id.
    public var ruleID: String
    /// What the rule decides when it matches.
    public var outcome: DecisionOutcome
    /// The rule's line in the file.
    public var line: Int
    /// The conditions the request failed; empty when the rule matched.
    public var failures: [String]

    /// True when every condition held.
    public var isMatch: Bool { failures.isEmpty }
}
