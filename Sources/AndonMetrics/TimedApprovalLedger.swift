import AndonCore

/// A ledger of shared approvals whose commits are timed by a ``TimedAuditSink``, like the sink's own.
final class TimedApprovalLedger: ApprovalLedger {
    private let ledger: any ApprovalLedger
    private let timing: TimedAuditSink

    init(_ ledger: any ApprovalLedger, timing: TimedAuditSink) {
        self.ledger = ledger
        self.timing = timing
    }

    var runtimeID: String { ledger.runtimeID }

    @discardableResult
    func append(_ entries: [AuditEntry], sync: Bool, approvals: [ApprovalWrite]) throws -> [AuditRecord] {
        try timing.timed(sync: sync) { try ledger.append(entries, sync: sync, approvals: approvals) }
    }

    func approvals(ids: [String]) throws -> [SharedApproval] { try ledger.approvals(ids: ids) }

    func pendingApprovals() throws -> [SharedApproval] { try ledger.pendingApprovals() }

    func takeApprovalNews() -> Bool { ledger.takeApprovalNews() }

    @discardableResult
    func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord] { try timing.append(entries, sync: sync) }

    func checkpoint(recoveryState: String, closing: Bool) throws { try timing.checkpoint(recoveryState: recoveryState, closing: closing) }

    func recoveryPoint() throws -> AuditRecoveryPoint { try timing.recoveryPoint() }

    var health: AuditHealth { timing.health }

    func close() { timing.close() }
}
