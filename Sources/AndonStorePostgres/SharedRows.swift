import AndonStore
import PostgresNIO

/// How audit rows are read from the shared store: the columns in one order, decoded into the row every check uses.
enum SharedRows {
    /// The columns of an audit record, in ``auditRow(_:)``'s order.
    static let columns = "sequence, wall_time, sim_time, actor_type, actor_name, actor_role, kind, payload, policy_hash, correlation_id, previous_hash, hash"

    /// One row selected with ``columns``.
    static func auditRow(_ row: PostgresRow) throws -> AuditRow {
        let (sequence, wallTime, simTime, actorType, actorName, actorRole, kind, payload, policyHash, correlationID, previousHash, hash)
            = try row.decode((Int64, String, Double, String, String, String?, String, String, String, String, String, String).self)
        return AuditRow(sequence: sequence, wallTime: wallTime, simTime: simTime, actorType: actorType, actorName: actorName, actorRole: actorRole,
                        kind: kind, payload: payload, policyHash: policyHash, correlationID: correlationID, previousHash: previousHash, hash: hash)
    }
}
