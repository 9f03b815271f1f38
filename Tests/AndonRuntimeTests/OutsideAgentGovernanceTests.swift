import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// An outside agent's proposals in the engine: the same door as a built-in agent's (policy, shadow, kill switch, the
/// record before the act), its rate, the data age it saw, its latency against its budget.
struct OutsideAgentGovernanceTests {
    static let ana = Person(name: "ana", role: .supervisor)

    private func engine(mode: String = "active", burst: Int = 5, audit: MemoryAuditSink = MemoryAuditSink()) throws -> PlantEngine {
        let agents = """
          - {id: helper, kind: external, cell: A, version: "2.0", mode: \(mode), budget: 20ms, actions: [reduce_speed, stop_cell], rate_limit: 1/h, burst: \(burst)}
        """
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML() + "\nagents:\n" + agents)
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: []), options: EngineOptions(seed: 3), judge: policy, audit: audit,
                                 roster: { $0 == "ana" ? Self.ana : Person(name: $0, role: .observer) })
        engine.start(recovering: Recovery())
        for _ in 0..<5 { engine.tick() }
        return engine
    }

    private func propose(_ engine: PlantEngine, key: String, percent: Double = 5, read: UInt64? = nil, action: String = "reduce_speed") -> OutsideOutcome {
        let sent = OutsideProposal(action: action, target: "A", parameters: action == "reduce_speed" ? ["percent": .number(percent)] : [:], risk: "low",
                                   rationale: "line one\nline two \u{1B}]0;owned\u{07}", evidence: [["name": .text("vibration"), "value": .number(2), "unit": .text("mm/s")]],
                                   idempotencyKey: key, basedOnRead: read)
        guard case let .outcome(outcome) = engine.answer(.propose(proposal: sent), from: "helper") else {
            Issue.record("a proposal is answered with its outcome")
            return OutsideOutcome(proposalID: nil, idempotencyKey: key, action: "", target: "", state: .refused, message: "")
        }
        return outcome
    }

    @Test func anAllowedProposalRunsOnlyAfterItsDecisionIsCommittedAndItsTextIsNeutralised() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        let speed = engine.twin.cells[0].speed
        let outcome = propose(engine, key: "k1")
        #expect(outcome.state == .executed && outcome.rules == ["small-speed"], "\(outcome)")
        #expect(engine.twin.cells[0].speed < speed)
        let proposal = try #require(audit.records(.proposal).last)
        let decision = try #require(audit.records(.decision).last)
        let action = try #require(audit.records(.actionExecuted).last)
        #expect(proposal.sequence < decision.sequence && decision.sequence < action.sequence)
        #expect(proposal.payload.contains("\"agentKind\":\"external\"") && proposal.payload.contains("line one line two ?]0;owned?"),
                "one printable line: \(proposal.payload)")
    }

    @Test func shadowModeAndTheKillSwitchJudgeAndRecordButNeverRun() throws {
        let shadow = try engine(mode: "shadow")
        let speed = shadow.twin.cells[0].speed
        #expect(propose(shadow, key: "s1").state == .shadow)
        #expect(shadow.twin.cells[0].speed == speed, "a shadow proposal never runs")

        let killed = try engine()
        #expect(killed.handle(.killSwitch(on: true, agentID: nil), as: Self.ana).isAccepted)
        #expect(propose(killed, key: "k1").state == .shadow, "the kill switch holds outside agents too")
        #expect(killed.handle(.killSwitch(on: false, agentID: nil), as: Self.ana).isAccepted)
        #expect(killed.handle(.killSwitch(on: true, agentID: "helper"), as: Self.ana).isAccepted, "an outside agent can be put in shadow by its id")
        #expect(propose(killed, key: "k2").state == .shadow)
        #expect(killed.agentSnapshots.first { $0.id == "helper" }?.mode == .shadow, "the Latency pane says so")
    }

    @Test func pastItsRateAnAgentIsRefusedNotQueuedAndTheFirstRefusalIsOnRecord() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(burst: 2, audit: audit)
        #expect(propose(engine, key: "r1").state == .executed)
        #expect(propose(engine, key: "r2", percent: 4).state == .executed)
        let third = propose(engine, key: "r3", percent: 3)
        let fourth = propose(engine, key: "r4", percent: 3)
        #expect(third.state == .refused && third.message.contains("throttled: agent helper may propose 1/h (burst 2)"), "\(third)")
        #expect(fourth.state == .refused)
        let throttled = audit.records(.agentRequest).filter { $0.payload.contains("throttled") }
        #expect(throttled.count == 1, "a run of refusals is recorded once, counted always")
        guard case let .plant(brief) = engine.answer(.plant, from: "helper") else {
            Issue.record("the plant is answered with its brief")
            return
        }
        #expect(brief.agent.proposals == 2 && brief.agent.throttled == 2, "\(brief.agent)")
        #expect(engine.report(scenarioName: "t", wallSeconds: 1).agents["helper"]?.throttled == 2)
    }

    @Test func thePolicyJudgesTheDataAgeTheAgentSaw() throws {
        let engine = try engine()
        guard case let .cell(read, cell) = engine.answer(.cell(id: "A"), from: "helper") else {
            Issue.record("a cell read is answered with the cell")
            return
        }
        #expect(cell.sensors.first?.highWarn == 2.8)
        for _ in 0..<30 { engine.tick() }
        let old = propose(engine, key: "d1", read: read)
        #expect(old.state == .denied && old.rules.isEmpty, "based on a 30 s old read, the small cut is not on fresh data: \(old)")
        let fresh = propose(engine, key: "d2")
        #expect(fresh.state == .executed, "without a read, the data's age now is judged: \(fresh)")
    }

    @Test func latencyIsCountedAgainstTheBudgetAndShownWithTheOthers() throws {
        let engine = try engine()
        engine.noteOutsideLatency("helper", nanos: 2_000_000)
        engine.noteOutsideLatency("helper", nanos: 30_000_000)
        let row = try #require(engine.agentSnapshots.first { $0.id == "helper" })
        #expect(row.kind == .external && row.cell == "A" && row.budgetSeconds == 0.02)
        #expect(row.decisions == 2 && row.breaches == 1)
        let report = engine.report(scenarioName: "t", wallSeconds: 1)
        #expect(report.measured.agents["helper"]?.breaches == 1 && report.agents["helper"]?.kind == "external")
    }

    @Test func anAgentNeverActsAsAnotherAndOnlyWithdrawsItsOwnPending() throws {
        let engine = try engine()
        let stop = propose(engine, key: "w1", action: "stop_cell")
        #expect(stop.state == .pending && stop.approvalID != nil, "\(stop)")
        let built = engine.outsideRefusal("A.maint")
        #expect(built?.contains("no outside agent 'A.maint'") == true, "a built-in agent's id is not an outside agent's")
        guard case let .outcome(withdrawn) = engine.answer(.withdraw(id: "w1"), from: "helper") else {
            Issue.record("a withdrawal is answered with the outcome")
            return
        }
        #expect(withdrawn.state == .withdrawn)
        guard case let .refused(reason) = engine.answer(.withdraw(id: "w1"), from: "helper") else {
            Issue.record("a second withdrawal is refused")
            return
        }
        #expect(reason.contains("not pending"))
    }
}
