import AndonCore
import AndonStore
import Foundation
import PostgresNIO

extension SharedAuditStore {
    /// Every record of the stream, in sequence order.
    public func allRecords() throws -> [AuditRecord] {
        try records(after: 0, limit: Int.max)
    }

    /// Records after `sequence` (exclusive), at most `limit`, in sequence order.
    public func records(after sequence: Int64, limit: Int = Int.max) throws -> [AuditRecord] {
        var records: [AuditRecord] = []
        try withConnection(writing: false) { connection, _ in
            try Self.forEachRow(connection, runtimeID: runtimeID, after: sequence, limit: limit) { records.append(try $0.record(path: location)) }
        }
        return records
    }

    /// The last `count` records, in sequence order.
    public func lastRecords(_ count: Int) throws -> [AuditRecord] {
        try withConnection(writing: false) { connection, _ in
            let rows = try connection.query("""
                SELECT \(unescaped: SharedRows.columns) FROM andon_audit WHERE runtime_id = \(runtimeID) ORDER BY sequence DESC LIMIT \(Int64(max(0, count)))
                """)
            return try rows.reversed().map { try SharedRows.auditRow($0).record(path: location) }
        }
    }

    /// How many records the stream holds now.
    public func count() throws -> Int {
        try withConnection(writing: false) { connection, _ in
            Int(try connection.query("SELECT count(*) FROM andon_audit WHERE runtime_id = \(runtimeID)").first?.decode(Int64.self) ?? 0)
        }
    }

    /// Streams the records as JSON lines, in sequence order, a page at a time; with `since`, only those committed at or
    /// after that wall time.
    public func exportJSONLines(since: Date? = nil, _ write: (String) throws -> Void) throws {
        let from = since.map(WallTime.string(from:))
        try withConnection(writing: false) { connection, _ in
            try Self.forEachRow(connection, runtimeID: runtimeID, after: 0, limit: Int.max) { row in
                if let from, row.wallTime < from { return }
                try write(try row.record(path: location).jsonLine)
            }
        }
    }

    /// The latest recovery state of the stream (checked against the signed checkpoint after it) and every record after it.
    public func recoveryPoint() throws -> AuditRecoveryPoint {
        try withConnection(writing: false) { connection, state in
            var stateSequence: Int64 = 0
            var text: String?
            let saved = try connection.query("""
                SELECT sequence, state, sha256 FROM andon_recovery_state WHERE runtime_id = \(runtimeID) ORDER BY sequence DESC LIMIT 1
                """)
            if let (sequence, body, sha256) = try saved.first?.decode((Int64, String, String).self) {
                let signing = try connection.query("""
                    SELECT \(unescaped: SharedRows.columns) FROM andon_audit WHERE runtime_id = \(runtimeID) AND sequence = \(sequence + 1)
                    """).first.map(SharedRows.auditRow)
                let checkpoint = signing.flatMap { try? JSONDecoder().decode(AuditCheckpoint.self, from: Data($0.payload.utf8)) }
                guard AuditChain.sha256(body) == sha256, signing?.kind == AuditKind.checkpoint.rawValue, checkpoint?.stateSHA256 == sha256 else {
                    throw AuditStoreError.unreadable(location, detail: "the recovery state saved at #\(sequence) does not match the checkpoint after it")
                }
                if let key = signingKey?.publicKey, let checkpoint, !key.verifies(checkpoint.signature, of: checkpoint.signedText) {
                    throw AuditStoreError.untrusted(location, detail: "the checkpoint #\(sequence + 1) that signs the saved recovery state does not carry a valid signature")
                }
                stateSequence = sequence
                text = body
            }
            var records: [AuditRecord] = []
            try Self.forEachRow(connection, runtimeID: runtimeID, after: stateSequence, limit: Int.max) { records.append(try $0.record(path: location)) }
            let head = try Self.readHead(connection, runtimeID: runtimeID)
            let lastWallTime = try connection.query("""
                SELECT wall_time FROM andon_audit WHERE runtime_id = \(runtimeID) ORDER BY sequence DESC LIMIT 1
                """).first?.decode(String.self)
            return AuditRecoveryPoint(state: text, stateSequence: stateSequence, records: records, lastWallTime: lastWallTime, head: head)
        }
    }

    /// Rows of `runtimeID`'s stream after `sequence`, in order, at most `limit`, read a page at a time.
    static func forEachRow(_ connection: StoreConnection, runtimeID: String, after sequence: Int64, limit: Int,
                           _ body: (AuditRow) throws -> Void) throws {
        var last = sequence
        var left = limit
        while left > 0 {
            let page = Int64(min(left, 5000))
            let rows = try connection.query("""
                SELECT \(unescaped: SharedRows.columns) FROM andon_audit WHERE runtime_id = \(runtimeID) AND sequence > \(last) ORDER BY sequence LIMIT \(page)
                """)
            for row in rows {
                let decoded = try SharedRows.auditRow(row)
                try body(decoded)
                last = decoded.sequence
            }
            left -= rows.count
            if rows.count < page { return }
        }
    }

    /// The ids of every stream in the store at `address`, in order.
    public static func streamIDs(address: SharedStoreAddress) throws -> [String] {
        let connection = try StoreConnection.open(address)
        defer { connection.close() }
        try SharedMigrator.checkReadable(connection)
        return try connection.query("SELECT runtime_id FROM andon_stream ORDER BY runtime_id COLLATE \"C\"").map { try $0.decode(String.self) }
    }
}
