import AndonCore
import AndonMetrics
import AndonPolicy
import AndonRuntime
import AndonStore
import AndonTesting
import Foundation
import Testing
@testable import AndonStorePostgres

/// Two runtimes on one PostgreSQL keep their approvals in the shared store: line-b's engine asks, a person at line-a's
/// console or at line-b's decides, one conditional write per decision, and the action runs once, at line-b, through
/// the outbox, whichever console decided, whatever raced, and across a restart.
@Suite("Runtimes deciding through the shared approvals", .serialized, .enabled(if: TestPostgres.isEnabled))
struct SharedApprovalsInRuntimeTests {
    static let ana = Person(name: "ana", role: .supervisor)
    static let ben = Person(name: "ben", role: .supervisor)

    /// One runtime of the plant: its store (its stream and the leases of its line) and its engine. Each engine is driven
    /// by one thread at a time (the race drives two engines, one each).
    final class Line: @unchecked Sendable {
        let store: SharedAuditStore
        let engine: PlantEngine

        init(_ address: SharedStoreAddress, runtime: String, line: String, quorum: Int = 1, recovering: Bool = false, timed: Bool = false) throws {
            store = try SharedAuditStore(address: address, runtimeID: runtime, lines: [line])
            let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents)
                .replacingOccurrences(of: "id: L1", with: "id: \(line)"))
            var policyText = Fixtures.twoCellPolicyYAML
            if quorum > 1 {
                policyText = policyText.replacingOccurrences(of: "quorum: 1, timeout: 5m", with: "quorum: \(quorum), distinct: true, timeout: 5m")
            }
            let policy = PolicyEngine(try PolicySpec.parse(text: policyText, file: "policy.yaml"))
            let roster: @Sendable (String) -> Person = { name in Person(name: name, role: name == "ana" || name == "ben" ? .supervisor : .observer) }
            let recovery = recovering ? try Recovery.replay(store.recoveryPoint()) : Recovery()
            var options = EngineOptions(seed: 11)
            options.runNumber = recovery.runs + 1
            options.startTime = recovery.continuationTime(liveSpeed: nil)
            engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: recovering ? [] : Fixtures.vibrationRise),
                                 options: options, judge: policy, audit: timed ? TimedAuditSink(store, runtimeID: runtime) : store, roster: roster)
            engine.start(recovering: recovery)
        }

        /// Ticks until an approval is pending (at most half an hour of plant time).
        func tickUntilPending() throws -> Approval {
            while engine.time < 1800 {
                engine.tick()
                if let pending = engine.pendingApprovals.first { return pending }
            }
            throw TestSetupError("no approval was asked for")
        }

        /// Ticks until `condition` holds, as the plant runs: a decision made elsewhere reaches this runtime with the
        /// store's notice, a moment after its commit (at most ten seconds here).
        func tick(until what: String, _ condition: () throws -> Bool) throws {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                engine.tick()
                if try condition() { return }
                usleep(20_000)
            }
            throw TestSetupError("\(store.runtimeID) never saw \(what)")
        }

        /// Records of `kind` in this runtime's stream.
        func records(_ kind: AuditKind) throws -> [AuditRecord] {
            try store.allRecords().filter { $0.kind == kind }
        }

        /// How many times `approval`'s action ran here (other actions, allowed at once, run too).
        func executions(of approval: Approval) throws -> Int {
            try records(.actionExecuted).count { $0.correlationID == approval.proposal.correlationID.rawValue }
        }
    }

    /// line-a and line-b on a fresh schema.
    static func twoLines(quorum: Int = 1) throws -> (SharedStoreAddress, Line, Line) {
        let address = try TestPostgres.freshAddress()
        return (address, try Line(address, runtime: "line-a", line: "L1", quorum: quorum), try Line(address, runtime: "line-b", line: "L2", quorum: quorum))
    }

    static func close(_ address: SharedStoreAddress, _ lines: Line...) {
        for line in lines { line.store.close() }
        TestPostgres.drop(address)
    }

    @Test func anApprovalIsARowOfTheSharedStoreAndItsDecisionOneConditionalWrite() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let lineB = try Line(address, runtime: "line-b", line: "L2")
        defer { lineB.store.close() }
        let approval = try lineB.tickUntilPending()
        let id = "line-b/\(approval.proposal.id)"
        let row = try #require(try lineB.store.approval(id: id))
        #expect(row.state == .pending && row.version == 1 && row.runtimeID == "line-b")

        let result = lineB.engine.handle(.approve(approvalID: approval.proposal.id), as: Self.ana)
        #expect(result.isAccepted, "\(result.message)")
        let decided = try #require(try lineB.store.approval(id: id))
        #expect(decided.state == .approved)
        #expect(decided.signatures.map(\.name) == ["ana"])
        // Claimed in the decision's own commit, so nothing is left in the outbox to run again.
        #expect(try lineB.store.outbox().isEmpty)
        #expect(try lineB.executions(of: approval) == 1)
        #expect(try lineB.store.verify().isIntact)
    }

    @Test func aRuntimeWhoseCommitsAreTimedForItsMetricsKeepsItsApprovalsShared() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let lineB = try Line(address, runtime: "line-b", line: "L2", timed: true)
        defer { lineB.store.close() }
        let approval = try lineB.tickUntilPending()
        #expect(try lineB.store.approval(id: "line-b/\(approval.proposal.id)")?.state == .pending)
        #expect(lineB.engine.handle(.approve(approvalID: approval.proposal.id), as: Self.ana).isAccepted)
        #expect(try lineB.store.approval(id: "line-b/\(approval.proposal.id)")?.state == .approved)
    }

    @Test func aDecisionAtAnotherRuntimesConsoleRunsOnceWhereTheApprovalLives() throws {
        let (address, lineA, lineB) = try Self.twoLines()
        defer { Self.close(address, lineA, lineB) }
        let approval = try lineB.tickUntilPending()
        let id = "line-b/\(approval.proposal.id)"
        // line-a's consoles see it, marked as line-b's, with the time it has left.
        try lineA.tick(until: "line-b's approval") { lineA.engine.snapshot().approvals.contains { $0.id == id } }
        let seen = try #require(lineA.engine.snapshot().approvals.first { $0.id == id })
        #expect(seen.runtime == "line-b" && seen.state == .pending && seen.proposal.target == approval.proposal.target)
        #expect(lineA.engine.snapshot().sharedRuntimeID == "line-a")
        #expect(seen.deadline > lineA.engine.time && seen.deadline <= lineA.engine.time + 300)

        let result = lineA.engine.handle(.approve(approvalID: id), as: Self.ana)
        #expect(result.isAccepted, "\(result.message)")
        #expect(result.message.contains("runs at runtime line-b"), "\(result.message)")
        #expect(try lineA.records(.approvalApproved).count == 1, "on record where it was decided")
        #expect(try lineB.store.outbox().map(\.approvalID) == [id], "waiting for line-b")

        try lineB.tick(until: "ana's approval") { lineB.engine.pendingApprovals.isEmpty }
        let approved = try lineB.records(.approvalApproved)
        #expect(approved.count == 1)
        #expect(approved.first?.actor.name == "ana")
        #expect(approved.first?.payload.contains("at runtime line-a") == true, "\(approved.first?.payload ?? "")")
        #expect(try lineB.executions(of: approval) == 1)
        #expect(try lineB.store.outbox().isEmpty)
        try lineA.tick(until: "the approval no longer pending anywhere") { !lineA.engine.snapshot().approvals.contains { $0.id == id } }
        for _ in 0..<5 { lineB.engine.tick() }
        #expect(try lineB.executions(of: approval) == 1, "once")

        // Decided is decided, at either console.
        let again = lineA.engine.handle(.approve(approvalID: id), as: Self.ben)
        #expect(!again.isAccepted)
        #expect(again.message.contains("approved already"), "\(again.message)")
        #expect(!lineB.engine.handle(.approve(approvalID: approval.proposal.id), as: Self.ben).isAccepted)
        #expect(try lineA.store.verify().isIntact && lineB.store.verify().isIntact)
        #expect(!(try SharedAnchors.verify(address: address)).isBroken)
    }

    @Test(arguments: 0..<4) func twoConsolesOnTwoRuntimesDecidingAtOnceMakeOneDecision(round: Int) throws {
        let (address, lineA, lineB) = try Self.twoLines()
        defer { Self.close(address, lineA, lineB) }
        let approval = try lineB.tickUntilPending()
        let id = "line-b/\(approval.proposal.id)"
        let results = Results()
        // ana approves at line-a's console while ben rejects at line-b's, at the same moment.
        DispatchQueue.concurrentPerform(iterations: 2) { side in
            if side == 0 {
                results.set(0, lineA.engine.handle(.approve(approvalID: id), as: Self.ana))
            } else {
                results.set(1, lineB.engine.handle(.reject(approvalID: approval.proposal.id, reason: "not now"), as: Self.ben))
            }
        }
        let (atA, atB) = (results[0], results[1])
        #expect(atA.isAccepted != atB.isAccepted, "one decision: \(atA.message) | \(atB.message)")
        try lineB.tick(until: "the decision") { lineB.engine.pendingApprovals.isEmpty }
        let row = try #require(try lineB.store.approval(id: id))
        let executed = try lineB.executions(of: approval)
        if atA.isAccepted {
            #expect(row.state == .approved)
            #expect(executed == 1)
            #expect(try lineB.records(.approvalRejected).isEmpty)
        } else {
            #expect(row.state == .rejected)
            #expect(executed == 0)
            #expect(try lineA.records(.approvalApproved).isEmpty)
        }
        #expect(try lineA.store.verify().isIntact && lineB.store.verify().isIntact)
    }

    @Test func fourEyesSignedAtTwoRuntimesNeedsTwoPeople() throws {
        let (address, lineA, lineB) = try Self.twoLines(quorum: 2)
        defer { Self.close(address, lineA, lineB) }
        let approval = try lineB.tickUntilPending()
        let id = "line-b/\(approval.proposal.id)"
        let first = lineA.engine.handle(.approve(approvalID: id), as: Self.ana)
        #expect(first.isAccepted && first.message.contains("1/2"), "\(first.message)")
        try lineB.tick(until: "ana's signature") { lineB.engine.pendingApprovals.first?.signatures.map(\.person.name) == ["ana"] }

        let sameHands = lineB.engine.handle(.approve(approvalID: approval.proposal.id), as: Self.ana)
        #expect(!sameHands.isAccepted && sameHands.message.contains("four-eyes"), "\(sameHands.message)")
        let second = lineB.engine.handle(.approve(approvalID: approval.proposal.id), as: Self.ben)
        #expect(second.isAccepted, "\(second.message)")
        let row = try #require(try lineB.store.approval(id: id))
        #expect(row.state == .approved)
        #expect(row.signatures.map { "\($0.name)@\($0.runtime)" } == ["ana@line-a", "ben@line-b"])
        #expect(try lineB.executions(of: approval) == 1)
    }

    @Test func anApprovalDecidedWhileItsRuntimeIsDownRunsOnceWhenItIsBack() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let lineA = try Line(address, runtime: "line-a", line: "L1")
        defer { lineA.store.close() }
        var lineB: Line? = try Line(address, runtime: "line-b", line: "L2")
        let approval = try lineB!.tickUntilPending()
        let id = "line-b/\(approval.proposal.id)"
        // line-b goes away as a crash would: no closing checkpoint.
        lineB!.store.close()
        lineB = nil

        #expect(lineA.engine.handle(.approve(approvalID: id), as: Self.ana).isAccepted)
        #expect(try lineA.store.outbox().isEmpty, "line-a's outbox holds nothing of line-b's")

        let back = try Line(address, runtime: "line-b", line: "L2", recovering: true)
        #expect(back.engine.pendingApprovals.isEmpty, "taken at start")
        #expect(try back.executions(of: approval) == 1)
        #expect(try back.store.outbox().isEmpty)
        back.store.close()

        let again = try Line(address, runtime: "line-b", line: "L2", recovering: true)
        defer { again.store.close() }
        for _ in 0..<3 { again.engine.tick() }
        #expect(try again.executions(of: approval) == 1, "not twice after a second restart")
        #expect(try again.store.verify().isIntact)
    }
}

/// Two command results set from two threads.
private final class Results: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Int: CommandResult] = [:]

    func set(_ side: Int, _ result: CommandResult) { lock.withLock { results[side] = result } }

    subscript(side: Int) -> CommandResult { lock.withLock { results[side] ?? .refused("none") } }
}
