import AndonCore

/// Checks that span rules: duplicate ids, rules that can never decide, approvals nobody could give together.
struct PolicyChecks {
    let rules: [PolicyRule]
    let sites: [RuleSite]
    /// Every rule id in the file, including those of rules with other errors.
    let ids: [(id: String, location: SourceLocation)]
    let diagnostics: Diagnostics

    func run() {
        checkDuplicateIDs()
        checkReachability()
        checkSharedRoles()
    }

    private func checkDuplicateIDs() {
        var first: [String: SourceLocation] = [:]
        for (id, location) in ids {
            if let earlier = first[id] {
                diagnostics.report(.duplicateID, at: location, "rule id '\(id)' is used twice (first at line \(earlier.line))", expected: "a unique rule id")
            } else {
                first[id] = location
            }
        }
    }

    /// A rule is unreachable when it can never be among the determining rules of any decision.
    private func checkReachability() {
        for (index, rule) in rules.enumerated() {
            if let earlier = rules[..<index].firstIndex(where: { $0.match == rule.match }) {
                diagnostics.report(.unreachableRule, at: sites[index].match,
                                   "rule '\(rule.id)' has the same match as rule '\(rules[earlier].id)' (line \(sites[earlier].id.line)), which is listed first",
                                   expected: "merge the two rules or make their matches differ")
                continue
            }
            guard rule.outcome != .deny else { continue }
            let winners: Set<DecisionOutcome> = rule.outcome == .allow ? [.deny, .approve] : [.deny]
            if let other = rules.indices.first(where: { $0 != index && winners.contains(rules[$0].outcome) && rules[$0].match.covers(rule.match) }) {
                diagnostics.report(.unreachableRule, at: sites[index].match,
                                   "rule '\(rule.id)' can never decide: whenever it matches, \(rules[other].outcome.rawValue) rule '\(rules[other].id)' (line \(sites[other].id.line)) matches too and wins",
                                   expected: "a match that \(rules[other].id) does not cover, or remove the rule")
            }
        }
    }

    /// Two approve rules that may match the same proposal must share a role, or nobody could satisfy both.
    private func checkSharedRoles() {
        let approvals = rules.indices.filter { rules[$0].outcome == .approve }
        for (position, a) in approvals.enumerated() {
            for b in approvals[(position + 1)...] {
                let rolesA = Set(rules[a].approval?.roles ?? []), rolesB = Set(rules[b].approval?.roles ?? [])
                guard rolesA.isDisjoint(with: rolesB), !rules[a].match.isDisjoint(from: rules[b].match) else { continue }
                diagnostics.report(.impossibleValue, at: sites[b].match,
                                   "rules '\(rules[a].id)' and '\(rules[b].id)' may both ask for approval of one proposal but share no role, so nobody could approve it",
                                   expected: "a role in common, or matches that cannot overlap")
            }
        }
    }
}
