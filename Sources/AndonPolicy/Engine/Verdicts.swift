import AndonCore
import Synchronization

/// What a set of matching rules decides, as a decision carries it: their ids, their reasons, and for approve rules the
/// strictest requirement of them all.
struct Verdict: Sendable {
    let ruleIDs: [String]
    let reasons: [String]
    let requirement: ApprovalRequirement?
}

/// Verdicts worked out once and shared by every decision that reaches them: one per rule, made when the policy is
/// compiled, and one per combination of up to three rules matching together, kept the first time one is met (a
/// policy's combinations are few; past ``capacity`` of them, the rest are worked out each time).
final class Verdicts: Sendable {
    private let rules: [PolicyRule]
    private let sole: [Verdict]
    private let combined = Mutex<[UInt64: Verdict]>([:])
    static let capacity = 4096

    init(_ rules: [PolicyRule]) {
        self.rules = rules
        sole = rules.map { Verdict(ruleIDs: [$0.id], reasons: [$0.effectiveReason], requirement: $0.outcome == .approve ? $0.approval : nil) }
    }

    /// The verdict of `matches`, which are the matching rules of one outcome in file order (at least one).
    func verdict(_ matches: RuleMatches) -> Verdict {
        if matches.count == 1 { return sole[matches[0]] }
        guard let key = matches.packed else { return merge(matches.all) }
        if let known = combined.withLock({ $0[key] }) { return known }
        let verdict = merge(matches.all)
        combined.withLock { memo in
            if memo.count < Self.capacity { memo[key] = verdict }
        }
        return verdict
    }

    private func merge(_ indices: [Int]) -> Verdict {
        let requirements = indices.compactMap { rules[$0].outcome == .approve ? rules[$0].approval : nil }
        return Verdict(ruleIDs: indices.map { rules[$0].id }, reasons: indices.map { rules[$0].effectiveReason },
                       requirement: requirements.isEmpty ? nil : ApprovalMerge.strictest(requirements))
    }
}
