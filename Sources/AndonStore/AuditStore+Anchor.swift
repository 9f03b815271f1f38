import AndonCore
import Foundation
import GRDB

extension AuditStore {
    /// What opening found: how far the log runs past its last checkpoint, whether to anchor it now, and what to say.
    struct OpeningCheck {
        var sinceCheckpoint: Int
        var note: String?
        var needsAnchor: Bool
    }

    /// Checks the log against its signed head before anything is written: the latest checkpoint record's signature,
    /// the record it anchors, the head file beside the store, and the chain from the anchor to the end. A log that was
    /// cut short, rewritten, signed by another key, or extended after a clean close is refused.
    func verifyAtOpen(key: PublicSigningKey) throws -> OpeningCheck {
        let headFile = try AuditHeadFile.read(storePath: location)
        return try database.read { db in
            let head = try Self.readHead(db)
            let latest = try AuditRow.fetchOne(db, sql: "SELECT * FROM audit WHERE kind = 'checkpoint' ORDER BY sequence DESC LIMIT 1")
            guard let latest else {
                if let headFile {
                    throw untrusted("its head file anchors record #\(headFile.record), but the log holds no checkpoint: it was replaced or rewritten")
                }
                guard head.sequence > 0 else { return OpeningCheck(sinceCheckpoint: 0, note: nil, needsAnchor: false) }
                // A log written before checkpoints existed: walk all of it once, then anchor it.
                try walkChain(db, from: nil)
                return OpeningCheck(sinceCheckpoint: Int(head.sequence),
                                    note: "the log had no signed checkpoint: its \(head.sequence) records were checked and are anchored from now on",
                                    needsAnchor: true)
            }
            let checkpoint = try decodeCheckpoint(latest)
            try checkSigned(checkpoint, record: latest.sequence, key: key)
            guard let headFile else {
                throw untrusted("the log has signed checkpoints but its head file \(AuditHeadFile.path(forStore: location)) is missing, so records cut off its "
                                + "end could not be noticed; if the store was copied or moved, bring its .head file with it")
            }
            guard key.verifies(headFile.checkpoint.signature, of: headFile.checkpoint.signedText) else {
                throw untrusted("its head file does not carry a valid signature from this runtime's key")
            }
            if headFile.record > latest.sequence {
                throw untrusted("its head file anchors record #\(headFile.record), but the log's last checkpoint is #\(latest.sequence): "
                                + "records were cut off the end of the log")
            }
            let held = try AuditRow.fetchOne(db, sql: "SELECT * FROM audit WHERE sequence = ?", arguments: [headFile.record])
            guard let held, held.kind == AuditKind.checkpoint.rawValue, (try? decodeCheckpoint(held)) == headFile.checkpoint else {
                throw untrusted("record #\(headFile.record) is not the checkpoint its head file holds: the log was rewritten")
            }
            // A log of modest length is walked whole (a record edited before the last checkpoint shows too); a long one
            // from the last checkpoint here, and whole on a thread of its own once the run has started.
            try checkAnchored(db, checkpoint)
            try walkChain(db, from: head.sequence <= Self.wholeWalkLimit ? nil : checkpoint)
            let after = Int(head.sequence - latest.sequence)
            if checkpoint.isClosing, after > 0 {
                throw untrusted("\(after) record\(after == 1 ? "" : "s") follow the checkpoint of a clean close (#\(latest.sequence)): "
                                + "something other than this runtime added them")
            }
            let note = after > 0
                ? "\(after) record\(after == 1 ? "" : "s") after the last checkpoint (#\(latest.sequence)) came from a run that did not close cleanly; "
                    + "their chain is intact and they are anchored now"
                : nil
            return OpeningCheck(sinceCheckpoint: after, note: note, needsAnchor: after > 0)
        }
    }

    private func untrusted(_ detail: String) -> AuditStoreError { .untrusted(location, detail: detail) }

    /// Logs up to this many records are walked whole when opened.
    static let wholeWalkLimit: Int64 = 200_000

    /// Walks a long log whole on a thread of its own (with its own read connection): if it finds a record edited
    /// before the last checkpoint, the store stops taking records and says where, as the runtime's header shows.
    func verifyWholeInBackground() {
        guard isFile, withState({ $0.headSequence }) > Self.wholeWalkLimit else { return }
        let path = location
        let thread = Thread { [weak self] in
            guard let reader = try? AuditStore(path: path, access: .read), let result = try? reader.verify() else { return }
            reader.close()
            guard case let .tampered(tamper) = result, let self else { return }
            withState { $0.tamperFound = "record #\(tamper.sequence): \(tamper.detail)" }
        }
        thread.name = "andon.audit-verify"
        thread.qualityOfService = .background
        thread.start()
    }

    package func decodeCheckpoint(_ row: AuditRow) throws -> AuditCheckpoint {
        do {
            return try JSONDecoder().decode(AuditCheckpoint.self, from: Data(row.payload.utf8))
        } catch {
            throw untrusted("checkpoint record #\(row.sequence) cannot be read")
        }
    }

    private func checkSigned(_ checkpoint: AuditCheckpoint, record: Int64, key: PublicSigningKey) throws {
        guard checkpoint.key == key.fingerprint else {
            throw untrusted("checkpoint #\(record) was signed with key \(checkpoint.key.prefix(16))…, not this runtime's key \(key.fingerprint.prefix(16))…")
        }
        guard key.verifies(checkpoint.signature, of: checkpoint.signedText) else {
            throw untrusted("checkpoint #\(record) does not carry a valid signature: it was forged or altered")
        }
    }

    /// Throws unless the record `checkpoint` anchors still has the hash it signed.
    private func checkAnchored(_ db: Database, _ checkpoint: AuditCheckpoint) throws {
        guard checkpoint.sequence > 0 else { return }
        let anchored = try String.fetchOne(db, sql: "SELECT hash FROM audit WHERE sequence = ?", arguments: [checkpoint.sequence])
        guard anchored == checkpoint.hash else {
            throw untrusted("record #\(checkpoint.sequence) is not the record its checkpoint signed: the log was rewritten")
        }
    }

    /// Walks the chain from the record `checkpoint` anchors (from the start without one) to the end: every sequence in
    /// turn, every record chained to the one before, every hash matching its record. O(records walked).
    private func walkChain(_ db: Database, from checkpoint: AuditCheckpoint?) throws {
        var expected = (checkpoint?.sequence ?? 0) + 1
        var previous = checkpoint?.hash ?? AuditChain.genesisHash
        let rows = try AuditRow.fetchCursor(db, sql: "SELECT * FROM audit WHERE sequence >= ? ORDER BY sequence", arguments: [expected])
        while let row = try rows.next() {
            guard row.sequence == expected else { throw untrusted("record #\(expected) is missing") }
            guard row.previousHash == previous else { throw untrusted("record #\(row.sequence) does not chain to the record before it") }
            guard row.computedHash == row.hash else { throw untrusted("record #\(row.sequence) was modified: its hash does not match its contents") }
            previous = row.hash
            expected += 1
        }
    }

    /// Appends a checkpoint record anchoring the head as it is.
    func anchor(sync: Bool) throws {
        _ = try writing { db in try commit([], sync: sync, checkpoint: .periodic, db) }
    }

    /// Anchors the head in a signed checkpoint and keeps `recoveryState` beside it (replacing the last one), synced;
    /// `closing` marks the last checkpoint of a clean close. Then folds the WAL into the database file. Without a
    /// signing key (a store in memory) only the WAL is folded.
    public func checkpoint(recoveryState: String, closing: Bool) throws {
        guard access == .append else { throw AuditStoreError.appendRefused(location, detail: "the store was opened for reading") }
        guard signingKey != nil else { return }
        _ = try writing { db in
            try commit([], sync: true, checkpoint: closing ? .closing(recoveryState) : .state(recoveryState), db)
        }
        if isFile { _ = try? database.writeWithoutTransaction { try $0.checkpoint(.truncate) } }
    }

    /// The latest recovery state (checked against the checkpoint that signed its SHA-256) and every record after it.
    /// Throws ``AuditStoreError`` (`unreadable`), naming the record, when any of them cannot be read.
    public func recoveryPoint() throws -> AuditRecoveryPoint {
        try reading { db in
            var stateSequence: Int64 = 0
            var state: String?
            if try db.tableExists("recovery_state"),
               let row = try Row.fetchOne(db, sql: "SELECT sequence, state, sha256 FROM recovery_state ORDER BY sequence DESC LIMIT 1") {
                let sequence: Int64 = row[0], text: String = row[1], sha256: String = row[2]
                let signing = try AuditRow.fetchOne(db, sql: "SELECT * FROM audit WHERE sequence = ?", arguments: [sequence + 1])
                let checkpoint = try signing.map(decodeCheckpoint)
                guard AuditChain.sha256(text) == sha256, signing?.kind == AuditKind.checkpoint.rawValue, checkpoint?.stateSHA256 == sha256 else {
                    throw AuditStoreError.unreadable(location, detail: "the recovery state saved at #\(sequence) does not match the checkpoint after it")
                }
                if let key = signingKey?.publicKey, let checkpoint, !key.verifies(checkpoint.signature, of: checkpoint.signedText) {
                    throw untrusted("the checkpoint #\(sequence + 1) that signs the saved recovery state does not carry a valid signature")
                }
                stateSequence = sequence
                state = text
            }
            let rows = try AuditRow.fetchAll(db, sql: "SELECT * FROM audit WHERE sequence > ? ORDER BY sequence", arguments: [stateSequence])
            let records = try rows.map { try $0.record(path: location) }
            let lastWallTime = try String.fetchOne(db, sql: "SELECT wall_time FROM audit ORDER BY sequence DESC LIMIT 1")
            return AuditRecoveryPoint(state: state, stateSequence: stateSequence, records: records, lastWallTime: lastWallTime,
                                      head: try Self.readHead(db))
        }
    }
}
