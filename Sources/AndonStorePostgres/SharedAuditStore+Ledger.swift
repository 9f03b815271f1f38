import AndonCore
import AndonStore
import Foundation
import PostgresNIO

/// The runtime keeps its approvals in the shared store: each change is a conditional write in the same transaction
/// as the records of this runtime's stream that say why.
extension SharedAuditStore: ApprovalLedger {
    /// Appends `entries` and makes `writes` in one transaction (see ``ApprovalLedger``); a write that loses throws
    /// ``ApprovalWriteLost`` with the approval as it stands, and nothing is written.
    @discardableResult
    public func append(_ entries: [AuditEntry], sync: Bool, approvals writes: [ApprovalWrite]) throws -> [AuditRecord] {
        guard !writes.isEmpty else { return try append(entries, sync: sync) }
        let outcome: LedgerOutcome = try withConnection(writing: true) { connection, state in
            let (landed, rest) = try reconcile(entries, connection, &state)
            // The whole transaction landed before its answer was lost with the connection: its writes did too.
            if !landed.isEmpty, rest.isEmpty { return .committed(landed) }
            let saved = state
            try connection.execute("BEGIN")
            do {
                let fence = state.leases["stream:\(runtimeID)"] ?? 0
                for write in writes {
                    guard try make(write, fence: fence, connection) else {
                        try connection.execute("ROLLBACK")
                        return .lost(write.approvalID)
                    }
                }
                let due = signingKey != nil && (sync || state.sinceCheckpoint + rest.count >= checkpointEvery)
                let records = try commit(rest, sync: sync, checkpoint: due ? .periodic : nil, connection, &state)
                try connection.execute("COMMIT")
                return .committed(landed + records)
            } catch {
                try? connection.execute("ROLLBACK")
                state.rewind(to: saved)
                throw error
            }
        }
        switch outcome {
        case let .committed(records):
            return records
        case let .lost(id):
            throw ApprovalWriteLost(approvalID: id, current: try approvals(ids: [id]).first)
        }
    }

    /// The approvals `ids` as they stand.
    public func approvals(ids: [String]) throws -> [SharedApproval] {
        guard !ids.isEmpty else { return [] }
        return try withConnection(writing: false) { connection, _ in
            try connection.query("SELECT \(unescaped: Self.approvalColumns) FROM andon_approval WHERE approval_id = ANY(\(ids))").map(Self.approval)
        }
    }

    /// True when a notice said an approval or an outbox changed since the last call, when no listener hears notices
    /// (not started yet, or its connection was lost: it is started again), and at least every five seconds.
    public func takeApprovalNews() -> Bool {
        approvalNews.take(address: address, now: now())
    }

    private enum LedgerOutcome {
        case committed([AuditRecord])
        case lost(String)
    }

    /// Makes one write inside the open transaction; false when its condition was false.
    private func make(_ write: ApprovalWrite, fence: Int64, _ connection: StoreConnection) throws -> Bool {
        switch write {
        case let .open(approval):
            // A retry of an open whose answer was lost finds its row there: that is the same approval, not a loss.
            try connection.query("""
                INSERT INTO andon_approval (approval_id, runtime_id, action, quorum, deadline, requested_at, state, signatures, version, changed_at, written_by, fence)
                VALUES (\(approval.id), \(runtimeID), \(approval.action), \(approval.quorum), \(approval.deadline), \(approval.requestedAt),
                        'pending', '[]', 1, \(approval.requestedAt), \(runtimeID), \(fence))
                ON CONFLICT (approval_id) DO NOTHING
                """)
            try notify(connection, channel: "approval", approval.id)
            return true
        case let .change(id, seenVersion, state, signatures, claim):
            let signed = String(decoding: try JSONEncoder.sorted.encode(signatures), as: UTF8.self)
            let changedAt = WallTime.string(from: now())
            let rows = try connection.query("""
                UPDATE andon_approval SET state = \(state.rawValue), signatures = \(signed), version = version + 1, changed_at = \(changedAt),
                       written_by = \(runtimeID), fence = \(fence)
                 WHERE approval_id = \(id) AND state = 'pending' AND version = \(seenVersion)
                RETURNING runtime_id, action
                """)
            guard let row = rows.first else { return false }
            let (executor, action) = try row.decode((String, String).self)
            if state == .approved {
                try connection.query("""
                    INSERT INTO andon_outbox (approval_id, runtime_id, action, enqueued_at, written_by, fence)
                    VALUES (\(id), \(executor), \(action), \(changedAt), \(runtimeID), \(fence))
                    """)
                if claim, executor == runtimeID {
                    try connection.query("""
                        INSERT INTO andon_outbox_claim (approval_id, claimed_at, written_by, fence) VALUES (\(id), \(changedAt), \(runtimeID), \(fence))
                        """)
                } else {
                    try notify(connection, channel: "outbox", executor + " " + id)
                }
            }
            try notify(connection, channel: "approval", id)
            return true
        case let .claim(id):
            let at = WallTime.string(from: now())
            let rows = try connection.query("""
                INSERT INTO andon_outbox_claim (approval_id, claimed_at, written_by, fence)
                SELECT approval_id, \(at), \(runtimeID), \(fence) FROM andon_outbox WHERE approval_id = \(id) AND runtime_id = \(runtimeID)
                ON CONFLICT (approval_id) DO NOTHING RETURNING approval_id
                """)
            return !rows.isEmpty
        }
    }
}
