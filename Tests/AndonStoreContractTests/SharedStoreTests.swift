import AndonCore
import AndonStore
import Foundation
import Testing
@testable import AndonStorePostgres

/// What only the shared store does: several runtimes' streams, leases with fencing, cross-anchors, the runtimes'
/// role, and the schema's version.
@Suite("The shared PostgreSQL store", .enabled(if: TestPostgres.isEnabled))
struct SharedStoreTests {
    @Test func aSecondRuntimeForTheSameLineIsRefusedNamingTheHolder() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let first = try SharedAuditStore(address: address, runtimeID: "line-a", lines: ["L1"])
        #expect {
            try SharedAuditStore(address: address, runtimeID: "line-b", lines: ["L1"]).close()
        } throws: { error in
            let failure = error as? AuditStoreError
            return failure?.code == .leaseLost && failure!.message.contains("line L1 belongs to runtime 'line-a'")
                && failure!.message.contains("a second runtime for the same line is refused")
        }
        #expect(throws: AuditStoreError.self) { try SharedAuditStore(address: address, runtimeID: "line-a", lines: ["L2"]).close() }
        #expect(first.fences == ["stream:line-a": 1, "line:L1": 1])
        first.close()
        let second = try SharedAuditStore(address: address, runtimeID: "line-b", lines: ["L1"])
        #expect(second.fences["line:L1"] == 2)
        second.close()
    }

    @Test func aRuntimeThatLostItsLeaseCannotWrite() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let primary = try SharedAuditStore(address: address, runtimeID: "line-a", lines: ["L1"], now: fixedNow)
        try primary.append(entries(1...2), sync: true)
        // The primary's session goes (a network cut the server noticed); a standby for the same line takes over.
        let admin = try TestPostgres.admin(address)
        defer { admin.close() }
        let pid = try #require(try admin.query("SELECT backend_pid FROM andon_lease WHERE name = 'stream:line-a' AND fence = 1").first?.decode(Int32.self))
        try admin.query("SELECT pg_terminate_backend(\(pid))")
        // Termination is asynchronous: the advisory locks go when the backend has gone.
        for _ in 0..<200 {
            guard try admin.query("SELECT count(*) FROM pg_stat_activity WHERE pid = \(pid)").first?.decode(Int64.self) != 0 else { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        let standby = try SharedAuditStore(address: address, runtimeID: "line-a", lines: ["L1"], now: fixedNow)
        #expect(standby.fences["stream:line-a"] == 2)
        try standby.append([entry(3)], sync: true)

        #expect {
            try primary.append([entry(99)], sync: true)
        } throws: { error in
            (error as? AuditStoreError)?.code == .leaseLost
        }
        standby.close()
        // Free again, but the fence moved on: the primary never writes again.
        #expect {
            try primary.append([entry(99)], sync: true)
        } throws: { error in
            (error as? AuditStoreError)?.code == .leaseLost
        }
        #expect(!primary.health.isHealthy)
        primary.close()
        let reader = try SharedAuditStore(address: address, runtimeID: "line-a", access: .read)
        defer { reader.close() }
        #expect(try reader.allRecords().map(\.correlationID) == ["corr-1", "corr-2", "corr-3"])
        #expect(try reader.verify().isIntact)
    }

    @Test func theDatabaseRefusesAWriteWithoutTheLease() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let store = try SharedAuditStore(address: address, runtimeID: "line-a", now: fixedNow)
        defer { store.close() }
        try store.append([entry(1)], sync: true)
        let record = try #require(try store.allRecords().last)
        var forged = AuditRecord(sequence: 2, wallTime: record.wallTime, simTime: 9, actor: .system, kind: .alarm, payload: "{}", policyHash: "",
                                 correlationID: "forged", previousHash: record.hash, hash: "")
        forged.hash = AuditChain.hash(of: forged)
        // Right fence, right chain, but this session does not hold the stream's lease.
        let intruder = try TestPostgres.admin(address)
        defer { intruder.close() }
        #expect {
            try intruder.query(SharedAuditStore.appendQuery(runtimeID: "line-a", fence: 1, sync: true, records: [forged], saved: nil))
        } throws: { error in
            (error as? AuditStoreError)?.code == .leaseLost
        }
        #expect(try store.count() == 1)
    }

    @Test func runtimesMayOnlyReadAndInsertAndNobodyRewrites() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let store = try SharedAuditStore(address: address, runtimeID: "line-a", now: fixedNow)
        defer { store.close() }
        try store.append(entries(1...2), sync: true)
        let session = try TestPostgres.admin(address)
        defer { session.close() }
        // As the store's own session is: in the runtimes' role.
        try session.execute("SET ROLE \(SharedSchema.runtimeRole)")
        for statement in ["DELETE FROM andon_audit", "UPDATE andon_audit SET payload = '{}'", "DELETE FROM andon_anchor", "TRUNCATE andon_lease"] {
            #expect(throws: AuditStoreError.self, "\(statement)") { try session.execute(statement) }
        }
        try session.execute("RESET ROLE")
        // Whoever owns the tables meets the triggers.
        for statement in ["DELETE FROM andon_audit WHERE sequence = 2", "UPDATE andon_anchor SET heads = ''", "TRUNCATE andon_audit"] {
            #expect {
                try session.execute(statement)
            } throws: { error in
                (error as? AuditStoreError)?.code == .appendRefused && "\(error)".contains("append-only")
            }
        }
        #expect(try store.count() == 2)
        let versions = try session.query("SELECT version FROM andon_schema_version ORDER BY version").map { try $0.decode(Int32.self) }
        #expect(versions == SharedSchema.migrations.map { Int32($0.version) })
        #expect(versions.last == Int32(SharedSchema.version))
    }

    @Test func aStreamCutShortIsFoundByTheOtherStreamsAnchors() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let lineA = try SharedAuditStore(address: address, runtimeID: "line-a", lines: ["L1"], now: fixedNow)
        let lineB = try SharedAuditStore(address: address, runtimeID: "line-b", lines: ["L2"], now: fixedNow)
        for round in 0..<3 {
            try lineA.append(entries((round * 2 + 1)...(round * 2 + 2)), sync: false)
            try lineB.append([entry(round + 10)], sync: false)
        }
        lineA.close()
        lineB.close()
        #expect(!(try SharedAnchors.verify(address: address)).isBroken)
        // Stream A's last commit goes, and with it everything in A that pointed at it: A's own chain stays whole.
        try TestPostgres.tamper(address, "DELETE FROM andon_audit WHERE runtime_id = 'line-a' AND sequence > 4")
        let reader = try SharedAuditStore(address: address, runtimeID: "line-a", access: .read)
        defer { reader.close() }
        #expect(try reader.verify() == .intact(records: 4, head: try reader.allRecords()[3].hash))
        let store = try SharedAnchors.verify(address: address)
        #expect(store.isBroken)
        #expect(store.lines.contains { $0.contains("stream line-a") && $0.contains("cut off") })
        #expect(try reader.verifyAnchors(publicKey: nil).isBroken)
        #expect(throws: AuditStoreError.self) { try SharedAuditStore(address: address, runtimeID: "line-a", lines: ["L1"]).close() }
        // B is untouched and opens.
        try SharedAuditStore(address: address, runtimeID: "line-b", lines: ["L2"]).close()
    }

    @Test func cuttingTheAnchorsShortIsFoundToo() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let store = try SharedAuditStore(address: address, runtimeID: "line-a", now: fixedNow)
        try store.append(entries(1...2), sync: false)
        try store.append(entries(3...4), sync: false)
        store.close()
        try TestPostgres.tamper(address, table: "andon_anchor", "DELETE FROM andon_anchor WHERE id = (SELECT max(id) FROM andon_anchor)")
        let report = try SharedAnchors.verify(address: address)
        #expect(report.isBroken)
        #expect(report.lines.contains { $0.contains("written past the store, or anchors were cut off") })
    }

    @Test func streamsAreListedAndReadOneByOne() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        for id in ["site-2.line-b", "line-a"] {
            let store = try SharedAuditStore(address: address, runtimeID: id, now: fixedNow)
            try store.append([entry(1, payload: #"{"from":"\#(id)"}"#)], sync: false)
            store.close()
        }
        #expect(try SharedAuditStore.streamIDs(address: address) == ["line-a", "site-2.line-b"])
        let reader = try SharedAuditStore(address: address, runtimeID: "site-2.line-b", access: .read)
        defer { reader.close() }
        #expect(try reader.allRecords().map(\.payload) == [#"{"from":"site-2.line-b"}"#])
    }
}
