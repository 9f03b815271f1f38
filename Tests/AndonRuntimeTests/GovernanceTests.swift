import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// Proposals through policy, approvals, the executor and the audit trail, in the engine.
struct GovernanceTests {
    static let ana = Person(name: "ana", role: .supervisor)
    static let ben = Person(name: "ben", role: .operator)

    private func engine(audit: MemoryAuditSink = MemoryAuditSink(), incidents: [Incident] = Fixtures.vibrationRise,
                        commands: [ScriptedCommand] = [], agents: String = Fixtures.maintenanceAgents) throws -> PlantEngine {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: agents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        let roster: @Sendable (String) -> Person = { name in name == "ana" ? Self.ana : name == "ben" ? Self.ben : Person(name: name, role: .observer) }
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: incidents, commands: commands),
                                 options: EngineOptions(seed: 11), judge: policy, audit: audit, roster: roster)
        engine.start(recovering: Recovery())
        return engine
    }

    private func runUntilPending(_ engine: PlantEngine, limit: SimTime = 1800) -> Approval? {
        while engine.time < limit {
            engine.tick()
            if let pending = engine.pendingApprovals.first { return pending }
        }
        return nil
    }

    @Test func allowedActionsRunOnlyAfterTheirRecordIsCommitted() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        _ = runUntilPending(engine)
        let decisions = audit.records(.decision)
        let executed = audit.records(.actionExecuted)
        #expect(!executed.isEmpty)
        for action in executed {
            let decision = try #require(decisions.first { $0.correlationID == action.correlationID })
            #expect(decision.sequence < action.sequence)
        }
        #expect(engine.twin.speed(of: "A")! < 1)
    }

    @Test func approveRequestsWaitAndAHumanDecisionIsSyncedBeforeItRuns() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        let pending = try #require(runUntilPending(engine))
        #expect(pending.proposal.action == .scheduleMaintenance)
        #expect(pending.deadline == pending.requestedAt + 300)
        #expect(engine.twin.state(of: "A") != .stopping)
        let syncedBefore = audit.syncedAppends
        let result = engine.handle(.approve(approvalID: pending.proposal.id), as: Self.ana)
        #expect(result.isAccepted)
        #expect(result.message == "approved schedule_maintenance of A as supervisor")
        #expect(audit.syncedAppends == syncedBefore + 1)
        let approved = try #require(audit.records(.approvalApproved).last)
        let executed = try #require(audit.records(.actionExecuted).last)
        #expect(approved.sequence < executed.sequence)
        #expect(approved.actor == AuditActor.person(Self.ana))
        #expect(engine.twin.state(of: "A") == .stopping)
    }

    @Test func theSecondDecisionIsRefusedAndNothingRunsTwice() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        let pending = try #require(runUntilPending(engine))
        _ = engine.handle(.approve(approvalID: pending.proposal.id), as: Self.ana)
        let again = engine.handle(.approve(approvalID: pending.proposal.id), as: Self.ana)
        #expect(!again.isAccepted)
        #expect(again.message.hasPrefix("already approved by ana at "))
        engine.run(until: engine.time + 600)
        let runs = audit.records(.actionExecuted).filter { $0.payload.contains(pending.proposal.idempotencyKey) && $0.payload.contains("\"applied\":true") }
        #expect(runs.count == 1)
    }

    @Test func authorisationIsDecidedInTheRuntime() throws {
        let engine = try engine()
        let pending = try #require(runUntilPending(engine))
        let refused = engine.handle(.approve(approvalID: pending.proposal.id), as: Self.ben)
        #expect(!refused.isAccepted)
        #expect(refused.message.contains("operators may not decide"))
        #expect(engine.pendingApprovals.count == 1)
        let kill = engine.handle(.killSwitch(on: true, agentID: nil), as: Self.ben)
        #expect(!kill.isAccepted)
    }

    @Test func aFailingStoreRefusesHumanDecisionsAndStopsActions() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        let pending = try #require(runUntilPending(engine))
        audit.failure = "disk full"
        let result = engine.handle(.approve(approvalID: pending.proposal.id), as: Self.ana)
        #expect(!result.isAccepted)
        #expect(result.message.contains("audit store is failing"))
        #expect(engine.pendingApprovals.first?.proposal.id == pending.proposal.id)
        #expect(engine.snapshot().audit.isHealthy == false)
        engine.run(until: engine.time + 300)
        #expect(engine.twin.state(of: "A") == .execute || engine.twin.state(of: "A") == .suspended)
        audit.failure = nil
        // The store's failures are retried with a backoff; an explicit commit tries at once.
        engine.commitAudit()
        #expect(engine.snapshot().audit.isHealthy)
        #expect(engine.handle(.approve(approvalID: pending.proposal.id), as: Self.ana).isAccepted || engine.pendingApprovals.isEmpty)
    }

    @Test func shadowProposalsAreRecordedNeverQueuedOrExecuted() throws {
        let audit = MemoryAuditSink()
        let shadow = "[{id: A.maint, kind: maintenance, version: 2.0.0, mode: shadow, budget: 5ms}]"
        let engine = try engine(audit: audit, agents: shadow)
        engine.run(until: 1200)
        #expect(!audit.records(.decision).isEmpty)
        #expect(audit.records(.decision).allSatisfy { $0.payload.contains("\"isShadow\":true") })
        #expect(audit.records(.approvalRequested).isEmpty)
        #expect(audit.records(.actionExecuted).isEmpty)
        #expect(engine.twin.speed(of: "A") == 1)
    }

    @Test func aConsoleTakeoverIsOnRecordAndCarriesTheEarlierHandsForward() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        let chen = Person(name: "chen", role: .engineer)
        let syncedBefore = audit.syncedAppends
        let first = engine.handle(.takeOver(from: "ana"), as: Self.ben)
        #expect(first.isAccepted)
        #expect(first.message == "ben (operator) took over the console from ana")
        #expect(audit.syncedAppends == syncedBefore + 1)
        _ = engine.handle(.takeOver(from: "ben"), as: chen)
        #expect(engine.desk.consoleHandovers == ["ben": ["ana"], "chen": ["ana", "ben"]])
        let records = audit.records(.operatorCommand).filter { $0.payload.contains("take-over") }
        #expect(records.map(\.actor) == [.person(Self.ben), .person(chen)])
        #expect(records.last?.payload.contains("\"from\":\"ben\"") == true)

        audit.failure = "disk full"
        let refused = engine.handle(.takeOver(from: "chen"), as: Self.ana)
        #expect(!refused.isAccepted)
        #expect(engine.desk.consoleHandovers["ana"] == nil)
    }

    @Test func pausingIsOnRecordAndRefusedToObservers() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        #expect(engine.handle(.setPaused(true), as: Self.ben).message == "paused")
        #expect(engine.handle(.setPaused(false), as: Self.ben).message == "live")
        let eve = Person(name: "eve", role: .observer)
        let refused = engine.handle(.setPaused(true), as: eve)
        #expect(!refused.isAccepted)
        #expect(refused.message == "refused: observers may not pause the plant clock")
        _ = engine.commitAudit()
        let records = audit.records(.operatorCommand)
        try #require(records.map(\.actor) == [.person(Self.ben), .person(Self.ben), .person(eve)])
        #expect(records[0].payload.contains("\"command\":\"pause\""))
        #expect(records[1].payload.contains("\"command\":\"resume\""))
        #expect(records[2].payload.contains("refused"))
    }

    @Test func killSwitchPutsEveryAgentInShadowAndIsAudited() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        let result = engine.handle(.killSwitch(on: true, agentID: nil), as: Self.ana)
        #expect(result.isAccepted)
        #expect(engine.snapshot().isKillSwitchOn)
        #expect(engine.agentSnapshots.filter { $0.kind != .safety }.allSatisfy { $0.mode == .shadow })
        #expect(engine.agentSnapshots.filter { $0.kind == .safety }.allSatisfy { $0.mode == .active }, "the safety interlock stays armed")
        engine.run(until: 1200)
        #expect(audit.records(.actionExecuted).allSatisfy { $0.payload.contains("hold_cell") })
        #expect(audit.records(.modeChange).count == 1)
        _ = engine.handle(.killSwitch(on: false, agentID: nil), as: Self.ana)
        #expect(!engine.snapshot().isKillSwitchOn)
        #expect(audit.records(.modeChange).count == 2)
    }

    @Test func withdrawnWhenTheConditionClearsBeforeAnyoneDecides() throws {
        // Vibration climbs past the alarm limit, then a breakdown repair clears it before anyone decides.
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit, incidents: Fixtures.vibrationRise + [Incident(at: 400, target: "A", kind: .breakdown(repair: 30))])
        engine.run(until: 900)
        let withdrawn = audit.records(.approvalWithdrawn)
        let expired = audit.records(.approvalExpired)
        #expect(withdrawn.count == 1)
        #expect(expired.isEmpty)
    }

    @Test func scriptedCommandsExerciseTheWholePath() throws {
        let audit = MemoryAuditSink()
        let command = ScriptedCommand(at: 400, operatorName: "ana", action: .approve(target: "A", action: .scheduleMaintenance))
        let engine = try engine(audit: audit, commands: [command])
        engine.run(until: 600)
        #expect(audit.records(.approvalApproved).count == 1)
        #expect(audit.records(.operatorCommand).contains { $0.actor.name == "ana" })
        let report = engine.report(scenarioName: "t", wallSeconds: 1)
        #expect(report.decisions.approvalsByState["approved"] == 1)
        #expect(report.decisions.byOutcome["approve"] ?? 0 >= 1)
    }

    @Test func replayRebuildsPendingApprovalsWithTheirDeadlines() throws {
        let audit = MemoryAuditSink()
        let first = try engine(audit: audit)
        let pending = try #require(runUntilPending(first))
        first.commitAudit()
        let recovery = try Recovery.replay(try audit.allRecords())
        #expect(recovery.runs == 1)
        #expect(recovery.pending.map(\.proposal.id) == [pending.proposal.id])
        #expect(recovery.pending.first?.deadline == pending.deadline)
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        var options = EngineOptions(seed: 11)
        options.startTime = recovery.lastSimTime.rounded(.down)
        options.runNumber = recovery.runs + 1
        let second = PlantEngine(plant: plant, options: options, judge: PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "p")),
                                 audit: audit, roster: { _ in Self.ana })
        second.start(recovering: recovery)
        #expect(second.pendingApprovals.first?.deadline == pending.deadline)
        #expect(second.time == options.startTime)
        #expect(second.handle(.approve(approvalID: pending.proposal.id), as: Self.ana).isAccepted)
        #expect(try Recovery.replay(try audit.allRecords()).appliedKeys.contains(pending.proposal.idempotencyKey))
    }

    @Test func policyReloadIsAuditedAndABadOneKeepsTheOld() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit)
        let next = Fixtures.twoCellPolicyYAML.replacingOccurrences(of: "t1", with: "t2")
        engine.policySource = { PolicyEngine(try PolicySpec.parse(text: next, file: "p")) }
        #expect(engine.handle(.reloadPolicy, as: Self.ana).isAccepted)
        #expect(engine.snapshot().policyVersion == "t2")
        engine.policySource = { PolicyEngine(try PolicySpec.parse(text: next + "\n      colour: red\n", file: "p.yaml")) }
        #expect(!engine.handle(.reloadPolicy, as: Self.ana).isAccepted)
        #expect(engine.snapshot().policyVersion == "t2")
        #expect(engine.snapshot().policyProblem?.contains("error") == true)
        engine.commitAudit()
        #expect(audit.records(.policyReload).count == 2)
    }
}
