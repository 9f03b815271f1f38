/// The audit log's head: how many records and the last hash.
public struct AuditHead: Sendable, Codable {
    /// Records in the log.
    public var records: Int
    /// The last record's hash.
    public var hash: String
}
