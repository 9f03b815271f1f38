import AndonCore
import GRDB
import GRDBSQLite

/// One row of the `audit` table, with every column as stored, so tampered rows can still be read and checked.
package struct AuditRow: Hashable, Sendable {
    package var sequence: Int64
    package var wallTime: String
    package var simTime: Double
    package var actorType: String
    package var actorName: String
    package var actorRole: String?
    package var kind: String
    package var payload: String
    package var policyHash: String
    package var correlationID: String
    package var previousHash: String
    package var hash: String
    /// False when the stored `sim_time` is not a number (text such as `78.0x`, which SQLite keeps as text and a
    /// numeric read would quietly take as 78.0): such a row is never intact.
    package var isSimTimeANumber = true

    /// The hash the row's fields call for.
    package var computedHash: String {
        AuditChain.hash(previousHash: previousHash, sequence: sequence, wallTime: wallTime, simTime: simTime,
                        actorType: actorType, actorName: actorName, actorRole: actorRole, kind: kind, payload: payload,
                        policyHash: policyHash, correlationID: correlationID)
    }

    /// A row with every column as stored.
    package init(sequence: Int64, wallTime: String, simTime: Double, actorType: String, actorName: String, actorRole: String?, kind: String,
                 payload: String, policyHash: String, correlationID: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.wallTime = wallTime
        self.simTime = simTime
        self.actorType = actorType
        self.actorName = actorName
        self.actorRole = actorRole
        self.kind = kind
        self.payload = payload
        self.policyHash = policyHash
        self.correlationID = correlationID
        self.previousHash = previousHash
        self.hash = hash
    }

    package init(_ record: AuditRecord) {
        sequence = record.sequence
        wallTime = record.wallTime
        simTime = record.simTime
        actorType = record.actor.type
        actorName = record.actor.name
        actorRole = record.actor.role?.rawValue
        kind = record.kind.rawValue
        payload = record.payload
        policyHash = record.policyHash
        correlationID = record.correlationID
        previousHash = record.previousHash
        hash = record.hash
    }

    /// The typed record; throws when the kind or role is not one Andon knows.
    package func record(path: String) throws -> AuditRecord {
        guard let kind = AuditKind(rawValue: kind) else {
            throw AuditStoreError.unreadable(path, detail: "record #\(sequence) has the kind '\(self.kind)', which this version does not know")
        }
        var role: Role?
        if let actorRole {
            guard let known = Role(rawValue: actorRole) else {
                throw AuditStoreError.unreadable(path, detail: "record #\(sequence) names the role '\(actorRole)', which this version does not know")
            }
            role = known
        }
        return AuditRecord(sequence: sequence, wallTime: wallTime, simTime: simTime,
                           actor: AuditActor(type: actorType, name: actorName, role: role), kind: kind, payload: payload,
                           policyHash: policyHash, correlationID: correlationID, previousHash: previousHash, hash: hash)
    }
}

extension AuditRow {
    /// The insert of one row, its values bound by ``insert(with:_:)``.
    static let insertSQL = """
        INSERT INTO audit (sequence, wall_time, sim_time, actor_type, actor_name, actor_role, kind, payload,
                           policy_hash, correlation_id, previous_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Inserts the row through `statement`, prepared from ``insertSQL``: its twelve values bound straight into SQLite's
    /// statement, texts as GRDB binds them (up to a NUL, copied), and the statement stepped once. Building GRDB's
    /// arguments for each row cost more than the insert (a key path made and applied for every value).
    /// Throws the `DatabaseError` SQLite gives; the statement is reset either way, ready for the next row.
    func insert(with statement: Statement, _ db: Database) throws {
        let handle = statement.sqliteStatement
        sqlite3_bind_int64(handle, 1, sequence)
        Self.bind(wallTime, 2, handle)
        sqlite3_bind_double(handle, 3, simTime)
        Self.bind(actorType, 4, handle)
        Self.bind(actorName, 5, handle)
        if let actorRole { Self.bind(actorRole, 6, handle) } else { sqlite3_bind_null(handle, 6) }
        Self.bind(kind, 7, handle)
        Self.bind(payload, 8, handle)
        Self.bind(policyHash, 9, handle)
        Self.bind(correlationID, 10, handle)
        Self.bind(previousHash, 11, handle)
        Self.bind(hash, 12, handle)
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let message = db.lastErrorMessage
            sqlite3_reset(handle)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: Self.insertSQL)
        }
        sqlite3_reset(handle)
    }

    private static func bind(_ text: String, _ index: CInt, _ handle: SQLiteStatement) {
        _ = text.withCString { sqlite3_bind_text(handle, index, $0, -1, transient) }
    }

    /// SQLite's `SQLITE_TRANSIENT`: the text is copied before the call returns.
    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
}

extension AuditRow: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "audit"

    /// Column names, in table order.
    package enum Columns {
        static let sequence = Column("sequence")
        static let wallTime = Column("wall_time")
    }

    package init(row: Row) throws {
        sequence = try row.decode(forColumn: "sequence")
        wallTime = try row.decode(forColumn: "wall_time")
        switch (row["sim_time"] as DatabaseValue).storage {
        case let .double(value): simTime = value
        case let .int64(value): simTime = Double(value)
        default:
            simTime = .nan
            isSimTimeANumber = false
        }
        actorType = try row.decode(forColumn: "actor_type")
        actorName = try row.decode(forColumn: "actor_name")
        actorRole = try row.decode(forColumn: "actor_role")
        kind = try row.decode(forColumn: "kind")
        payload = try row.decode(forColumn: "payload")
        policyHash = try row.decode(forColumn: "policy_hash")
        correlationID = try row.decode(forColumn: "correlation_id")
        previousHash = try row.decode(forColumn: "previous_hash")
        hash = try row.decode(forColumn: "hash")
    }

    package func encode(to container: inout PersistenceContainer) throws {
        container["sequence"] = sequence
        container["wall_time"] = wallTime
        container["sim_time"] = simTime
        container["actor_type"] = actorType
        container["actor_name"] = actorName
        container["actor_role"] = actorRole
        container["kind"] = kind
        container["payload"] = payload
        container["policy_hash"] = policyHash
        container["correlation_id"] = correlationID
        container["previous_hash"] = previousHash
        container["hash"] = hash
    }
}
