/// The payload of a `checkpoint` record: the head of the log as it stood just before this record, signed with the
/// runtime's key, so that a log cut short, rewritten, or extended by someone without the key can be told apart from
/// the one the runtime wrote.
public struct AuditCheckpoint: Sendable, Hashable, Codable {
    /// The sequence of the last record before the checkpoint.
    public var sequence: Int64
    /// That record's hash (64 zeros for an empty log).
    public var hash: String
    /// When the checkpoint was made, ISO 8601 UTC.
    public var wallTime: String
    /// SHA-256 of the recovery state stored with this checkpoint, when one was (hex).
    public var stateSHA256: String?
    /// True for the checkpoint a clean close writes last: nothing may follow it.
    public var isClosing: Bool
    /// SHA-256 fingerprint of the public key that signed it (hex).
    public var key: String
    /// The Ed25519 signature of ``signedText``, base64.
    public var signature: String

    /// Creates a checkpoint payload.
    public init(sequence: Int64, hash: String, wallTime: String, stateSHA256: String?, isClosing: Bool, key: String, signature: String) {
        self.sequence = sequence
        self.hash = hash
        self.wallTime = wallTime
        self.stateSHA256 = stateSHA256
        self.isClosing = isClosing
        self.key = key
        self.signature = signature
    }

    /// The exact text that is signed: `andon-head-v1`, then sequence, hash, wall time, state hash (`-` for none) and
    /// `closing` or `open`, one per line.
    public var signedText: String {
        "andon-head-v1\n\(sequence)\n\(hash)\n\(wallTime)\n\(stateSHA256 ?? "-")\n\(isClosing ? "closing" : "open")\n"
    }
}

/// Where a run continues from: the latest recovery state the store holds, as of a sequence, and every record after
/// it, so that starting costs the same however long the log is.
public struct AuditRecoveryPoint: Sendable {
    /// The recovery state saved with the latest checkpoint that has one (the runtime's own encoding), or nil.
    public var state: String?
    /// The sequence the state reflects (0 without a state).
    public var stateSequence: Int64
    /// Every record after ``stateSequence``, in order.
    public var records: [AuditRecord]
    /// The wall time of the last record, if any.
    public var lastWallTime: String?
    /// The sequence and hash of the last record (0 and 64 zeros for an empty log), when the store tells.
    public var head: (sequence: Int64, hash: String)?

    /// Creates a recovery point.
    public init(state: String?, stateSequence: Int64, records: [AuditRecord], lastWallTime: String?, head: (sequence: Int64, hash: String)? = nil) {
        self.state = state
        self.stateSequence = stateSequence
        self.records = records
        self.lastWallTime = lastWallTime
        self.head = head
    }
}
