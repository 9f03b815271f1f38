import AndonCore
import AndonStore
import Foundation
import PostgresNIO

extension SharedAuditStore {
    /// Puts a pending approval in the shared store and `records` (its `approval_requested` record) in this runtime's
    /// stream, in one transaction; throws when the store refuses it (then there is no approval).
    public func requestApproval(_ approval: SharedApproval, records: [AuditEntry]) throws {
        try inTransaction { connection, state in
            let fence = state.leases["stream:\(runtimeID)"] ?? 0
            try connection.query("""
                INSERT INTO andon_approval (approval_id, runtime_id, action, quorum, deadline, requested_at, state, signatures, version, changed_at, written_by, fence)
                VALUES (\(approval.id), \(approval.runtimeID), \(approval.action), \(approval.quorum), \(approval.deadline), \(approval.requestedAt),
                        'pending', '[]', 1, \(approval.requestedAt), \(runtimeID), \(fence))
                """)
            try notify(connection, channel: "approval", approval.id)
            if !records.isEmpty { _ = try commit(records, sync: true, checkpoint: signingKey != nil ? .periodic : nil, connection, &state) }
        }
    }

    /// One decision on a pending approval, made only if it still stands at `expectedVersion` (the one the person saw):
    /// a conditional update of its row, its `records` in this runtime's stream, and for an approval that reaches
    /// `approved`, its action in the executing runtime's outbox, all in one transaction. Two consoles deciding at
    /// once, on one runtime or two, get one `won` and one `lost`.
    ///
    /// - Parameters:
    ///   - state: `pending` to add a signature short of the quorum, else the final state.
    ///   - signatures: every signature after this decision (the earlier ones and the new one).
    public func decide(approvalID: String, expectedVersion: Int, to state: SharedApproval.State, signatures: [SharedApproval.Signature],
                       records: [AuditEntry]) throws -> SharedDecision {
        let signed = String(decoding: try JSONEncoder.sorted.encode(signatures), as: UTF8.self)
        let changedAt = WallTime.string(from: now())
        var outcome: SharedDecision = .lost(nil)
        try inTransaction { connection, current in
            let fence = current.leases["stream:\(runtimeID)"] ?? 0
            let rows = try connection.query("""
                UPDATE andon_approval SET state = \(state.rawValue), signatures = \(signed), version = version + 1, changed_at = \(changedAt),
                       written_by = \(runtimeID), fence = \(fence)
                 WHERE approval_id = \(approvalID) AND state = 'pending' AND version = \(expectedVersion)
                RETURNING \(unescaped: Self.approvalColumns)
                """)
            guard let row = rows.first else {
                throw DecisionLost()
            }
            let approval = try Self.approval(row)
            if approval.state == .approved {
                try connection.query("""
                    INSERT INTO andon_outbox (approval_id, runtime_id, action, enqueued_at, written_by, fence)
                    VALUES (\(approval.id), \(approval.runtimeID), \(approval.action), \(changedAt), \(runtimeID), \(fence))
                    """)
                try notify(connection, channel: "outbox", approval.runtimeID + " " + approval.id)
            }
            try notify(connection, channel: "approval", approval.id)
            if !records.isEmpty { _ = try commit(records, sync: true, checkpoint: signingKey != nil ? .periodic : nil, connection, &current) }
            outcome = .won(approval)
        } lost: {
            outcome = .lost(try self.approval(id: approvalID))
        }
        return outcome
    }

    /// The approval `id` as it stands, or nil.
    public func approval(id: String) throws -> SharedApproval? {
        try withConnection(writing: false) { connection, _ in
            try connection.query("SELECT \(unescaped: Self.approvalColumns) FROM andon_approval WHERE approval_id = \(id)").first.map(Self.approval)
        }
    }

    /// Every pending approval of every runtime, nearest deadline first: the plant-wide approvals pane.
    public func pendingApprovals() throws -> [SharedApproval] {
        try withConnection(writing: false) { connection, _ in
            try connection.query("""
                SELECT \(unescaped: Self.approvalColumns) FROM andon_approval WHERE state = 'pending' ORDER BY deadline, approval_id
                """).map(Self.approval)
        }
    }

    /// This runtime's approved actions not yet claimed for execution, oldest first.
    public func outbox() throws -> [OutboxItem] {
        try withConnection(writing: false) { connection, _ in
            try connection.query("""
                SELECT o.approval_id, o.action, o.enqueued_at FROM andon_outbox o
                  LEFT JOIN andon_outbox_claim c ON c.approval_id = o.approval_id
                 WHERE o.runtime_id = \(runtimeID) AND c.approval_id IS NULL
                 ORDER BY o.enqueued_at, o.approval_id
                """).map { row in
                let (id, action, at) = try row.decode((String, String, String).self)
                return OutboxItem(approvalID: id, action: action, enqueuedAt: at)
            }
        }
    }

    /// Claims an approved action for execution, with `records` in this runtime's stream, in one transaction, before it
    /// runs (write-ahead): true for the one claim that wins, false when it was claimed before (by this runtime before a
    /// restart, or by the one that had the line before a failover), so no action runs twice.
    public func claim(approvalID: String, records: [AuditEntry] = []) throws -> Bool {
        var claimed = false
        let at = WallTime.string(from: now())
        try inTransaction { connection, state in
            let fence = state.leases["stream:\(runtimeID)"] ?? 0
            let rows = try connection.query("""
                INSERT INTO andon_outbox_claim (approval_id, claimed_at, written_by, fence)
                SELECT approval_id, \(at), \(runtimeID), \(fence) FROM andon_outbox WHERE approval_id = \(approvalID) AND runtime_id = \(runtimeID)
                ON CONFLICT (approval_id) DO NOTHING RETURNING approval_id
                """)
            guard !rows.isEmpty else { throw DecisionLost() }
            if !records.isEmpty { _ = try commit(records, sync: true, checkpoint: signingKey != nil ? .periodic : nil, connection, &state) }
            claimed = true
        } lost: {}
        return claimed
    }

    /// Sends a notice (ids only) on the schema's channel `name`, delivered when the transaction commits.
    func notify(_ connection: StoreConnection, channel name: String, _ payload: String) throws {
        try connection.query("SELECT pg_notify(\(address.schema + "_" + name), \(payload))")
    }

    /// Runs `body` in one transaction on the writer's connection; `lost` runs instead when `body` found its condition
    /// false (nothing is written then). The head this store caches is put back when the transaction does not commit.
    func inTransaction(_ body: (StoreConnection, inout State) throws -> Void, lost: () throws -> Void = {}) throws {
        var wasLost = false
        try withConnection(writing: true) { connection, state in
            _ = try reconcile([], connection, &state)
            let saved = state
            try connection.execute("BEGIN")
            do {
                try body(connection, &state)
                try connection.execute("COMMIT")
            } catch is DecisionLost {
                try connection.execute("ROLLBACK")
                wasLost = true
            } catch {
                try? connection.execute("ROLLBACK")
                state.rewind(to: saved)
                throw error
            }
        }
        if wasLost { try lost() }
    }

    static let approvalColumns = "approval_id, runtime_id, action, quorum, deadline, requested_at, state, signatures, version"

    static func approval(_ row: PostgresRow) throws -> SharedApproval {
        let (id, runtime, action, quorum, deadline, requestedAt, state, signatures, version)
            = try row.decode((String, String, String, Int32, String, String, String, String, Int32).self)
        var approval = SharedApproval(id: id, runtimeID: runtime, action: action, quorum: Int(quorum), deadline: deadline, requestedAt: requestedAt)
        approval.state = SharedApproval.State(rawValue: state) ?? .pending
        approval.signatures = (try? JSONDecoder().decode([SharedApproval.Signature].self, from: Data(signatures.utf8))) ?? []
        approval.version = Int(version)
        return approval
    }
}

/// A conditional write that found its condition false: the transaction is rolled back and nothing was written.
struct DecisionLost: Error {}

extension JSONEncoder {
    /// Sorted keys, no escaped slashes: equal values give equal bytes.
    static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
