import AndonCore
import AndonPolicy
import Foundation
import Testing

/// Default deny, deny wins, strictest approval, allow: the precedence table of docs/policy.md.
@Suite struct SemanticsTests {
    static let policy = """
    policy: {id: semantics, version: "1.0"}
    rules:
      - id: allow-low
        match: {action: reduce_speed, risk: low}
        decision: allow
      - id: allow-body
        match: {action: reduce_speed, target: "B*"}
        decision: allow
        reason: body shop tweak
      - id: deny-stale
        match: {when: {data_age_over: 10s}}
        decision: deny
        reason: stale
      - id: deny-m3
        match: {target: M3}
        decision: deny
      - id: approve-medium
        match: {risk: medium}
        decision: approve
        approve: {roles: [operator, supervisor], timeout: 5m}
      - id: approve-stop
        match: {action: stop_cell}
        decision: approve
        approve: {roles: [supervisor, engineer], quorum: 2, distinct: true, timeout: 3m, escalate: {after: 1m, to: engineer}, reason_required: true}
    """

    struct Example: Sendable, CustomTestStringConvertible {
        let name: String
        let request: PolicyRequest
        let outcome: DecisionOutcome
        let rules: [String]
        var testDescription: String { name }
    }

    static let examples: [Example] = [
        Example(name: "no rule matches: default deny", request: Fixtures.request(.recalibrate, target: "M1"), outcome: .deny, rules: []),
        Example(name: "one allow", request: Fixtures.request(target: "M1"), outcome: .allow, rules: ["allow-low"]),
        Example(name: "every matching allow is named", request: Fixtures.request(), outcome: .allow, rules: ["allow-low", "allow-body"]),
        Example(name: "deny wins over allow", request: Fixtures.request(age: 11), outcome: .deny, rules: ["deny-stale"]),
        Example(name: "deny wins over approve", request: Fixtures.request(.stopCell, risk: .medium, age: 20), outcome: .deny, rules: ["deny-stale"]),
        Example(name: "every matching deny is named", request: Fixtures.request(.stopCell, target: "M3", age: 20), outcome: .deny,
                rules: ["deny-stale", "deny-m3"]),
        Example(name: "approve wins over allow", request: Fixtures.request(risk: .medium), outcome: .approve, rules: ["approve-medium"]),
        Example(name: "approvals merge", request: Fixtures.request(.stopCell, target: "B2", risk: .medium), outcome: .approve,
                rules: ["approve-medium", "approve-stop"]),
    ]

    @Test(arguments: examples)
    func decides(_ example: Example) throws {
        let decision = try Fixtures.engine(Self.policy).decide(example.request)
        #expect(decision.outcome == example.outcome)
        #expect(decision.ruleIDs == example.rules)
        #expect(decision.reasons.count == max(1, example.rules.count))
        #expect((decision.requirement != nil) == (example.outcome == .approve))
        #expect(decision.proposalID == "p-1")
    }

    @Test func defaultDenyHasItsReasonAndNoRules() throws {
        let decision = try Fixtures.engine(Self.policy).decide(Fixtures.request(.recalibrate, target: "M1"))
        #expect(decision.ruleIDs.isEmpty)
        #expect(decision.reasons == ["no rule allows this (default deny)"])
    }

    @Test func reasonsComeFromTheRuleOrAreGenerated() throws {
        let decision = try Fixtures.engine(Self.policy).decide(Fixtures.request())
        #expect(decision.reasons == ["allowed: action reduce_speed, risk low", "body shop tweak"])
    }

    @Test func mergedApprovalIsTheStrictest() throws {
        let decision = try Fixtures.engine(Self.policy).decide(Fixtures.request(.stopCell, target: "B2", risk: .medium))
        let requirement = try #require(decision.requirement)
        #expect(requirement.roles == [.supervisor])
        #expect(requirement.quorum == 2)
        #expect(requirement.distinct)
        #expect(requirement.timeoutSeconds == 180)
        #expect(requirement.onTimeout == .reject)
        #expect(requirement.escalation == Escalation(afterSeconds: 60, role: .engineer))
        #expect(requirement.reasonRequired)
    }

    @Test func singleApprovalIsTakenAsWritten() throws {
        let decision = try Fixtures.engine(Self.policy).decide(Fixtures.request(risk: .medium))
        #expect(decision.requirement == ApprovalRequirement(roles: [.operator, .supervisor], timeoutSeconds: 300))
    }

    @Test func shadowIsCarriedThrough() throws {
        let decision = try Fixtures.engine(Self.policy).decide(Fixtures.request(shadow: true))
        #expect(decision.isShadow)
        #expect(decision.outcome == .allow)
    }

    @Test func decisionRecordsVersionAndHash() throws {
        let engine = try Fixtures.engine(Self.policy)
        let decision = engine.decide(Fixtures.request())
        #expect(decision.policyVersion == "1.0")
        #expect(decision.policyHash == engine.hash)
        #expect(decision.policyHash.count == 64)
    }

    @Test func explanationAgreesWithTheDecision() throws {
        let engine = try Fixtures.engine(Self.policy)
        for example in Self.examples {
            let explanation = engine.explain(example.request)
            let matched = explanation.rules.filter(\.isMatch).map(\.ruleID)
            #expect(Set(example.rules).isSubset(of: matched), "\(example.name)")
            for verdict in explanation.rules where !verdict.isMatch {
                #expect(!verdict.failures.isEmpty)
            }
        }
        let stale = engine.explain(Fixtures.request(.recalibrate, target: "M1", age: nil))
        #expect(stale.rules.first { $0.ruleID == "deny-stale" }?.failures == ["data age is unknown; the rule needs data age > 10s"])
    }

    @Test func aConditionOnAMissingChangeIsFalse() throws {
        let engine = try Fixtures.engine("""
        policy: {id: v, version: "1"}
        rules:
          - id: small-change
            match: {action: reduce_speed, when: {change_percent_at_most: 10}}
            decision: allow
        """)
        let missing = try PolicyRequest.parse(text: #"{"action":"reduce_speed","target":"B1","risk":"low","agent":"maintenance"}"#, file: "r")
        #expect(missing.changePercent == nil)
        #expect(engine.decide(missing).outcome == .deny, "a missing change is not 10% or less")
        #expect(engine.explain(missing).rules.first?.failures == ["change is unknown; the rule needs change ≤ 10%"])
        let given = try PolicyRequest.parse(text: #"{"action":"reduce_speed","target":"B1","risk":"low","agent":"maintenance","change_percent":-5}"#, file: "r")
        #expect(given.changePercent == 5)
        #expect(engine.decide(given).outcome == .allow)
        let decoded = try JSONDecoder().decode(PolicyRequest.self, from: Data(#"{"action":"reduce_speed","target":"B1","risk":"low","agent":"maintenance"}"#.utf8))
        #expect(engine.decide(decoded).outcome == .deny, "decoded the same way as parsed")
    }
}
