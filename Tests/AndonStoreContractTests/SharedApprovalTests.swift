import AndonCore
import AndonStore
import Foundation
import Testing
@testable import AndonStorePostgres

/// Approvals every console on every runtime sees: one conditional update per decision, an outbox keyed by approval id.
@Suite("Approvals in the shared store", .enabled(if: TestPostgres.isEnabled))
struct SharedApprovalTests {
    /// Two runtimes on one store: A runs line L1 (and executes its approvals), B runs L2.
    struct Plant {
        let address: SharedStoreAddress
        let lineA: SharedAuditStore
        let lineB: SharedAuditStore

        init() throws {
            address = try TestPostgres.freshAddress()
            lineA = try SharedAuditStore(address: address, runtimeID: "line-a", lines: ["L1"], now: fixedNow)
            lineB = try SharedAuditStore(address: address, runtimeID: "line-b", lines: ["L2"], now: fixedNow)
        }

        func close() {
            lineA.close()
            lineB.close()
            TestPostgres.drop(address)
        }

        func request(_ id: String, quorum: Int = 1) throws -> SharedApproval {
            let approval = SharedApproval(id: id, runtimeID: "line-a", action: #"{"action":"hold","cell":"M2"}"#, quorum: quorum,
                                          deadline: "2026-11-18T11:16:40.123Z", requestedAt: "2026-11-18T11:06:40.123Z")
            let record = AuditEntry(simTime: 1, actor: .agent("maintenance"), kind: .approvalRequested, payload: #"{"approval":"\#(id)"}"#,
                                    policyHash: "", correlationID: id)
            try lineA.requestApproval(approval, records: [record])
            return approval
        }
    }

    static func signature(_ name: String, at runtime: String) -> SharedApproval.Signature {
        SharedApproval.Signature(name: name, role: "supervisor", runtime: runtime)
    }

    static func record(_ id: String, by name: String) -> AuditEntry {
        AuditEntry(simTime: 2, actor: AuditActor(type: "person", name: name, role: .supervisor), kind: .approvalApproved,
                   payload: #"{"approval":"\#(id)"}"#, policyHash: "", correlationID: id)
    }

    @Test func twoConsolesOnTwoRuntimesDecidingAtOnceGetOneWinner() throws {
        let plant = try Plant()
        defer { plant.close() }
        let rounds = 20
        for round in 0..<rounds { _ = try plant.request("appr-\(round)") }
        for round in 0..<rounds {
            let id = "appr-\(round)"
            let outcomes = Outcomes()
            // Both consoles saw version 1; both press approve at the same moment.
            DispatchQueue.concurrentPerform(iterations: 2) { side in
                let store = side == 0 ? plant.lineA : plant.lineB
                let name = side == 0 ? "ana" : "ben"
                let result = Result {
                    try store.decide(approvalID: id, expectedVersion: 1, to: side == 0 ? .approved : .rejected,
                                     signatures: [Self.signature(name, at: store.runtimeID)], records: [Self.record(id, by: name)])
                }
                outcomes.add(result)
            }
            let results = try outcomes.all.map { try $0.get() }
            let won = results.compactMap { if case let .won(approval) = $0 { approval } else { nil } }
            let lost = results.compactMap { if case let .lost(approval) = $0 { approval } else { nil } }
            #expect(won.count == 1 && lost.count == 1, "round \(round): \(results)")
            #expect(lost.first?.state == won.first?.state && lost.first?.version == 2, "the loser is told how it stands now")
        }
        // Every decision is on record exactly once, in the stream of the runtime whose console made it.
        let recorded = try plant.lineA.allRecords().filter { $0.kind == .approvalApproved }.count
            + plant.lineB.allRecords().filter { $0.kind == .approvalApproved }.count
        #expect(recorded == rounds)
        let approved = try (0..<rounds).compactMap { try plant.lineA.approval(id: "appr-\($0)") }.filter { $0.state == .approved }
        #expect(try plant.lineA.outbox().map(\.approvalID).sorted() == approved.map(\.id).sorted())
        #expect(try plant.lineB.outbox().isEmpty, "an action waits only in its own runtime's outbox")
        #expect(try plant.lineA.pendingApprovals().isEmpty)
    }

    @Test func fourEyesTakesTwoSignaturesAndAStaleViewLoses() throws {
        let plant = try Plant()
        defer { plant.close() }
        _ = try plant.request("appr-4eyes", quorum: 2)
        #expect(try plant.lineB.pendingApprovals().map(\.id) == ["appr-4eyes"])
        let first = try plant.lineA.decide(approvalID: "appr-4eyes", expectedVersion: 1, to: .pending,
                                           signatures: [Self.signature("ana", at: "line-a")], records: [Self.record("appr-4eyes", by: "ana")])
        guard case let .won(signedOnce) = first else { Issue.record("the first signature lost: \(first)"); return }
        #expect(signedOnce.state == .pending && signedOnce.version == 2 && signedOnce.signatures.map(\.name) == ["ana"])
        // A console that still shows version 1 loses, and is told of ana's signature.
        let stale = try plant.lineB.decide(approvalID: "appr-4eyes", expectedVersion: 1, to: .approved,
                                           signatures: [Self.signature("ben", at: "line-b")], records: [Self.record("appr-4eyes", by: "ben")])
        #expect(stale == .lost(signedOnce))
        #expect(try plant.lineB.allRecords().isEmpty, "a lost decision writes nothing")
        let second = try plant.lineB.decide(approvalID: "appr-4eyes", expectedVersion: 2, to: .approved,
                                            signatures: signedOnce.signatures + [Self.signature("ben", at: "line-b")],
                                            records: [Self.record("appr-4eyes", by: "ben")])
        guard case let .won(approved) = second else { Issue.record("the second signature lost: \(second)"); return }
        #expect(approved.state == .approved && approved.signatures.map(\.runtime) == ["line-a", "line-b"])
        #expect(try plant.lineA.outbox().map(\.approvalID) == ["appr-4eyes"])
        // Decided is final.
        let late = try plant.lineA.decide(approvalID: "appr-4eyes", expectedVersion: 3, to: .rejected, signatures: [], records: [])
        #expect(late == .lost(approved))
    }

    @Test func anApprovedActionIsClaimedOnceAcrossARestart() throws {
        let plant = try Plant()
        defer { plant.close() }
        _ = try plant.request("appr-once")
        _ = try plant.lineB.decide(approvalID: "appr-once", expectedVersion: 1, to: .approved,
                                   signatures: [Self.signature("ben", at: "line-b")], records: [Self.record("appr-once", by: "ben")])
        let executed = AuditEntry(simTime: 3, actor: .system, kind: .actionExecuted, payload: #"{"approval":"appr-once"}"#, policyHash: "",
                                  correlationID: "appr-once")
        #expect(try plant.lineA.outbox().map(\.approvalID) == ["appr-once"])
        #expect(try plant.lineB.claim(approvalID: "appr-once") == false, "only the executing runtime claims it")
        #expect(try plant.lineA.claim(approvalID: "appr-once", records: [executed]))
        #expect(try plant.lineA.claim(approvalID: "appr-once") == false)
        // The runtime restarts (or a standby takes the line over): the outbox no longer offers it, a claim loses.
        plant.lineA.close()
        let restarted = try SharedAuditStore(address: plant.address, runtimeID: "line-a", lines: ["L1"], now: fixedNow)
        defer { restarted.close() }
        #expect(try restarted.outbox().isEmpty)
        #expect(try restarted.claim(approvalID: "appr-once") == false)
        #expect(try restarted.allRecords().filter { $0.kind == .actionExecuted }.count == 1)
    }

    @Test func listenersHearIdsAndReadTheRows() throws {
        let plant = try Plant()
        defer { plant.close() }
        let heard = Outcomes()
        let listener = try SharedStoreListener(address: plant.address) { heard.note($0) }
        defer { listener.stop() }
        try plant.lineB.append(entries(1...3), sync: false)
        _ = try plant.request("appr-heard")
        _ = try plant.lineB.decide(approvalID: "appr-heard", expectedVersion: 1, to: .approved,
                                   signatures: [Self.signature("ben", at: "line-b")], records: [])
        let expected: [SharedStoreListener.Notice] = [.records(runtimeID: "line-b", sequence: 3), .approval(id: "appr-heard"),
                                                      .outbox(runtimeID: "line-a", approvalID: "appr-heard")]
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline, !Set(expected).isSubset(of: Set(heard.notices)) { Thread.sleep(forTimeInterval: 0.02) }
        #expect(Set(expected).isSubset(of: Set(heard.notices)), "heard \(heard.notices)")
        // A notice is an id: the listener reads the row.
        if case let .records(runtime, sequence)? = heard.notices.first(where: { if case .records = $0 { true } else { false } }) {
            let reader = try SharedAuditStore(address: plant.address, runtimeID: runtime, access: .read)
            defer { reader.close() }
            #expect(try reader.records(after: sequence - 1, limit: 1).first?.correlationID == "corr-3")
        }
        #expect(SharedStoreListener.notice(channel: "audit", payload: "line-a notanumber") == nil)
    }
}

/// Results gathered from several threads.
final class Outcomes: @unchecked Sendable {
    private let lock = NSLock()
    private var results: [Result<SharedDecision, any Error>] = []
    private var heard: [SharedStoreListener.Notice] = []

    func add(_ result: Result<SharedDecision, any Error>) { lock.withLock { results.append(result) } }
    func note(_ notice: SharedStoreListener.Notice) { lock.withLock { heard.append(notice) } }
    var all: [Result<SharedDecision, any Error>] { lock.withLock { results } }
    var notices: [SharedStoreListener.Notice] { lock.withLock { heard } }
}
