/// Where the runtime commits audit records. Implementations must not return before the records are durable when `sync`
/// is true, and must throw rather than drop a record.
public protocol AuditSink: AnyObject, Sendable {
    /// Appends entries in one transaction, in order; returns the committed records.
    @discardableResult
    func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord]
    /// Anchors the head of the log (a signed checkpoint) and keeps `recoveryState` (the runtime's state as of the head)
    /// so that the next start reads only what follows it.
    /// `closing` marks the last checkpoint of a clean close: nothing may follow it.
    func checkpoint(recoveryState: String, closing: Bool) throws
    /// The latest recovery state and every record after it. Throws, naming the record and why, when any of them
    /// cannot be read: a store that cannot be read completely is never taken for an empty one.
    func recoveryPoint() throws -> AuditRecoveryPoint
    /// The store's health for the header.
    var health: AuditHealth { get }
    /// Makes everything committed durable on its own (no side files needed to read it) and lets the store go.
    func close()
    /// Where the runtime keeps its approvals when this sink shares them with other runtimes (nil: the runtime keeps
    /// them itself). A sink that wraps another passes its ledger on.
    var approvalLedger: (any ApprovalLedger)? { get }
}

extension AuditSink {
    /// The sink itself when it is a ledger of shared approvals.
    public var approvalLedger: (any ApprovalLedger)? { self as? any ApprovalLedger }
}
