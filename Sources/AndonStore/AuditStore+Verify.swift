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

/// What the checkpoints and the head file of a log say, beyond its chain.
public struct AnchorReport: Sendable {
    /// Lines for a person, in order.
    public var lines: [String] = []
    /// True when something shows the log was cut short, rewritten or forged.
    public var isBroken = false
}

extension AuditStore {
    /// Checks every checkpoint's signature with `publicKey` (when given), the records they anchor, and the head file
    /// beside the store, and says what each finding means. O(n) in checkpoints.
    public func verifyAnchors(publicKey: PublicSigningKey?) throws -> AnchorReport {
        var report = AnchorReport()
        let headFile = try? AuditHeadFile.read(storePath: location)
        try reading { db in
            let head = try Self.readHead(db)
            let rows = try AuditRow.fetchAll(db, sql: "SELECT * FROM audit WHERE kind = 'checkpoint' ORDER BY sequence")
            guard !rows.isEmpty else {
                report.lines.append("checkpoints: none (a log written before signed checkpoints, or never anchored): records cut off its end could not be noticed")
                if headFile != nil {
                    report.isBroken = true
                    report.lines.append("head file: it anchors a checkpoint the log does not hold: the log was replaced or rewritten")
                }
                return
            }
            var keys = Set<String>()
            var bad: [String] = []
            for row in rows {
                guard let checkpoint = try? decodeCheckpoint(row) else {
                    bad.append("#\(row.sequence) cannot be read")
                    continue
                }
                keys.insert(checkpoint.key)
                let anchored = checkpoint.sequence == 0 ? AuditChain.genesisHash
                    : try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE sequence = ?", arguments: [checkpoint.sequence])
                if anchored != checkpoint.hash { bad.append("#\(row.sequence) anchors #\(checkpoint.sequence) with a hash the log no longer has") }
                if let publicKey {
                    if checkpoint.key != publicKey.fingerprint {
                        bad.append("#\(row.sequence) was signed by key \(checkpoint.key.prefix(16))…, not the one given")
                    } else if !publicKey.verifies(checkpoint.signature, of: checkpoint.signedText) {
                        bad.append("#\(row.sequence) does not carry a valid signature")
                    }
                }
            }
            let last = rows[rows.count - 1]
            let signer = keys.count == 1 ? "key \(keys.first!.prefix(16))…" : "\(keys.count) keys"
            if bad.isEmpty {
                report.lines.append("checkpoints: \(rows.count), signed by \(signer)" + (publicKey == nil ? " (signatures not checked: no public key given or found)" : ", every signature valid"))
            } else {
                report.isBroken = true
                report.lines += bad.map { "checkpoint \($0)" }
            }
            let lastCheckpoint = try? decodeCheckpoint(last)
            let after = head.sequence - last.sequence
            if after > 0 {
                if lastCheckpoint?.isClosing == true {
                    report.isBroken = true
                    report.lines.append("tail: \(after) record(s) follow the checkpoint of a clean close (#\(last.sequence)): something other than the runtime added them")
                } else {
                    report.lines.append("tail: \(after) record(s) after the last checkpoint (#\(last.sequence)): written by a run that did not close cleanly, not anchored yet")
                }
            }
            guard let headFile else {
                report.isBroken = true
                report.lines.append("head file: missing (\(AuditHeadFile.path(forStore: location))): records cut off the end of the log could not be noticed; "
                                    + "a copy of the store needs its .head file")
                return
            }
            if let publicKey, !publicKey.verifies(headFile.checkpoint.signature, of: headFile.checkpoint.signedText) {
                report.isBroken = true
                report.lines.append("head file: its signature is not valid")
            } else if headFile.record > head.sequence || headFile.record > last.sequence {
                report.isBroken = true
                report.lines.append("head file: anchors #\(headFile.record), but the log ends at #\(head.sequence): records were cut off its end")
            } else if headFile.record < last.sequence {
                report.lines.append("head file: anchors #\(headFile.record), older than the log's last checkpoint #\(last.sequence): the run stopped before "
                                    + "writing it (a crash), or this is an old copy")
            } else {
                report.lines.append("head file: anchors #\(headFile.record) at \(headFile.checkpoint.wallTime)\(headFile.checkpoint.isClosing ? ", closed cleanly" : ""): matches the log")
            }
        }
        return report
    }
}
