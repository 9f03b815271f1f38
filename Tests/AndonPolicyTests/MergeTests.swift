import AndonCore
import AndonPolicy
import Testing

/// Approval merging beyond the semantics table: escalation past the merged timeout, timeout outcomes.
@Suite struct MergeTests {
    @Test func escalationAfterTheMergedTimeoutIsDropped() throws {
        let engine = try Fixtures.engine("""
        policy: {id: m, version: "1"}
        rules:
          - id: quick
            match: {action: stop_cell}
            decision: approve
            approve: {roles: [supervisor], timeout: 2m, on_timeout: approve}
          - id: slow
            match: {risk: high}
            decision: approve
            approve: {roles: [supervisor, engineer], timeout: 10m, on_timeout: approve, escalate: {after: 5m, to: engineer}}
        """)
        let requirement = try #require(engine.decide(Fixtures.request(.stopCell, risk: .high)).requirement)
        #expect(requirement.timeoutSeconds == 120)
        #expect(requirement.escalation == nil)
        #expect(requirement.onTimeout == .approve)
        #expect(requirement.roles == [.supervisor])
    }

    @Test func rejectOnTimeoutWinsWhenAnyRuleAsksForIt() throws {
        let engine = try Fixtures.engine("""
        policy: {id: m, version: "1"}
        rules:
          - id: lenient
            match: {action: stop_cell}
            decision: approve
            approve: {roles: [supervisor], timeout: 2m, on_timeout: approve}
          - id: strict
            match: {risk: high}
            decision: approve
            approve: {roles: [supervisor], timeout: 3m}
        """)
        #expect(engine.decide(Fixtures.request(.stopCell, risk: .high)).requirement?.onTimeout == .reject)
    }

    @Test func requirementSummaryReadsWell() {
        let requirement = ApprovalRequirement(roles: [.supervisor, .engineer], quorum: 2, distinct: true, timeoutSeconds: 300,
                                              escalation: Escalation(afterSeconds: 120, role: .supervisor), reasonRequired: true)
        #expect(requirement.summary == "2 distinct people from [supervisor, engineer] within 5m, else reject; escalate to supervisor after 2m; reason required")
    }
}
