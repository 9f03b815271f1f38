import AndonCore
import Foundation
import GRDB
import Testing
@testable import AndonStore

/// A way to tamper with a five-record log, and the finding `verify()` must report.
struct Tampering: Sendable, CustomTestStringConvertible {
    var name: String
    var expectedSequence: Int64
    var expectedKind: AuditTamper.Kind
    var change: @Sendable (Database) throws -> Void

    var testDescription: String { name }

    static let all: [Tampering] = [
        Tampering(name: "modified payload", expectedSequence: 3, expectedKind: .modified) { db in
            try db.execute(sql: #"UPDATE audit SET payload = '{"cell":"B2","n":99}' WHERE sequence = 3"#)
        },
        Tampering(name: "modified hash column", expectedSequence: 4, expectedKind: .modified) { db in
            try db.execute(sql: "UPDATE audit SET hash = ? WHERE sequence = 4", arguments: [String(repeating: "f", count: 64)])
        },
        Tampering(name: "deleted record", expectedSequence: 3, expectedKind: .missing) { db in
            try db.execute(sql: "DELETE FROM audit WHERE sequence = 3")
        },
        Tampering(name: "deleted first record", expectedSequence: 1, expectedKind: .missing) { db in
            try db.execute(sql: "DELETE FROM audit WHERE sequence = 1")
        },
        Tampering(name: "inserted record, later ones renumbered", expectedSequence: 3, expectedKind: .inserted) { db in
            try db.execute(sql: "UPDATE audit SET sequence = sequence + 100 WHERE sequence >= 3")
            try db.execute(sql: "UPDATE audit SET sequence = sequence - 99 WHERE sequence >= 100")
            let previous = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE sequence = 2")!
            var forged = AuditRecord(sequence: 3, wallTime: "2026-11-18T11:06:40.123Z", simTime: 4, actor: .agent("intruder"),
                                     kind: .actionExecuted, payload: #"{"cell":"B2"}"#, policyHash: "", correlationID: "x",
                                     previousHash: previous, hash: "")
            forged.hash = AuditChain.hash(of: forged)
            try AuditRow(forged).insert(db)
        },
        Tampering(name: "inserted record at the end", expectedSequence: 6, expectedKind: .unchained) { db in
            var forged = AuditRecord(sequence: 6, wallTime: "2026-11-18T11:06:40.123Z", simTime: 9, actor: .system,
                                     kind: .modeChange, payload: "{}", policyHash: "", correlationID: "x",
                                     previousHash: String(repeating: "e", count: 64), hash: "")
            forged.hash = AuditChain.hash(of: forged)
            try AuditRow(forged).insert(db)
        },
        Tampering(name: "duplicated record, primary key dropped", expectedSequence: 3, expectedKind: .duplicate) { db in
            try db.execute(sql: """
                ALTER TABLE audit RENAME TO original;
                CREATE TABLE audit AS SELECT * FROM original;
                DROP TABLE original;
                INSERT INTO audit SELECT * FROM audit WHERE sequence = 3;
                """)
        },
        Tampering(name: "reordered records", expectedSequence: 3, expectedKind: .reordered) { db in
            try db.execute(sql: "UPDATE audit SET sequence = 100 WHERE sequence = 3")
            try db.execute(sql: "UPDATE audit SET sequence = 3 WHERE sequence = 4")
            try db.execute(sql: "UPDATE audit SET sequence = 4 WHERE sequence = 100")
        },
    ]
}

@Suite("Verifying the audit chain")
struct AuditVerifyTests {
    @Test func intactLogVerifies() throws {
        let store = try AuditStore(path: ":memory:")
        let records = try store.append(entries(1...5), sync: false)
        let result = try store.verify()
        #expect(result == .intact(records: 5, head: records[4].hash))
        #expect(result.description == "ok: 5 records, head \(records[4].hash)")
    }

    @Test(arguments: Tampering.all)
    func tamperingIsFoundAtTheFirstBadRecord(_ tampering: Tampering) throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            try makeClosedStore(at: path, count: 5)
            try tamper(path, tampering.change)

            let result = try AuditStore(path: path, access: .read).verify()
            guard case let .tampered(finding) = result else {
                Issue.record("expected tampering, got \(result)")
                return
            }
            #expect(finding.sequence == tampering.expectedSequence)
            #expect(finding.kind == tampering.expectedKind)
            #expect(result.description.hasPrefix("tampered: first bad record is #\(tampering.expectedSequence): "))
        }
    }

    @Test func triggersRefuseUpdateAndDelete() throws {
        try withTemporaryDirectory { directory in
            let path = directory + "/plant.sqlite"
            try makeClosedStore(at: path, count: 3)
            let queue = try DatabaseQueue(path: path)
            let statements = [
                ("UPDATE audit SET payload = '{}' WHERE sequence = 2", "records cannot be updated"),
                ("DELETE FROM audit WHERE sequence = 3", "records cannot be deleted"),
                ("INSERT INTO audit SELECT 7, wall_time, sim_time, actor_type, actor_name, actor_role, kind, payload, "
                    + "policy_hash, correlation_id, hash, hash FROM audit WHERE sequence = 3", "must follow the head"),
                ("INSERT INTO audit SELECT 4, wall_time, sim_time, actor_type, actor_name, actor_role, kind, payload, "
                    + "policy_hash, correlation_id, previous_hash, hash FROM audit WHERE sequence = 3", "must follow the head"),
            ]
            for (sql, message) in statements {
                let error = #expect(throws: DatabaseError.self) { try queue.write { try $0.execute(sql: sql) } }
                #expect(error?.message?.contains("audit log is append-only") == true)
                #expect(error?.message?.contains(message) == true, "\(sql)")
            }
            try queue.close()
            #expect(try AuditStore(path: path, access: .read).verify().isIntact)
        }
    }
}
