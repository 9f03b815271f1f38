import AndonCore
import Foundation
import GRDB
import Testing
@testable import AndonStore

@Suite("Appending to the audit log")
struct AuditAppendTests {
    /// The hash over a record's fields is pinned to its documented form (length-prefixed fields after
    /// `andon-audit-v1`, SHA-256 in lowercase hex): values computed independently of this code.
    @Test func theRecordHashIsPinned() {
        let payload = #"{"cell":"B1","from":"Execute","reason":"none","to":"Suspending"}"#
        #expect(AuditChain.hash(previousHash: String(repeating: "0", count: 64), sequence: 7, wallTime: "2026-11-30T17:00:00.000Z",
                                simTime: 12.5, actorType: "agent", actorName: "B1.maint", actorRole: nil, kind: "state_change",
                                payload: payload, policyHash: String(repeating: "ab", count: 32), correlationID: "e-7")
            == "9196b6b588c12b35eadf68184d33bf6c96062a9aae3cf59c1bd0e7b7781a7032")
        #expect(AuditChain.hash(previousHash: String(repeating: "0", count: 64), sequence: 7, wallTime: "2026-11-30T17:00:00.000Z",
                                simTime: 12.5, actorType: "person", actorName: "ana", actorRole: "supervisor", kind: "state_change",
                                payload: #"{"note":"ü/é"}"#, policyHash: String(repeating: "ab", count: 32), correlationID: "e-7")
            == "3a88ce6562fc661a9cb3433346250f24c28c0b814353106dcec6d4d737bb7404")
        // The edges of each field's writing: the largest and a negative sequence, a length of four digits, empty
        // texts, negative zero and infinite times, text beyond ASCII (lengths are in bytes).
        #expect(AuditChain.hash(previousHash: String(repeating: "f", count: 64), sequence: .max, wallTime: "", simTime: -0.0, actorType: "",
                                actorName: "", actorRole: "", kind: "checkpoint", payload: String(repeating: "x", count: 1234),
                                policyHash: "", correlationID: "")
            == "b945a5cf2cf67c5a59a119078c1be4a383ee2e07b5d7e581d9227fbababe9b28")
        #expect(AuditChain.hash(previousHash: String(repeating: "1", count: 64), sequence: -42, wallTime: "w", simTime: -1e300,
                                actorType: "person", actorName: "Zoë", actorRole: "operator", kind: "k", payload: "{\"a\":\"\u{2028}\"}",
                                policyHash: "p", correlationID: "c-0")
            == "763334a32484cd0b933a1b6334ab88c326b33e1f3f718b193c953d1c7c8af713")
        #expect(AuditChain.hash(previousHash: String(repeating: "2", count: 64), sequence: 1_000_000_000, wallTime: "w", simTime: .infinity,
                                actorType: "a", actorName: "b", actorRole: nil, kind: "k", payload: "", policyHash: "p", correlationID: "c")
            == "598e80a0269dd4b62450740273d91338badbe665df22ef9e87d20a00ea915f62")
    }

    @Test func appendedRecordsFormAChain() throws {
        let store = try AuditStore(path: ":memory:", now: fixedNow)
        let first = try store.append(entries(1...3), sync: false)
        let second = try store.append([entry(4)], sync: true)
        let records = first + second

        #expect(records.map(\.sequence) == [1, 2, 3, 4])
        #expect(records[0].previousHash == AuditChain.genesisHash)
        #expect(AuditChain.genesisHash == String(repeating: "0", count: 64))
        for (earlier, later) in zip(records, records.dropFirst()) {
            #expect(later.previousHash == earlier.hash)
        }
        for record in records {
            #expect(record.hash == AuditChain.hash(of: record))
            #expect(record.hash.count == 64)
            #expect(record.wallTime == "2026-11-18T11:06:40.123Z")
        }
        #expect(records[1].payload == entry(2).payload)
        #expect(records[0].actor.role == .supervisor)
        #expect(try store.allRecords() == records)
        #expect(try store.count() == 4)
        #expect(store.health == AuditHealth(isHealthy: true, records: 4, location: ":memory:", headHash: records[3].hash))
        #expect(store.head == (4, records[3].hash))
    }

    @Test func emptyBatchCommitsNothing() throws {
        let store = try AuditStore(path: ":memory:")
        #expect(try store.append([], sync: true).isEmpty)
        #expect(try store.count() == 0)
        #expect(try store.verify() == .intact(records: 0, head: AuditChain.genesisHash))
    }

    @Test func hashCoversEveryField() throws {
        let record = try #require(try AuditStore(path: ":memory:", now: fixedNow).append([entry(1)], sync: false).first)
        var changes: [AuditRecord] = []
        for change in 0..<10 {
            var changed = record
            switch change {
            case 0: changed.sequence += 1
            case 1: changed.wallTime = "2026-11-18T11:06:40.124Z"
            case 2: changed.simTime = record.simTime.nextUp
            case 3: changed.actor.type = "agent"
            case 4: changed.actor.name = "Ana Ruiz "
            case 5: changed.actor.role = nil
            case 6: changed.kind = .approvalRejected
            case 7: changed.payload += " "
            case 8: changed.policyHash = ""
            default: changed.previousHash = String(repeating: "1", count: 64)
            }
            changes.append(changed)
        }
        var correlation = record
        correlation.correlationID = "corr-2"
        changes.append(correlation)
        for changed in changes {
            #expect(AuditChain.hash(of: changed) != record.hash)
        }
    }

    @Test func sequenceStaysContiguousAcrossReopening() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            try makeClosedStore(at: path, count: 3)
            let reopened = try AuditStore(path: path)
            #expect(reopened.health.records == 3)
            let more = try reopened.append(entries(4...5), sync: true)
            #expect(more.map(\.sequence) == [4, 5])
            #expect(more[0].previousHash == (try reopened.allRecords())[2].hash)
            #expect(try reopened.verify() == .intact(records: 5, head: more[1].hash))
            reopened.close()
        }
    }

    @Test func syncedRecordsAreThereAfterReopening() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/nested/state/plant.sqlite"
            let store = try AuditStore(path: path)
            let written = try store.append(entries(1...2), sync: true)
            let synchronous = try store.database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
            #expect(synchronous == 2, "sync: true commits with synchronous = FULL")
            try store.append([entry(3)], sync: false)
            let relaxed = try store.database.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
            #expect(relaxed == 1, "sync: false commits with synchronous = NORMAL")
            let journal = try store.database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
            #expect(journal == "wal")
            store.close()

            let reopened = try AuditStore(path: path, access: .read)
            #expect(Array(try reopened.allRecords().prefix(2)) == written)
            #expect(try reopened.count() == 3)
        }
    }

    @Test func concurrentAppendsStayContiguous() throws {
        try withTemporaryDirectory { directory in
            let store = try AuditStore(path: directory + "/plant.sqlite")
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                for n in 0..<10 {
                    _ = try? store.append([entry(worker * 100 + n), entry(worker * 100 + n + 50)], sync: n.isMultiple(of: 3))
                }
            }
            let records = try store.allRecords()
            #expect(records.map(\.sequence) == Array(1...160))
            #expect(try store.verify().isIntact)
            #expect(store.health.isHealthy)
            store.close()
        }
    }

    @Test func inMemoryStoreNeedsNoFile() throws {
        let store = try AuditStore(path: ":memory:")
        try store.append(entries(1...2), sync: true)
        #expect(store.health.location == ":memory:")
        #expect(try store.verify().isIntact)
        let reader = try AuditStore(path: ":memory:", access: .read)
        #expect(try reader.count() == 0, "each in-memory store is its own")
    }
}
