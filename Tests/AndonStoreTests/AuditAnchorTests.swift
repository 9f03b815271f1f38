import AndonCore
import Foundation
import GRDB
import Testing
@testable import AndonStore

/// The audit trail's anchors: signed checkpoints in the log and the head file beside it are checked before the store
/// is written to, and a store that cannot be read completely is never taken for empty.
@Suite("Anchoring the audit log")
struct AuditAnchorTests {
    /// A store with a signing key kept in `directory/keys` (outside the store's folder `directory/state`).
    private func signed(_ directory: String, checkpointEvery: Int = 1000) throws -> (path: String, key: SigningKey) {
        let key = try SigningKey.loadOrCreate(path: directory + "/keys/plant.ed25519")
        return (directory + "/state/plant.sqlite", key)
    }

    private func open(_ path: String, _ key: SigningKey, checkpointEvery: Int = 1000) throws -> AuditStore {
        try AuditStore(path: path, signingKey: key, checkpointEvery: checkpointEvery, now: fixedNow)
    }

    /// Re-chains every record from `sequence` on, as someone with write access but not the key would after an edit.
    private func rechain(_ db: Database, from sequence: Int64) throws {
        var previous = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE sequence = ?", arguments: [sequence - 1]) ?? AuditChain.genesisHash
        for row in try AuditRow.fetchAll(db, sql: "SELECT * FROM audit WHERE sequence >= ? ORDER BY sequence", arguments: [sequence]) {
            var row = row
            row.previousHash = previous
            row.hash = row.computedHash
            try db.execute(sql: "UPDATE audit SET previous_hash = ?, hash = ? WHERE sequence = ?", arguments: [row.previousHash, row.hash, row.sequence])
            previous = row.hash
        }
    }

    @Test func aCleanCloseLeavesEverythingInTheDatabaseFileAndASignedHead() throws {
        try withTemporaryDirectory { directory in
            let (path, key) = try signed(directory)
            let store = try open(path, key)
            try store.append(entries(1...20), sync: false)
            try store.checkpoint(recoveryState: "{}", closing: true)
            store.close()
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(wal == 0, "the WAL is folded into the database at close")
            // The .sqlite alone is a whole store: copied without its WAL it reads the same.
            let copy = directory + "/copy.sqlite"
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let reader = try AuditStore(path: copy, access: .read)
            #expect(try reader.count() == 21, "20 records and the closing checkpoint anchoring them")
            #expect(try reader.verify().isIntact)
            let head = try #require(try AuditHeadFile.read(storePath: path))
            #expect(head.checkpoint.isClosing)
            #expect(head.record == 21)
            #expect(key.publicKey.verifies(head.checkpoint.signature, of: head.checkpoint.signedText))
        }
    }

    @Test func filesArePrivateWhateverTheUmask() throws {
        try withTemporaryDirectory { directory in
            let old = umask(0o022)
            defer { umask(old) }
            let (path, key) = try signed(directory)
            let store = try open(path, key)
            try store.append(entries(1...3), sync: true)
            func mode(_ file: String) -> mode_t {
                var info = stat()
                stat(file, &info)
                return info.st_mode & 0o777
            }
            #expect(mode(directory + "/state") == 0o700)
            #expect(mode(path) == 0o600)
            #expect(mode(path + "-wal") == 0o600)
            #expect(mode(path + "-shm") == 0o600)
            #expect(mode(path + ".head") == 0o600)
            #expect(mode(directory + "/keys") == 0o700)
            #expect(mode(directory + "/keys/plant.ed25519") == 0o600)
            store.close()
        }
    }

    @Test func aRecordThisVersionCannotReadStopsRecoveryNamingIt() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            try makeClosedStore(at: path, count: 6)
            // A newer version's kind, properly chained; and a role changed from NULL to '' (the hash does not see it).
            try tamper(path) { db in
                try db.execute(sql: "UPDATE audit SET kind = 'future_kind' WHERE sequence = 4")
                try db.execute(sql: "UPDATE audit SET actor_role = '' WHERE sequence = 2")
                try rechain(db, from: 4)
            }
            let store = try AuditStore(path: path, now: fixedNow)
            let error = #expect(throws: AuditStoreError.self) { try store.recoveryPoint() }
            #expect(error?.code == .unreadable)
            #expect(error?.message.contains("record #2") == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("role ''") == true)
            store.close()
        }
    }

    @Test func aForgedSignatureRechainedIntoTheLogIsRefusedAtOpen() throws {
        try withTemporaryDirectory { directory in
            let (path, key) = try signed(directory)
            let store = try open(path, key)
            try store.append(entries(1...10), sync: true)
            store.close()
            // A forged approval_signed by "ana" spliced in at #5, everything after re-chained: the chain is whole again.
            try tamper(path) { db in
                try db.execute(sql: "UPDATE audit SET payload = ? WHERE sequence = 5",
                               arguments: [#"{"actor":{"name":"ana","role":"supervisor"},"approvalID":"p-1-9","detail":"approved by ana","state":"pending"}"#])
                try rechain(db, from: 5)
            }
            let error = #expect(throws: AuditStoreError.self) { try open(path, key) }
            #expect(error?.code == .untrusted)
            #expect(error?.message.contains("rewritten") == true, "\(error?.message ?? "")")
            #expect(try AuditStore(path: path, access: .read).verify().isIntact, "the chain alone cannot see it; the signed head does")
            #expect(throws: AuditStoreError.self) { try AuditStore.makeSink(path: path, signingKey: key) }
        }
    }

    @Test func aTailCutOffTheLogIsRefused() throws {
        try withTemporaryDirectory { directory in
            let (path, key) = try signed(directory)
            let store = try open(path, key, checkpointEvery: 4)
            try store.append(entries(1...10), sync: false)
            try store.append(entries(11...12), sync: true)
            store.close()
            // 10 records and a checkpoint (#11), 2 more and the synced commit's checkpoint (#14): cut back to #12.
            try tamper(path) { db in try db.execute(sql: "DELETE FROM audit WHERE sequence > 12") }
            #expect(try AuditStore(path: path, access: .read).verify().isIntact, "the shortened chain is whole on its own")
            let error = #expect(throws: AuditStoreError.self) { try open(path, key) }
            #expect(error?.code == .untrusted)
            #expect(error?.message.contains("cut off the end") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aRecordAddedAfterACleanCloseIsRefused() throws {
        try withTemporaryDirectory { directory in
            let (path, key) = try signed(directory)
            let store = try open(path, key)
            try store.append(entries(1...4), sync: true)
            try store.checkpoint(recoveryState: "{}", closing: true)
            store.close()
            try tamper(path) { db in
                let last = try #require(try AuditRow.fetchOne(db, sql: "SELECT * FROM audit ORDER BY sequence DESC LIMIT 1"))
                var forged = AuditRow(AuditRecord(sequence: last.sequence + 1, wallTime: last.wallTime, simTime: 99, actor: .person(Person(name: "ana", role: .supervisor)),
                                                  kind: .approvalSigned, payload: "{}", policyHash: "", correlationID: "x", previousHash: last.hash, hash: ""))
                forged.hash = forged.computedHash
                try forged.insert(db)
            }
            let error = #expect(throws: AuditStoreError.self) { try open(path, key) }
            #expect(error?.message.contains("follow the checkpoint of a clean close") == true, "\(error?.message ?? "")")
        }
    }

    @Test func aMissingHeadFileOrAnotherKeyIsRefused() throws {
        try withTemporaryDirectory { directory in
            let (path, key) = try signed(directory)
            let store = try open(path, key)
            try store.append(entries(1...4), sync: true)
            store.close()
            let other = try SigningKey.loadOrCreate(path: directory + "/keys/other.ed25519")
            let wrongKey = #expect(throws: AuditStoreError.self) { try open(path, other) }
            #expect(wrongKey?.message.contains("not this runtime's key") == true)
            try FileManager.default.removeItem(atPath: path + ".head")
            let noHead = #expect(throws: AuditStoreError.self) { try open(path, key) }
            #expect(noHead?.message.contains("head file") == true)
        }
    }

    @Test func aCrashTailIsCheckedAndAnchoredAndALegacyLogIsAnchoredOnce() throws {
        try withTemporaryDirectory { directory in
            let (path, key) = try signed(directory)
            // A log written before checkpoints existed.
            try makeClosedStore(at: path, count: 5)
            let first = try open(path, key)
            #expect(first.openingNote?.contains("had no signed checkpoint") == true)
            // A run that dies without closing: its last records follow the last checkpoint.
            try first.append(entries(6...7), sync: true)
            try first.append(entries(8...9), sync: false)
            first.close()
            let second = try open(path, key)
            #expect(second.openingNote?.contains("did not close cleanly") == true, "\(second.openingNote ?? "")")
            #expect(try second.verify().isIntact)
            second.close()
        }
    }

    @Test func theStoreDeletedWhileInUseGoesDownAndASecondWriterGetsItsOwnFile() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            let store = try AuditStore(path: path, now: fixedNow)
            try store.append(entries(1...3), sync: true)
            #expect(throws: AuditStoreError.self) { try AuditStore(path: path) }
            for file in [path, path + "-wal", path + "-shm"] { unlink(file) }
            let error = #expect(throws: AuditStoreError.self) { try store.append([entry(4)], sync: true) }
            #expect(error?.message.contains("deleted") == true, "\(error?.message ?? "")")
            #expect(store.health.isHealthy == false)
            // A new writer on the path is a new log; the first never writes into it.
            let second = try AuditStore(path: path, now: fixedNow)
            try second.append([entry(1)], sync: true)
            #expect(throws: AuditStoreError.self) { try store.append([entry(4)], sync: true) }
            second.close()
            store.close()
        }
    }

    @Test func recoveryReadsTheSavedStateAndOnlyTheRecordsAfterIt() throws {
        try withTemporaryDirectory { directory in
            let (path, key) = try signed(directory)
            let store = try open(path, key)
            try store.append(entries(1...50), sync: false)
            try store.checkpoint(recoveryState: #"{"runs":1}"#, closing: false)
            try store.append(entries(51...53), sync: false)
            let point = try store.recoveryPoint()
            #expect(point.state == #"{"runs":1}"#)
            #expect(point.stateSequence == 50)
            #expect(point.records.map(\.kind) == [.checkpoint, .approvalApproved, .proposal, .approvalApproved], "the checkpoint that signs the state, then what came after")
            store.close()
            // A saved state that does not match the checkpoint that signed it is not used.
            try tamper(path) { db in try db.execute(sql: #"UPDATE recovery_state SET state = '{"runs":9}'"#) }
            let reopened = try AuditStore(path: path, now: fixedNow)
            let error = #expect(throws: AuditStoreError.self) { try reopened.recoveryPoint() }
            #expect(error?.code == .unreadable)
            reopened.close()
        }
    }
}

/// Two runtimes starting at once on a new plant end up with one signing key.
@Test func aKeyCreatedByTwoAtOnceIsOneKey() async throws {
    try await withTemporaryDirectoryAsync { directory in
        let path = directory + "/keys/plant.ed25519"
        let keys = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { try SigningKey.loadOrCreate(path: path).publicKey.fingerprint } }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(keys.count == 1)
        #expect(PublicSigningKey.load(path: path + ".pub")?.fingerprint == keys.first)
    }
}

func withTemporaryDirectoryAsync(_ body: (String) async throws -> Void) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("andon-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }
    try await body(directory)
}
