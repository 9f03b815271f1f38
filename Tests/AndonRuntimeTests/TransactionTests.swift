import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// One transaction per decision: what is published, adopted or executed follows the commit of its record, and a
/// command the store could not record leaves nothing behind.
struct TransactionTests {
    static let ana = Person(name: "ana", role: .supervisor)

    private func engine(audit: MemoryAuditSink) throws -> PlantEngine {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: Fixtures.vibrationRise),
                                 options: EngineOptions(seed: 11), judge: policy, audit: audit, roster: { _ in Self.ana })
        engine.start(recovering: Recovery())
        return engine
    }

    private func runUntilPending(_ engine: PlantEngine) throws -> Approval {
        while engine.time < 1800 {
            engine.tick()
            if let pending = engine.pendingApprovals.first { return pending }
        }
        throw TestFailure("no approval became pending")
    }

    @Test func anApprovalTheStoreRefusedIsNeverPublishedAsDecided() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        engine.isBufferingEvents = true
        var published: [EventEnvelope] = []
        engine.onEvent = { published.append($0) }
        let pending = try runUntilPending(engine)
        published.removeAll()
        _ = engine.drainEvents()
        audit.failure = "disk full"
        let result = engine.handle(.approve(approvalID: pending.proposal.id), as: Self.ana)
        #expect(!result.isAccepted)
        let about = { (events: [EventEnvelope]) in
            events.filter { if case let .approval(change) = $0.body { change.approvalID == pending.proposal.id } else { false } }
        }
        #expect(about(published).isEmpty, "published: \(about(published).map(\.body))")
        #expect(about(engine.drainEvents()).isEmpty)
        #expect(engine.pendingApprovals.map(\.proposal.id) == [pending.proposal.id])
    }

    @Test func aKillSwitchTheStoreRefusedDoesNotComeBackLater() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        audit.failure = "read-only file system"
        #expect(!engine.handle(.killSwitch(on: true, agentID: nil), as: Self.ana).isAccepted)
        #expect(!engine.handle(.takeOver(from: "ben"), as: Self.ana).isAccepted)
        #expect(!engine.snapshot().isKillSwitchOn)
        audit.failure = nil
        engine.run(until: engine.time + 30)
        #expect(audit.records(.modeChange).isEmpty, "a refused kill switch was committed later")
        #expect(!audit.records(.operatorCommand).contains { $0.payload.contains("took over") })
        #expect((try Recovery.replay(audit.records)).isKillSwitchOn == false)
    }

    @Test func nothingStagedIsDroppedHoweverLongTheStoreIsDown() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        let before = audit.records.count
        audit.failure = "disk full"
        for i in 0..<100_050 {
            engine.record(.alarm, actor: .system, payload: ["n": "\(i)"], correlation: CorrelationID("t"))
        }
        #expect(!engine.commitAudit())
        audit.failure = nil
        #expect(engine.commitAudit())
        let added = audit.records.dropFirst(before)
        #expect(added.count == 100_050)
        #expect(added.first?.payload == #"{"n":"0"}"#)
        #expect(added.last?.payload == #"{"n":"100049"}"#)
    }
}

/// A test that could not reach the point it checks.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The kill switch stops what agents decide; it never disarms the safety interlock.
struct KillSwitchTests {
    static let ana = Person(name: "ana", role: .supervisor)

    private func engine(audit: MemoryAuditSink, incidents: [Incident]) throws -> PlantEngine {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: incidents),
                                 options: EngineOptions(seed: 11), judge: policy, audit: audit, roster: { _ in Self.ana })
        engine.start(recovering: Recovery())
        return engine
    }

    @Test func aHardLimitStillHoldsTheCellUnderTheKillSwitch() throws {
        let audit = MemoryAuditSink()
        let trip = [Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 3, duration: 300))]
        let engine = try engine(audit: audit, incidents: trip)
        #expect(engine.handle(.killSwitch(on: true, agentID: nil), as: Self.ana).isAccepted)
        engine.run(until: 400)
        let executed = audit.records(.actionExecuted).filter { $0.payload.contains("\"applied\":true") }
        #expect(executed.count == 1)
        #expect(executed.first?.payload.contains("hold_cell") == true)
        #expect([.holding, .held, .stopping, .stopped].contains(engine.twin.state(of: "A")))
        #expect(audit.records(.decision).contains { $0.payload.contains("\"isShadow\":true") }, "the other agents were in shadow")
    }

    @Test func releasingTheKillSwitchLetsAgentsSeeThePlantAfresh() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit, incidents: Fixtures.vibrationRise)
        #expect(engine.handle(.killSwitch(on: true, agentID: nil), as: Self.ana).isAccepted)
        engine.run(until: 400)
        #expect(engine.pendingApprovals.isEmpty)
        #expect(audit.records(.proposal).contains { $0.payload.contains("schedule_maintenance") }, "the condition was seen in shadow")
        #expect(engine.handle(.killSwitch(on: false, agentID: nil), as: Self.ana).isAccepted)
        engine.run(until: 460)
        #expect(engine.pendingApprovals.contains { $0.proposal.action == .scheduleMaintenance && $0.proposal.target == "A" },
                "after the release the maintenance agent proposes again for the condition it saw in shadow")
    }
}
