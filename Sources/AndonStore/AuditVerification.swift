/// The outcome of walking the hash chain.
public enum AuditVerification: Sendable, Hashable, CustomStringConvertible {
    /// Every record is in place and chains to the one before.
    case intact(records: Int, head: String)
    /// The first record that is wrong, and how.
    case tampered(AuditTamper)

    /// True when the chain is whole.
    public var isIntact: Bool {
        if case .intact = self { return true }
        return false
    }

    /// `ok: 12 records, head <hash>` or `tampered: first bad record is #5: <what>`.
    public var description: String {
        switch self {
        case let .intact(records, head): "ok: \(records) records, head \(head)"
        case let .tampered(tamper): "tampered: first bad record is #\(tamper.sequence): \(tamper.detail)"
        }
    }
}

/// Where and how a log was tampered with.
public struct AuditTamper: Sendable, Hashable, CustomStringConvertible {
    /// What the walk found.
    public enum Kind: String, Sendable, Hashable {
        /// The record's fields no longer give its stored hash.
        case modified
        /// A sequence number is absent: the record was deleted.
        case missing
        /// The record does not belong: the next one chains past it to the record before.
        case inserted
        /// The record chains to one stored after it: records were moved.
        case reordered
        /// The record's previous hash is not the hash of the record before, for no reason the walk can name.
        case unchained
        /// The sequence number appears more than once.
        case duplicate
    }

    /// The first bad sequence number.
    public var sequence: Int64
    /// What is wrong.
    public var kind: Kind
    /// A plain sentence, e.g. "record was modified: its stored hash does not match its contents".
    public var detail: String

    /// Creates a finding.
    public init(sequence: Int64, kind: Kind, detail: String) {
        self.sequence = sequence
        self.kind = kind
        self.detail = detail
    }

    /// The detail sentence.
    public var description: String { detail }
}
