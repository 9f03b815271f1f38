import AndonCore
import Foundation

/// Shared approvals in memory, over a ``MemoryAuditSink``, with the conditional writes of the PostgreSQL store: for
/// tests of the runtime's side of shared approvals, including the races a test arranges itself (another runtime's
/// decision written straight into a row, notices held back).
public final class MemoryApprovalLedger: ApprovalLedger, @unchecked Sendable {
    private let lock = NSLock()
    private let sink = MemoryAuditSink()
    private var rows: [String: SharedApproval] = [:]
    private var outboxes: [String: String] = [:]
    private var claims: Set<String> = []
    private var hasNews = true
    /// The runtime whose stream this is.
    public let runtimeID: String
    /// While false, ``takeApprovalNews()`` says nothing changed (a notice that has not arrived yet).
    public var deliversNews: Bool {
        get { lock.withLock { delivering } }
        set { lock.withLock { delivering = newValue } }
    }
    private var delivering = true

    /// An empty store for runtime `runtimeID`.
    public init(runtimeID: String) {
        self.runtimeID = runtimeID
    }

    /// Records committed so far.
    public var records: [AuditRecord] { sink.records }

    /// The approval `id` as it stands.
    public func row(_ id: String) -> SharedApproval? { lock.withLock { rows[id] } }

    /// True when the approved action `id` was claimed.
    public func isClaimed(_ id: String) -> Bool { lock.withLock { claims.contains(id) } }

    /// Another runtime's decision, written as that runtime would: the row moves one version, and at `approved` the
    /// action goes to its runtime's outbox.
    public func decideElsewhere(_ id: String, state: SharedApproval.State, signature: SharedApproval.Signature) {
        lock.withLock {
            guard var row = rows[id] else { return }
            row.signatures.append(signature)
            row.state = state
            row.version += 1
            rows[id] = row
            if state == .approved { outboxes[id] = row.runtimeID }
            hasNews = true
        }
    }

    @discardableResult
    public func append(_ entries: [AuditEntry], sync: Bool, approvals writes: [ApprovalWrite]) throws -> [AuditRecord] {
        try lock.withLock {
            var next = rows
            var nextOutboxes = outboxes
            var nextClaims = claims
            for write in writes {
                switch write {
                case let .open(approval):
                    if next[approval.id] == nil { next[approval.id] = approval }
                case let .change(id, seenVersion, state, signatures, claim):
                    guard var row = next[id], row.state == .pending, row.version == seenVersion else {
                        throw ApprovalWriteLost(approvalID: id, current: rows[id])
                    }
                    row.state = state
                    row.signatures = signatures
                    row.version += 1
                    next[id] = row
                    if state == .approved {
                        nextOutboxes[id] = row.runtimeID
                        if claim, row.runtimeID == runtimeID { nextClaims.insert(id) }
                    }
                case let .claim(id):
                    guard nextOutboxes[id] == runtimeID, !nextClaims.contains(id) else { throw ApprovalWriteLost(approvalID: id, current: rows[id]) }
                    nextClaims.insert(id)
                }
            }
            let records = try sink.append(entries, sync: sync)
            rows = next
            outboxes = nextOutboxes
            claims = nextClaims
            hasNews = true
            return records
        }
    }

    public func approvals(ids: [String]) throws -> [SharedApproval] {
        lock.withLock { ids.compactMap { rows[$0] } }
    }

    public func pendingApprovals() throws -> [SharedApproval] {
        lock.withLock { rows.values.filter { $0.state == .pending }.sorted { ($0.deadline, $0.id) < ($1.deadline, $1.id) } }
    }

    public func takeApprovalNews() -> Bool {
        lock.withLock {
            guard delivering, hasNews else { return false }
            hasNews = false
            return true
        }
    }

    @discardableResult
    public func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord] { try sink.append(entries, sync: sync) }

    public func checkpoint(recoveryState: String, closing: Bool) throws { try sink.checkpoint(recoveryState: recoveryState, closing: closing) }

    public func recoveryPoint() throws -> AuditRecoveryPoint { try sink.recoveryPoint() }

    public var health: AuditHealth { sink.health }

    public func close() {}
}
