import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// The races of shared approvals the runtime must lose gracefully, arranged on an in-memory ledger: another runtime's
/// decision lands after this runtime last read the row, and this runtime's own write (an expiry, a person's approval)
/// then finds the row moved.
struct SharedApprovalRaceTests {
    static let ana = Person(name: "ana", role: .supervisor)

    /// Line-b's engine on a shared ledger, ticked until its maintenance agent's approval is pending.
    static func lineB() throws -> (PlantEngine, MemoryApprovalLedger, Approval) {
        let ledger = MemoryApprovalLedger(runtimeID: "line-b")
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: Fixtures.vibrationRise), options: EngineOptions(seed: 11),
                                 judge: policy, audit: ledger, roster: { Person(name: $0, role: .supervisor) })
        engine.start(recovering: Recovery())
        while engine.time < 1800 {
            engine.tick()
            if let pending = engine.pendingApprovals.first { return (engine, ledger, pending) }
        }
        throw TestFailure("no approval was asked for")
    }

    static func executions(_ ledger: MemoryApprovalLedger, of approval: Approval) -> Int {
        ledger.records.count { $0.kind == .actionExecuted && $0.correlationID == approval.proposal.correlationID.rawValue }
    }

    @Test func anExpiryThatLosesToAnApprovalElsewhereStandsAndTheActionNeverRuns() throws {
        let (engine, ledger, approval) = try Self.lineB()
        let id = "line-b/\(approval.proposal.id)"
        #expect(ledger.row(id)?.state == .pending)
        // ana approves at line-a's console; line-b has not heard yet when its deadline comes.
        ledger.deliversNews = false
        ledger.decideElsewhere(id, state: .approved, signature: SharedApproval.Signature(name: "ana", role: "supervisor", runtime: "line-a"))
        while engine.time <= approval.deadline + 1 { engine.tick() }

        #expect(engine.approvals.first { $0.proposal.id == approval.proposal.id }?.state == .expired)
        #expect(ledger.row(id)?.state == .approved, "the shared row keeps the decision that landed first")
        #expect(ledger.isClaimed(id), "claimed, so that it never runs later by surprise")
        #expect(Self.executions(ledger, of: approval) == 0)
        #expect(ledger.records.contains { $0.kind == .approvalExpired })
    }

    @Test func aPersonsApprovalThatLosesToARejectionElsewhereIsRefusedSayingSo() throws {
        let (engine, ledger, approval) = try Self.lineB()
        let id = "line-b/\(approval.proposal.id)"
        ledger.deliversNews = false
        ledger.decideElsewhere(id, state: .rejected,
                               signature: SharedApproval.Signature(name: "ben", role: "supervisor", runtime: "line-a", rejection: "bearing checked"))

        let result = engine.handle(.approve(approvalID: approval.proposal.id), as: Self.ana)
        #expect(!result.isAccepted)
        #expect(result.message.contains("changed elsewhere first") && result.message.contains("rejected"), "\(result.message)")
        // The runtime took the row as it stands: rejected by ben at line-a, on line-b's record once committed.
        engine.tick()
        let here = try #require(engine.approvals.first { $0.proposal.id == approval.proposal.id })
        #expect(here.state == .rejected)
        #expect(here.decidedBy?.name == "ben")
        #expect(ledger.records.contains { $0.kind == .approvalRejected && $0.actor.name == "ben" && $0.payload.contains("at runtime line-a") })
        #expect(Self.executions(ledger, of: approval) == 0)
        #expect(ledger.row(id)?.state == .rejected)
    }
}
