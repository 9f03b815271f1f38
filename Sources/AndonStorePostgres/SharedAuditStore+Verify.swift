import AndonCore
import AndonStore
import Foundation
import PostgresNIO

extension SharedAuditStore {
    /// What opening found about the stream.
    struct OpeningCheck {
        var sinceCheckpoint: Int
        var note: String?
        var needsAnchor: Bool
    }

    /// Checks the stream before anything is written: the latest checkpoint's signature (with this runtime's key) and the
    /// record it anchors, the chain from there (from the start for streams of up to 200,000 records), no record after
    /// a clean close, and that the shared anchors name exactly this head (a tail cut off, or records written past the
    /// store, show here).
    func verifyAtOpen(_ connection: StoreConnection) throws -> OpeningCheck {
        let head = try Self.readHead(connection, runtimeID: runtimeID)
        try checkAgainstAnchors(connection, head: head)
        let latest = try connection.query("""
            SELECT \(unescaped: SharedRows.columns) FROM andon_audit WHERE runtime_id = \(runtimeID) AND kind = 'checkpoint' ORDER BY sequence DESC LIMIT 1
            """).first.map(SharedRows.auditRow)
        guard let latest else {
            guard head.sequence > 0 else { return OpeningCheck(sinceCheckpoint: 0, note: nil, needsAnchor: false) }
            try walkChain(connection, from: nil)
            return OpeningCheck(sinceCheckpoint: Int(head.sequence),
                                note: "stream \(runtimeID) had no signed checkpoint: its \(head.sequence) records were checked and are anchored from now on",
                                needsAnchor: true)
        }
        let checkpoint = try decodeCheckpoint(latest)
        if let key = signingKey?.publicKey {
            guard checkpoint.key == key.fingerprint else {
                throw untrusted("checkpoint #\(latest.sequence) was signed with key \(checkpoint.key.prefix(16))…, not this runtime's key \(key.fingerprint.prefix(16))…")
            }
            guard key.verifies(checkpoint.signature, of: checkpoint.signedText) else {
                throw untrusted("checkpoint #\(latest.sequence) does not carry a valid signature: it was forged or altered")
            }
        }
        if checkpoint.sequence > 0 {
            let anchored = try connection.query("""
                SELECT hash FROM andon_audit WHERE runtime_id = \(runtimeID) AND sequence = \(checkpoint.sequence)
                """).first?.decode(String.self)
            guard anchored == checkpoint.hash else { throw untrusted("record #\(checkpoint.sequence) is not the record its checkpoint signed: the stream was rewritten") }
        }
        try walkChain(connection, from: head.sequence <= 200_000 ? nil : checkpoint)
        let after = Int(head.sequence - latest.sequence)
        if checkpoint.isClosing, after > 0 {
            throw untrusted("\(after) record\(after == 1 ? "" : "s") follow the checkpoint of a clean close (#\(latest.sequence)): something other than this runtime added them")
        }
        let note = after > 0
            ? "\(after) record\(after == 1 ? "" : "s") after the last checkpoint (#\(latest.sequence)) came from a run that did not close cleanly; "
                + "their chain is intact and they are anchored now"
            : nil
        return OpeningCheck(sinceCheckpoint: after, note: note, needsAnchor: after > 0)
    }

    /// Throws unless the latest shared anchor names exactly `head` for this stream.
    private func checkAgainstAnchors(_ connection: StoreConnection, head: (sequence: Int64, hash: String)) throws {
        let latest = try connection.query("SELECT id, heads FROM andon_anchor ORDER BY id DESC LIMIT 1").first?.decode((Int64, String).self)
        let named = latest.flatMap { SharedAnchors.heads($0.1)[runtimeID] }
        switch (latest, named) {
        case (nil, _), (_, nil):
            guard head.sequence == 0 else {
                throw untrusted("the shared anchors do not name stream \(runtimeID), which holds \(head.sequence) records: the anchors were cut short, "
                                + "or the records were written past the store")
            }
        case let (anchor?, named?):
            if named.sequence > head.sequence {
                throw untrusted("anchor #\(anchor.0) names record #\(named.sequence), but the stream ends at #\(head.sequence): records were cut off its end")
            }
            if named.sequence < head.sequence {
                throw untrusted("the stream runs to #\(head.sequence), past the #\(named.sequence) its latest anchor (#\(anchor.0)) names: "
                                + "records were written past the store, or the anchors were cut short")
            }
            if named.hash != head.hash { throw untrusted("record #\(head.sequence) is not the one anchor #\(anchor.0) names: the stream was rewritten") }
        }
    }

    /// Walks the chain from `checkpoint` (from the start without one) to the end.
    private func walkChain(_ connection: StoreConnection, from checkpoint: AuditCheckpoint?) throws {
        var expected = (checkpoint?.sequence ?? 0) + 1
        var previous = checkpoint?.hash ?? AuditChain.genesisHash
        try Self.forEachRow(connection, runtimeID: runtimeID, after: expected - 1, limit: Int.max) { row in
            guard row.sequence == expected else { throw untrusted("record #\(expected) is missing") }
            guard row.previousHash == previous else { throw untrusted("record #\(row.sequence) does not chain to the record before it") }
            guard row.computedHash == row.hash else { throw untrusted("record #\(row.sequence) was modified: its hash does not match its contents") }
            previous = row.hash
            expected += 1
        }
    }

    func decodeCheckpoint(_ row: AuditRow) throws -> AuditCheckpoint {
        guard let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(row.payload.utf8)) else {
            throw untrusted("checkpoint record #\(row.sequence) cannot be read")
        }
        return checkpoint
    }

    func untrusted(_ detail: String) -> AuditStoreError { .untrusted(location, detail: detail) }

    /// Walks the stream's chain and names the first bad record, or gives the count and head.
    public func verify() throws -> AuditVerification {
        try withConnection(writing: false) { connection, _ in
            var walk = ChainWalk()
            var tamper: AuditTamper?
            try Self.forEachRow(connection, runtimeID: runtimeID, after: 0, limit: Int.max) { row in
                guard tamper == nil else { return }
                tamper = try walk.check(row) { hash, after in
                    try connection.query("""
                        SELECT sequence FROM andon_audit WHERE runtime_id = \(runtimeID) AND hash = \(hash) AND sequence > \(after) ORDER BY sequence LIMIT 1
                        """).first?.decode(Int64.self)
                }
            }
            if let tamper { return .tampered(tamper) }
            return .intact(records: walk.count, head: walk.previousHash)
        }
    }

    /// Checks the stream's signed checkpoints (with `publicKey` when given), and what the shared anchors say of it:
    /// every head they name must be in the stream with that hash, and the latest must name its head.
    public func verifyAnchors(publicKey: PublicSigningKey?) throws -> AnchorReport {
        try withConnection(writing: false) { connection, _ in
            var report = AnchorReport()
            let head = try Self.readHead(connection, runtimeID: runtimeID)
            var count = 0, keys = Set<String>(), bad: [String] = []
            var last: (sequence: Int64, checkpoint: AuditCheckpoint?)?
            let rows = try connection.query("""
                SELECT \(unescaped: SharedRows.columns) FROM andon_audit WHERE runtime_id = \(runtimeID) AND kind = 'checkpoint' ORDER BY sequence
                """).map(SharedRows.auditRow)
            for row in rows {
                count += 1
                guard let checkpoint = try? decodeCheckpoint(row) else {
                    bad.append("#\(row.sequence) cannot be read")
                    last = (row.sequence, nil)
                    continue
                }
                last = (row.sequence, checkpoint)
                keys.insert(checkpoint.key)
                let anchored = checkpoint.sequence == 0 ? AuditChain.genesisHash : try connection.query("""
                    SELECT hash FROM andon_audit WHERE runtime_id = \(runtimeID) AND sequence = \(checkpoint.sequence)
                    """).first?.decode(String.self)
                if anchored != checkpoint.hash { bad.append("#\(row.sequence) anchors #\(checkpoint.sequence) with a hash the stream no longer has") }
                if let publicKey {
                    if checkpoint.key != publicKey.fingerprint {
                        bad.append("#\(row.sequence) was signed by key \(checkpoint.key.prefix(16))…, not the one given")
                    } else if !publicKey.verifies(checkpoint.signature, of: checkpoint.signedText) {
                        bad.append("#\(row.sequence) does not carry a valid signature")
                    }
                }
            }
            if let last {
                let signer = keys.count == 1 ? "key \(keys.first!.prefix(16))…" : "\(keys.count) keys"
                if bad.isEmpty {
                    report.lines.append("checkpoints: \(count), signed by \(signer)"
                                        + (publicKey == nil ? " (signatures not checked: no public key given or found)" : ", every signature valid"))
                } else {
                    report.isBroken = true
                    report.lines += bad.map { "checkpoint \($0)" }
                }
                let after = head.sequence - last.sequence
                if after > 0, last.checkpoint?.isClosing == true {
                    report.isBroken = true
                    report.lines.append("tail: \(after) record(s) follow the checkpoint of a clean close (#\(last.sequence)): something other than the runtime added them")
                } else if after > 0 {
                    report.lines.append("tail: \(after) record(s) after the last checkpoint (#\(last.sequence)): written by a run that did not close cleanly, not anchored yet")
                }
            } else {
                report.lines.append("checkpoints: none (a stream without a signing key): only the shared anchors say it is whole")
            }
            let finding = try SharedAnchors.check(stream: runtimeID, head: head, connection)
            report.lines.append(finding.line)
            if finding.isBroken { report.isBroken = true }
            return report
        }
    }
}
