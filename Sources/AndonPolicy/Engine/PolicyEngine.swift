import AndonCore

/// A policy compiled once into an evaluator: no YAML and no string-keyed lookups per decision.
///
/// Default deny; any matching deny wins; otherwise matching approve rules merge to the strictest
/// requirement; otherwise matching allow rules allow. See `docs/policy.md`.
public struct PolicyEngine: Sendable {
    /// The policy as written.
    public let spec: PolicySpec
    /// Each outcome's rules, indexed by action and target: a decision tests only the rules that could match it.
    private let denyRules: RuleIndex
    private let approveRules: RuleIndex
    private let allowRules: RuleIndex
    private let verdicts: Verdicts
    private let needsState: Bool

    /// The reason given when no rule allows a proposal.
    public static let defaultDenyReason = "no rule allows this (default deny)"
    private static let defaultDenyReasons = [defaultDenyReason]

    /// Compiles a checked policy.
    public init(_ spec: PolicySpec) {
        self.spec = spec
        let compiled = spec.rules.enumerated().map { CompiledRule($1, index: $0) }
        func rules(_ outcome: DecisionOutcome) -> RuleIndex {
            RuleIndex(compiled.filter { spec.rules[$0.index].outcome == outcome }, ruleCount: spec.rules.count)
        }
        denyRules = rules(.deny)
        approveRules = rules(.approve)
        allowRules = rules(.allow)
        verdicts = Verdicts(spec.rules)
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
        var outcome = DecisionOutcome.deny
        var matches = denyRules.matching(facts, request)
        if matches.isEmpty {
            outcome = .approve
            matches = approveRules.matching(facts, request)
        }
        if matches.isEmpty {
            outcome = .allow
            matches = allowRules.matching(facts, request)
        }
        guard !matches.isEmpty else {
            return Decision(proposalID: request.proposalID, outcome: .deny, ruleIDs: [], reasons: Self.defaultDenyReasons,
                            policyVersion: spec.version, policyHash: spec.hash, isShadow: request.isShadow)
        }
        let verdict = verdicts.verdict(matches)
        return Decision(proposalID: request.proposalID, outcome: outcome, ruleIDs: verdict.ruleIDs, reasons: verdict.reasons,
                        requirement: verdict.requirement, policyVersion: spec.version, policyHash: spec.hash, isShadow: request.isShadow)
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
