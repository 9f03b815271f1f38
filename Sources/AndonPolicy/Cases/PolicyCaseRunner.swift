import AndonCore

/// The result of running one case.
public struct PolicyCaseResult: Sendable, Hashable {
    /// The case run.
    public var policyCase: PolicyCase
    /// What the policy decided.
    public var decision: Decision

    /// True when outcome and determining rules are as expected.
    public var isPass: Bool {
        decision.outcome == policyCase.expectedOutcome && Set(decision.ruleIDs) == Set(policyCase.expectedRuleIDs)
            && decision.ruleIDs.count == policyCase.expectedRuleIDs.count
    }

    /// A readable diff of expected and actual, empty when the case passes.
    public var diff: String {
        guard !isPass else { return "" }
        func verdict(_ outcome: DecisionOutcome, _ rules: [String]) -> String {
            rules.isEmpty ? "\(outcome.rawValue) (default deny, no rule)" : "\(outcome.rawValue) by [\(rules.sorted().joined(separator: ", "))]"
        }
        var lines = ["FAIL \(policyCase.name) (\(policyCase.location))",
                     "  request: \(policyCase.request.summary)",
                     "  - expected: \(verdict(policyCase.expectedOutcome, policyCase.expectedRuleIDs))",
                     "  + actual:   \(verdict(decision.outcome, decision.ruleIDs))"]
        let missing = Set(policyCase.expectedRuleIDs).subtracting(decision.ruleIDs).sorted()
        let extra = Set(decision.ruleIDs).subtracting(policyCase.expectedRuleIDs).sorted()
        if !missing.isEmpty { lines.append("    rules expected but not determining: \(missing.joined(separator: ", "))") }
        if !extra.isEmpty { lines.append("    rules determining but not expected: \(extra.joined(separator: ", "))") }
        lines += decision.reasons.map { "    reason: \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// The results of running a cases file against a policy.
public struct PolicyCaseReport: Sendable, Hashable {
    /// Every case's result, in file order.
    public var results: [PolicyCaseResult]
    /// Ids of rules that determined no case's decision, in file order.
    public var uncoveredRuleIDs: [String]
    /// True when some case ended in the default deny.
    public var coversDefaultDeny: Bool
    /// Rule ids that cases expect but the policy does not have.
    public var unknownExpectedRuleIDs: [String]

    /// Cases that passed.
    public var passed: Int { results.filter(\.isPass).count }
    /// Cases that failed.
    public var failed: Int { results.count - passed }

    /// `N passed, M failed`.
    public var summary: String { "\(passed) passed, \(failed) failed" }

    /// Diffs of the failing cases, then notes on coverage, then the summary line.
    public var text: String {
        var blocks = results.filter { !$0.isPass }.map(\.diff)
        if !unknownExpectedRuleIDs.isEmpty { blocks.append("note: cases expect rules the policy does not have: \(unknownExpectedRuleIDs.joined(separator: ", "))") }
        if !uncoveredRuleIDs.isEmpty { blocks.append("note: rules no case covers: \(uncoveredRuleIDs.joined(separator: ", "))") }
        if !coversDefaultDeny { blocks.append("note: no case reaches the default deny") }
        blocks.append(summary)
        return blocks.joined(separator: "\n")
    }
}

extension PolicyEngine {
    /// Decides every case and compares with what it expects.
    public func run(_ cases: PolicyCases) -> PolicyCaseReport {
        let results = cases.cases.map { PolicyCaseResult(policyCase: $0, decision: decide($0.request)) }
        let determining = Set(results.flatMap(\.decision.ruleIDs))
        let known = Set(spec.rules.map(\.id))
        let expected = cases.cases.flatMap(\.expectedRuleIDs)
        var unknown: [String] = []
        for id in expected where !known.contains(id) && !unknown.contains(id) { unknown.append(id) }
        return PolicyCaseReport(results: results, uncoveredRuleIDs: spec.rules.map(\.id).filter { !determining.contains($0) },
                                coversDefaultDeny: results.contains { $0.decision.ruleIDs.isEmpty && $0.decision.outcome == .deny },
                                unknownExpectedRuleIDs: unknown)
    }
}
