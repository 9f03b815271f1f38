/// Where the runtime commits audit records. Implementations must not return before the records are durable
/// when `sync` is true, and must throw rather than drop a record.
public protocol AuditSink: AnyObject, Sendable {
    /// Appends entries in one transaction, in order; returns the committed records.
    @discardableResult
    func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord]
    /// Every committed record, in sequence order.
    func allRecords() throws -> [AuditRecord]
    /// The store's health for the header.
    var health: AuditHealth { get }
    /// Makes everything committed durable on its own (no side files needed to read it) and lets the store go.
    func close()
}
