import AndonCore
import AndonPolicy
import Foundation
import Testing

/// A decision looks only at the rules its action and target can reach, and shares what a set of rules decides: it must
/// still name exactly the rules that match, in file order, with the strictest requirement, as testing every rule does.
@Suite struct IndexTests {
    /// Rules over plain targets, globbed targets, lines and conditions, mixing outcomes so that requests meet none, one
    /// or several rules of an outcome.
    static let policy: String = {
        var text = "policy: {id: indexed, version: \"1\"}\nrules:\n"
        let actions = ["reduce_speed", "restore_speed", "schedule_maintenance", "recalibrate", "rebalance_wip", "resume_cell"]
        for i in 0..<120 {
            let action = actions[i % actions.count]
            let target = "L\(i / 10)C\(i % 10)"
            switch i % 5 {
            case 0:
                text += "  - id: deny-\(i)\n    match: {action: \(action), target: \"\(target)\", when: {data_age_over: \(10 + i % 5)s}}\n    decision: deny\n"
            case 1:
                text += "  - id: approve-\(i)\n    match: {action: [\(action), stop_cell], target: [\"\(target)\", \"L\(i / 10)C0\"], risk: [high, critical]}\n"
                text += "    decision: approve\n    approve: {roles: [supervisor], timeout: \(3 + i % 4)m}\n"
            case 2:
                text += "  - id: allow-\(i)\n    match: {action: \(action), target: \"L\(i / 10)*\", risk: low, when: {change_percent_at_most: \(5 + i % 10)}}\n"
                text += "    decision: allow\n"
            case 3:
                text += "  - id: approve-line-\(i)\n    match: {action: \(action), line: \"line\(i % 7)\", when: {state: [Held, Execute]}}\n"
                text += "    decision: approve\n    approve: {roles: [operator, supervisor], quorum: \(1 + i % 2), timeout: 5m}\n"
            default:
                text += "  - id: approve-risk-\(i)\n    match: {risk: [medium, high], target: \"?\(i % 10)*\", when: {data_age_at_most: \(i / 5)s}}\n"
                text += "    decision: approve\n"
                text += "    approve: {roles: [engineer, supervisor], timeout: 4m, escalate: {after: 2m, to: supervisor}}\n"
            }
        }
        return text
    }()

    @Test func decisionsNameTheRulesThatTestingEveryRuleFinds() throws {
        let engine = PolicyEngine(try PolicySpec.parse(text: Self.policy, file: "indexed.yaml"))
        var random = SystemRandomNumberGenerator()
        var seen: Set<Int> = []
        for n in 0..<3000 {
            let action = ActionKind.allCases.randomElement(using: &random)!
            let row = Int.random(in: 0..<13, using: &random)
            let request = PolicyRequest(proposalID: "p-\(n)", action: action, target: "L\(row)C\(Int.random(in: 0..<11, using: &random))",
                                        line: "line\(Int.random(in: 0..<8, using: &random))", risk: RiskClass.allCases.randomElement(using: &random)!,
                                        agentKind: AgentKind.allCases.randomElement(using: &random)!, changePercent: Double.random(in: 0...20, using: &random),
                                        dataAgeSeconds: Double.random(in: 0...20, using: &random),
                                        cellState: [PackMLState.held, .execute, .stopped].randomElement(using: &random)!)
            let decision = engine.decide(request)
            let explanation = engine.explain(request)
            let matched = explanation.rules.filter(\.isMatch)
            let winning = [DecisionOutcome.deny, .approve, .allow].first { outcome in matched.contains { $0.outcome == outcome } }
            let expected = matched.filter { $0.outcome == winning }.map(\.ruleID)
            #expect(decision.ruleIDs == expected, "\(request)")
            #expect(decision.outcome == winning ?? .deny, "\(request)")
            seen.insert(expected.count)
            if winning == .approve {
                let rules = engine.spec.rules.filter { expected.contains($0.id) }
                let strictest = rules.compactMap(\.approval).reduce(into: (quorum: 0, timeout: Double.infinity)) {
                    $0.quorum = max($0.quorum, $1.quorum)
                    $0.timeout = min($0.timeout, $1.timeoutSeconds)
                }
                #expect(decision.requirement?.quorum == strictest.quorum)
                #expect(decision.requirement?.timeoutSeconds == strictest.timeout)
            } else {
                #expect(decision.requirement == nil)
            }
        }
        #expect(seen.isSuperset(of: [0, 1, 2]), "requests met no rule, one rule and several rules: \(seen)")
    }

    @Test func aCombinationOfRulesDecidesTheSameEachTime() throws {
        let engine = try Fixtures.engine(SemanticsTests.policy)
        let request = Fixtures.request(.stopCell, risk: .medium)
        let first = engine.decide(request)
        #expect(first.ruleIDs == ["approve-medium", "approve-stop"])
        for _ in 0..<3 { #expect(engine.decide(request) == first) }
    }
}
