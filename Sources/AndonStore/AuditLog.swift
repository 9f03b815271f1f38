import AndonCore
import Foundation

/// What a store offers beyond the runtime's ``AuditSink``: what `andon audit` and the run's report need. The SQLite
/// store (``AuditStore``) and the shared PostgreSQL store implement it, and one test suite holds both to it.
public protocol AuditLog: AuditSink {
    /// Where the log is, in words that carry no secret (a path, `:memory:`, or a server URL without its password).
    var location: String { get }
    /// The last committed record's sequence and hash as the store knows them (0 and 64 zeros when empty).
    var head: (sequence: Int64, hash: String) { get }
    /// What opening found about the log (a tail from a run that did not close cleanly, a first anchor), or nil.
    var openingNote: String? { get }
    /// Walks the chain and names the first bad record, or gives the count and head.
    func verify() throws -> AuditVerification
    /// Checks the signed checkpoints (with `publicKey` when given) and the anchors that say the log is whole.
    func verifyAnchors(publicKey: PublicSigningKey?) throws -> AnchorReport
    /// Every committed record, in sequence order.
    func allRecords() throws -> [AuditRecord]
    /// Records after `sequence` (exclusive), at most `limit`, in sequence order.
    func records(after sequence: Int64, limit: Int) throws -> [AuditRecord]
    /// The last `count` records, in sequence order.
    func lastRecords(_ count: Int) throws -> [AuditRecord]
    /// Streams the log as JSON lines, in sequence order; with `since`, only records committed at or after it.
    func exportJSONLines(since: Date?, _ write: (String) throws -> Void) throws
    /// How many records the log holds now.
    func count() throws -> Int
}

extension AuditStore: AuditLog {}
