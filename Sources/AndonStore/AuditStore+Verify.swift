import GRDB

extension AuditStore {
    /// Walks the log in sequence order in one read transaction and reports the first record that breaks the
    /// chain, or the record count and head hash. O(n) in time, O(1) in memory.
    ///
    /// For each record, in this order: its sequence must be the next one (else `missing` or `duplicate`); its
    /// previous hash must be the hash of the record before (else `inserted` when it is the hash of the record two
    /// back, `reordered` when it is the hash of a later record, `unchained` otherwise); its fields must give its
    /// stored hash, with a sim time stored as a number (else `modified`).
    public func verify() throws -> AuditVerification {
        try reading { db in
            var walk = ChainWalk()
            let rows = try AuditRow.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY sequence")
            while let row = try rows.next() {
                if let tamper = try walk.check(row, db) { return .tampered(tamper) }
            }
            return .intact(records: walk.count, head: walk.previousHash)
        }
    }
}

/// The state of a walk down the chain: the last two hashes seen and the next sequence expected.
private struct ChainWalk {
    var count = 0
    var previousHash = AuditChain.genesisHash
    var hashBeforePrevious: String?

    var expectedSequence: Int64 { Int64(count) + 1 }

    mutating func check(_ row: AuditRow, _ db: Database) throws -> AuditTamper? {
        let sequence = row.sequence
        if sequence > expectedSequence {
            let context = count == 0 ? "the log starts at #\(sequence)" : "#\(count) is followed by #\(sequence)"
            return AuditTamper(sequence: expectedSequence, kind: .missing, detail: "record is missing (\(context))")
        }
        if sequence < expectedSequence {
            return AuditTamper(sequence: sequence, kind: .duplicate, detail: "record appears more than once")
        }
        if row.previousHash != previousHash {
            return try brokenLink(row, db)
        }
        if !row.isSimTimeANumber {
            return AuditTamper(sequence: sequence, kind: .modified, detail: "record was modified: its sim_time is not a number")
        }
        if row.computedHash != row.hash {
            return AuditTamper(sequence: sequence, kind: .modified,
                               detail: "record was modified: its stored hash does not match its contents")
        }
        hashBeforePrevious = previousHash
        previousHash = row.hash
        count += 1
        return nil
    }

    /// Names why `row` does not chain to the record before it.
    private func brokenLink(_ row: AuditRow, _ db: Database) throws -> AuditTamper {
        let sequence = row.sequence
        if row.previousHash == hashBeforePrevious {
            return AuditTamper(sequence: sequence - 1, kind: .inserted,
                               detail: "record was inserted or replaced: #\(sequence) chains past it to #\(sequence - 2)")
        }
        let later = try Int64.fetchOne(db, sql: "SELECT sequence FROM audit WHERE hash = ? AND sequence > ? ORDER BY sequence LIMIT 1",
                                       arguments: [row.previousHash, sequence])
        if let later {
            return AuditTamper(sequence: sequence, kind: .reordered,
                               detail: "records were reordered: this one chains to #\(later), which is stored after it")
        }
        let before = sequence == 1 ? "the start of the log" : "#\(sequence - 1)"
        return AuditTamper(sequence: sequence, kind: .unchained,
                           detail: "record does not chain to \(before): a record was inserted, replaced or removed here")
    }
}
