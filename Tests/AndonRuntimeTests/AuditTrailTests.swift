import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// The runtime's side of the audit trail: what it saves at checkpoints, how it recovers, and what it does while the
/// store is down.
final class AuditTrailTests {
    /// The journals' folders this test made, removed after it.
    private var folders: [URL] = []

    static let ana = Person(name: "ana", role: .supervisor)

    private func engine(audit: MemoryAuditSink, incidents: [Incident] = Fixtures.vibrationRise, options: EngineOptions = EngineOptions(seed: 11),
                        recovery: Recovery = Recovery()) throws -> PlantEngine {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: incidents), options: options, judge: policy,
                                 audit: audit, roster: { _ in Self.ana })
        engine.start(recovering: recovery)
        return engine
    }

    private func journalPath() -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("andon-journal-\(UUID().uuidString)")
        folders.append(folder)
        return folder.appendingPathComponent("plant.jsonl").path
    }

    deinit {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }

    @Test func stateChangesNameTheirCell() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit, incidents: [Incident(at: 5, target: "A", kind: .breakdown(repair: 60))])
        engine.run(until: 200)
        let changes = audit.records(.stateChange)
        #expect(!changes.isEmpty)
        #expect(changes.allSatisfy { $0.payload.contains(#""cell":"A""#) || $0.payload.contains(#""cell":"B""#) }, "\(changes.first?.payload ?? "")")
    }

    @Test func aSavedStateAndTheRecordsAfterItRecoverWhatTheWholeLogDoes() throws {
        let audit = MemoryAuditSink()
        var options = EngineOptions(seed: 11)
        options.stateCheckpointEvery = 5
        let engine = try engine(audit: audit, options: options)
        var pending: Approval?
        while engine.time < 1800, pending == nil {
            engine.tick()
            pending = engine.pendingApprovals.first
        }
        let approval = try #require(pending)
        #expect(engine.handle(.takeOver(from: "ben"), as: Self.ana).isAccepted)
        engine.run(until: engine.time + 30)
        let point = try audit.recoveryPoint()
        #expect(point.state != nil, "a state was saved")
        #expect(point.records.count < audit.records.count, "only the records after it are read")
        let fromState = try Recovery.replay(point)
        let fromLog = try Recovery.replay(audit.records)
        #expect(fromState.pending.map(\.proposal.id) == [approval.proposal.id])
        #expect(fromState.pending.map(\.deadline) == fromLog.pending.map(\.deadline))
        #expect(fromState.appliedKeys == fromLog.appliedKeys)
        #expect(fromState.consoleHandovers == fromLog.consoleHandovers)
        #expect(fromState.runs == fromLog.runs)
    }

    @Test func aRecordThatCannotBeUnderstoodStopsRecoveryNamingIt() throws {
        let record = AuditRecord(sequence: 7, wallTime: "", simTime: 1, actor: .system, kind: .approvalSigned, payload: #"{"approvalID":"p-1-1"}"#,
                                 policyHash: "", correlationID: "c", previousHash: "", hash: "")
        let error = #expect(throws: RecoveryError.self) { try Recovery.replay([record]) }
        #expect(error?.sequence == 7)
        #expect(error?.description.contains("#7") == true)
    }

    @Test func aSafetyHoldRunsWhileTheStoreIsDownAndItsRecordsReachTheStoreInOrder() throws {
        let audit = MemoryAuditSink()
        var options = EngineOptions(seed: 11)
        options.fallbackJournalPath = journalPath()
        let trip = [Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 4, duration: 300))]
        let engine = try engine(audit: audit, incidents: trip, options: options)
        audit.failure = "read-only file system"
        engine.run(until: 400)
        #expect([.holding, .held, .stopping, .stopped].contains(engine.twin.state(of: "A")), "the interlock held A")
        #expect(audit.records(.actionExecuted).isEmpty, "nothing reached the store")
        let journaled = try FallbackJournal.entries(at: try #require(options.fallbackJournalPath))
        #expect(journaled.contains { $0.kind == .actionExecuted && $0.payload.contains("hold_cell") }, "the hold is in the journal, fsynced")
        #expect(engine.auditFigures.safetyHoldsUnrecorded == 1)
        audit.failure = nil
        #expect(engine.commitAudit())
        let holds = audit.records(.actionExecuted).filter { $0.payload.contains("hold_cell") }
        #expect(holds.count == 1)
        let decision = try #require(audit.records(.decision).first { $0.correlationID == holds.first?.correlationID })
        #expect(decision.sequence < holds[0].sequence, "in order: the decision before the hold")
        #expect(try FallbackJournal.entries(at: try #require(options.fallbackJournalPath)).isEmpty, "the journal is emptied once the store has it all")
    }

    @Test func aJournalLeftByARunThatEndedWhileTheStoreWasDownIsCommittedFirst() throws {
        let path = journalPath()
        let first = MemoryAuditSink()
        var options = EngineOptions(seed: 11)
        options.fallbackJournalPath = path
        let trip = [Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 4, duration: 300))]
        let engine = try engine(audit: first, incidents: trip, options: options)
        first.failure = "disk full"
        engine.run(until: 400)
        // The process ends here; its store comes back with what it had, plus the journal.
        first.failure = nil
        let imported = try FallbackJournal(path: path).importPending(into: first)
        #expect(imported > 0)
        #expect(first.records(.actionExecuted).contains { $0.payload.contains("hold_cell") })
        #expect(try FallbackJournal(path: path).importPending(into: first) == 0, "imported once")
    }

    @Test func aFullBacklogStopsThePlantClockRatherThanDropARecord() throws {
        let audit = MemoryAuditSink()
        var options = EngineOptions(seed: 11)
        options.auditBacklogLimit = 50
        let engine = try engine(audit: audit, incidents: [Incident(at: 5, target: "A", kind: .breakdown(repair: 60))], options: options)
        audit.failure = "disk full"
        engine.run(until: 3600)
        #expect(engine.isHeldByAudit)
        #expect(engine.time < 3600, "the clock waited")
        let staged = engine.auditFigures.unwritten
        #expect(staged >= 50)
        audit.failure = nil
        #expect(engine.commitAudit())
        #expect(!engine.isHeldByAudit)
        #expect(engine.auditFigures.unwritten == 0)
        engine.run(until: engine.time + 10)
        #expect(engine.auditFigures.committed >= staged)
    }

    @Test func aRestartAfterADownTimeExpiresWhatExpiredMeanwhileFirst() throws {
        let audit = MemoryAuditSink()
        let first = try engine(audit: audit)
        var pending: Approval?
        while first.time < 1800, pending == nil {
            first.tick()
            pending = first.pendingApprovals.first
        }
        let approval = try #require(pending)
        first.commitAudit()
        var recovery = try Recovery.replay(audit.records)
        // The runtime was down for two hours of wall time; the live demo runs at 5x.
        recovery.lastWallTime = "2026-11-30T08:00:00.000Z"
        let start = recovery.continuationTime(liveSpeed: 5, now: try Date("2026-11-30T10:00:00Z", strategy: .iso8601))
        #expect(start == (recovery.lastSimTime + 7200 * 5).rounded(.down))
        #expect(recovery.continuationTime(liveSpeed: nil) == recovery.lastSimTime.rounded(.down), "a headless run continues where it stopped")
        var options = EngineOptions(seed: 11)
        options.startTime = start
        options.runNumber = 2
        let before = audit.records.count
        let second = try engine(audit: audit, incidents: [], options: options, recovery: recovery)
        #expect(second.pendingApprovals.isEmpty)
        let after = audit.records.dropFirst(before)
        #expect(after.first?.kind == .runStarted)
        #expect(after.dropFirst().first?.kind == .approvalExpired, "the expiry is on record right after the start, before anything else")
        #expect(after.dropFirst().first?.payload.contains(approval.proposal.id) == true)
        #expect(!second.handle(.approve(approvalID: approval.proposal.id), as: Self.ana).isAccepted)
    }
}

/// An approval that outlived a restart says so: its evidence describes the plant of the earlier run.
@Test func anApprovalRecoveredAfterARestartIsMarkedAsFromTheEarlierRun() throws {
    let audit = MemoryAuditSink()
    let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
    let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
    let first = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: Fixtures.vibrationRise), options: EngineOptions(seed: 11),
                            judge: policy, audit: audit)
    first.start(recovering: Recovery())
    while first.time < 1800, first.pendingApprovals.isEmpty { first.tick() }
    #expect(first.snapshot().approvals.allSatisfy { !$0.isFromEarlierRun })
    first.commitAudit()
    var options = EngineOptions(seed: 11)
    options.runNumber = 2
    let second = PlantEngine(plant: plant, options: options, judge: policy, audit: audit)
    second.start(recovering: try Recovery.replay(audit.records))
    let recovered = try #require(second.snapshot().approvals.first)
    #expect(recovered.isFromEarlierRun)
}
