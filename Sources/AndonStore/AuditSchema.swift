import Foundation
import GRDB

/// The `audit` table, its append-only triggers, and the marks that say a file is an Andon audit store.
enum AuditSchema {
    /// `PRAGMA application_id` of an audit store: "ANDN" in ASCII.
    static let applicationID: Int32 = 0x414E_444E

    /// Creates or upgrades the schema.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 audit table") { db in
            try db.execute(sql: """
                CREATE TABLE audit (
                    sequence INTEGER PRIMARY KEY NOT NULL CHECK (sequence >= 1),
                    wall_time TEXT NOT NULL,
                    sim_time REAL NOT NULL,
                    actor_type TEXT NOT NULL,
                    actor_name TEXT NOT NULL,
                    actor_role TEXT,
                    kind TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    policy_hash TEXT NOT NULL,
                    correlation_id TEXT NOT NULL,
                    previous_hash TEXT NOT NULL,
                    hash TEXT NOT NULL
                );
                CREATE TRIGGER audit_refuse_update BEFORE UPDATE ON audit
                BEGIN
                    SELECT RAISE(ABORT, 'audit log is append-only: records cannot be updated');
                END;
                CREATE TRIGGER audit_refuse_delete BEFORE DELETE ON audit
                BEGIN
                    SELECT RAISE(ABORT, 'audit log is append-only: records cannot be deleted');
                END;
                CREATE TRIGGER audit_refuse_out_of_chain BEFORE INSERT ON audit
                WHEN NEW.sequence IS NOT (SELECT COALESCE(MAX(sequence), 0) + 1 FROM audit)
                  OR NEW.previous_hash IS NOT COALESCE((SELECT hash FROM audit ORDER BY sequence DESC LIMIT 1),
                                                       '\(AuditChain.genesisHash)')
                BEGIN
                    SELECT RAISE(ABORT, 'audit log is append-only: a record must follow the head of the chain');
                END;
                PRAGMA application_id = \(applicationID);
                """)
        }
        migrator.registerMigration("v2 recovery state") { db in
            // The runtime's state as of a checkpoint, so a start reads only the records after it. Not part of the chain
            // (it is replaced at each checkpoint); the signed checkpoint record that follows it carries its SHA-256.
            try db.execute(sql: """
                CREATE TABLE recovery_state (
                    sequence INTEGER PRIMARY KEY NOT NULL,
                    state TEXT NOT NULL,
                    sha256 TEXT NOT NULL
                );
                """)
        }
        return migrator
    }

    /// Throws unless `db` is empty or already an audit store, so a wrong `--store` never gets an audit table added.
    static func checkWritable(_ db: Database, path: String) throws {
        let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        guard id != applicationID else { return }
        let tables = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'") ?? 0
        guard tables == 0 else {
            throw AuditStoreError.notAnAuditStore(path, detail: "the database holds other tables")
        }
    }

    /// Throws unless `db` is an audit store.
    static func checkReadable(_ db: Database, path: String) throws {
        let id = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        guard id == applicationID, try db.tableExists("audit") else {
            // A store whose records were all still in a WAL that SQLite could not read looks like an empty file.
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            throw AuditStoreError.notAnAuditStore(path, detail: wal > 0 ? "it holds no audit table, though its -wal file holds \(wal) bytes that SQLite "
                                                      + "did not take (damaged?): the records may be there" : nil)
        }
    }
}
