import AndonCore
import Foundation
import GRDB
import Testing
@testable import AndonStore

@Suite("Audit store failures")
struct AuditFailureTests {
    /// A store path whose directory can't be written: a 0555 directory, or `/sys` for root (which ignores modes).
    private func readOnlyPath(in directory: String) -> String {
        if geteuid() == 0 { return "/sys/andon-audit-test-\(UUID().uuidString)/plant.sqlite" }
        let locked = directory + "/locked"
        mkdir(locked, 0o555)
        return locked + "/state/plant.sqlite"
    }

    @Test func readOnlyDirectoryGivesTypedErrorAndUnhealthySink() throws {
        try withTemporaryDirectory { directory in
            let path = readOnlyPath(in: directory)
            let error = #expect(throws: AuditStoreError.self) { try AuditStore(path: path) }
            #expect(error?.code == .readOnly)
            #expect(error?.message.hasPrefix("audit store is read-only: \(path)") == true)

            let sink = try AuditStore.makeSink(path: path)
            #expect(sink is UnavailableAuditSink)
            #expect(sink.health.isHealthy == false)
            #expect(sink.health.problem == error?.message)
            #expect(throws: AuditStoreError.self) { try sink.append([entry(1)], sync: true) }
        }
    }

    @Test func secondWriterIsLockedOutWhileReadersStillRead() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            let writer = try AuditStore(path: path)
            try writer.append(entries(1...2), sync: true)

            let error = #expect(throws: AuditStoreError.self) { try AuditStore(path: path) }
            #expect(error?.code == .locked)
            #expect(error?.message.hasPrefix("audit store is locked by another process: \(path)") == true)
            #expect(try AuditStore.makeSink(path: path).health.problem?.hasPrefix("audit store is locked") == true)

            let reader = try AuditStore(path: path, access: .read)
            #expect(try reader.count() == 2)
            try writer.append([entry(3)], sync: false)
            #expect(try reader.records(after: 2).map(\.sequence) == [3], "readers see later commits")
            #expect(try reader.verify().isIntact)
            #expect(writer.health.isHealthy)

            writer.close()
            let next = try AuditStore(path: path)
            #expect(next.health.records == 3)
            next.close()
        }
    }

    @Test func sqliteLockMakesAppendThrowThenRecovers() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            let store = try AuditStore(path: path, access: .append, busyTimeout: 0.05, now: fixedNow)
            try store.append([entry(1)], sync: true)

            let intruder = try DatabaseQueue(path: path)
            try intruder.writeWithoutTransaction { db in
                try db.execute(sql: "BEGIN IMMEDIATE")
                let error = #expect(throws: AuditStoreError.self) { try store.append([entry(2)], sync: true) }
                #expect(error?.code == .locked)
                #expect(store.health.isHealthy == false)
                #expect(store.health.problem?.hasPrefix("audit store is locked by another process: \(path)") == true)
                try db.execute(sql: "ROLLBACK")
            }
            try intruder.close()

            let retried = try store.append([entry(2)], sync: true)
            #expect(retried.map(\.sequence) == [2], "nothing was dropped and nothing skipped")
            #expect(store.health.isHealthy)
            #expect(try store.verify().isIntact)
            store.close()
        }
    }

    @Test func fullDiskMakesAppendThrowAndHealthUnhealthy() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            let store = try AuditStore(path: path)
            try store.append([entry(1)], sync: true)
            try store.database.writeWithoutTransaction { db in
                let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 1
                try db.execute(sql: "PRAGMA max_page_count = \(pages)")
            }
            let big = String(repeating: "x", count: 64 * 1024)
            let error = #expect(throws: AuditStoreError.self) {
                try store.append([entry(2, payload: #"{"blob":"\#(big)"}"#)], sync: true)
            }
            #expect(error?.code == .diskFull)
            #expect(store.health == AuditHealth(isHealthy: false, records: 1, location: path,
                                                problem: "audit store disk is full: \(path)", headHash: store.head.hash))
            try store.database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA max_page_count = 1000000") }
            #expect(try store.append([entry(2)], sync: true).map(\.sequence) == [2])
            #expect(store.health.isHealthy)
            store.close()
        }
    }

    @Test func readersRefuseMissingAndForeignFiles() throws {
        try withTemporaryDirectory { directory in
            let missing = directory + "/none.sqlite"
            let absent = #expect(throws: AuditStoreError.self) { try AuditStore(path: missing, access: .read) }
            #expect(absent?.code == .missing)
            #expect(absent?.message == "no audit store at \(missing)")
            #expect(!FileManager.default.fileExists(atPath: missing), "readers create nothing")

            let text = directory + "/notes.txt"
            try "not a database, just some words that are long enough to fill a header".write(toFile: text, atomically: true, encoding: .utf8)
            #expect(throws: AuditStoreError.self) { try AuditStore(path: text, access: .read) }
            let garbled = #expect(throws: AuditStoreError.self) { try AuditStore(path: text) }
            #expect(garbled?.code == .notAnAuditStore)

            let foreign = directory + "/other.sqlite"
            let queue = try DatabaseQueue(path: foreign)
            try queue.write { try $0.execute(sql: "CREATE TABLE parts (id INTEGER PRIMARY KEY)") }
            try queue.close()
            let asReader = #expect(throws: AuditStoreError.self) { try AuditStore(path: foreign, access: .read) }
            #expect(asReader?.code == .notAnAuditStore)
            let asWriter = #expect(throws: AuditStoreError.self) { try AuditStore(path: foreign) }
            #expect(asWriter?.code == .notAnAuditStore)
            #expect(asWriter?.message.hasPrefix("not an audit store: \(foreign)") == true)
        }
    }

    /// A row SQLite refuses in the middle of a batch (a simulated time that is not a number, which the table's
    /// `NOT NULL` takes as missing): nothing of the batch stays, the error names the refusal, and the store's next
    /// batch goes in at the same sequence numbers through the same prepared insert.
    @Test func aRowRefusedInTheMiddleOfABatchLeavesNothingOfIt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            let store = try AuditStore(path: path, now: fixedNow)
            try store.append(entries(1...3), sync: true)
            var broken = entries(4...6)
            broken[1].simTime = .nan
            let refused = #expect(throws: AuditStoreError.self) { try store.append(broken, sync: true) }
            #expect(refused?.code == .appendRefused)
            #expect(refused?.message.contains("NOT NULL") == true, "\(refused?.message ?? "")")
            #expect(try store.records(after: 0).map(\.sequence) == [1, 2, 3], "the batch's first row went back with it")
            #expect(store.health.isHealthy == false)

            let written = try store.append(entries(4...6), sync: true)
            #expect(written.map(\.sequence) == [4, 5, 6])
            #expect(try store.records(after: 0).map(\.simTime) == [1.5, 3, 4.5, 6, 7.5, 9])
            #expect(try store.verify().isIntact)
            #expect(store.health.isHealthy)
            store.close()
        }
    }

    @Test func readersAndClosedStoresRefuseAppends() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            try makeClosedStore(at: path, count: 1)
            let reader = try AuditStore(path: path, access: .read)
            let refused = #expect(throws: AuditStoreError.self) { try reader.append([entry(2)], sync: true) }
            #expect(refused?.code == .appendRefused)

            let writer = try AuditStore(path: path)
            writer.close()
            let closed = #expect(throws: AuditStoreError.self) { try writer.append([entry(2)], sync: true) }
            #expect(closed?.code == .closed)
            #expect(writer.health.isHealthy == false)
        }
    }
}
