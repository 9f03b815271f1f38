import AndonCore
import GRDB

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
    /// The insert of one row, its values in ``insertArguments``' order.
    static let insertSQL = """
        INSERT INTO audit (sequence, wall_time, sim_time, actor_type, actor_name, actor_role, kind, payload,
                           policy_hash, correlation_id, previous_hash, hash)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// The row's twelve values for ``insertSQL``, one for each of its parameters (so a statement may take them
    /// unchecked).
    var insertArguments: StatementArguments {
        var values: [DatabaseValue] = []
        values.reserveCapacity(12)
        values.append(sequence.databaseValue)
        values.append(wallTime.databaseValue)
        values.append(simTime.databaseValue)
        values.append(actorType.databaseValue)
        values.append(actorName.databaseValue)
        values.append(actorRole.map { $0.databaseValue } ?? .null)
        values.append(kind.databaseValue)
        values.append(payload.databaseValue)
        values.append(policyHash.databaseValue)
        values.append(correlationID.databaseValue)
        values.append(previousHash.databaseValue)
        values.append(hash.databaseValue)
        return StatementArguments(values)
    }
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
