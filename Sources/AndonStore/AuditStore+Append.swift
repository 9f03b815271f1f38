import AndonCore
import GRDB

extension AuditStore {
    /// Appends `entries` in one transaction after the current head, stamping one wall time on the batch and
    /// chaining each record to the one before. With `sync` the commit is fsynced (`synchronous = FULL`) before this
    /// returns; without it the commit survives a crash of Andon but may be lost with the machine's power. With a
    /// signing key, a signed checkpoint record closes the batch at every synced commit and every ``checkpointEvery``
    /// records. Throws ``AuditStoreError`` and turns ``health`` unhealthy rather than drop a record.
    @discardableResult
    public func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord] {
        guard access == .append else {
            throw AuditStoreError.appendRefused(location, detail: "the store was opened for reading")
        }
        guard !entries.isEmpty else { return [] }
        return try writing { db in
            let checkpointDue = signingKey != nil && (sync || withState { $0.sinceCheckpoint } + entries.count >= checkpointEvery)
            return try commit(entries, sync: sync, checkpoint: checkpointDue ? .periodic : nil, db)
        }
    }

    /// What a commit's closing checkpoint is.
    enum CheckpointKind {
        /// One of the regular anchors.
        case periodic
        /// An anchor with the runtime's recovery state (and its SHA-256) stored beside it.
        case state(String)
        /// The last anchor of a clean close, with the state.
        case closing(String)
    }

    /// Runs a write with the store's failure handling: a failure marks the store unhealthy and the cached head
    /// untrusted, and comes back as ``AuditStoreError``.
    func writing<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            try checkStillInPlace()
            let result = try database.writeWithoutTransaction(body)
            foldWALIfDue()
            return result
        } catch {
            let failure = AuditStoreError.wrapping(error, path: location)
            withState {
                $0.problem = failure.message
                $0.needsHeadReload = true
            }
            throw failure
        }
    }

    /// Runs inside the writer's serialized access, so the cached head can't move under it.
    func commit(_ entries: [AuditEntry], sync: Bool, checkpoint: CheckpointKind?, _ db: Database) throws -> [AuditRecord] {
        let cached = withState { $0 }
        guard !cached.isClosed else { throw AuditStoreError.closed(location) }
        // After a failure the commit may or may not have landed: trust the table, not the cache.
        let head = cached.needsHeadReload ? try Self.readHead(db) : (cached.headSequence, cached.headHash)
        if isFile, cached.isSynchronousFull != sync {
            try db.execute(sql: sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            withState { $0.isSynchronousFull = sync }
        }
        let date = now()
        let wallTime = WallTime.string(from: date)
        var previousHash = head.1
        var records: [AuditRecord] = []
        records.reserveCapacity(entries.count + 1)
        for (offset, entry) in entries.enumerated() {
            var record = AuditRecord(sequence: head.0 + Int64(offset) + 1, wallTime: wallTime, simTime: entry.simTime,
                                     actor: entry.actor, kind: entry.kind, payload: entry.payload,
                                     policyHash: entry.policyHash, correlationID: entry.correlationID,
                                     previousHash: previousHash, hash: "")
            record.hash = AuditChain.hash(of: record)
            previousHash = record.hash
            records.append(record)
        }
        var anchored: (AuditHeadFile, state: (sequence: Int64, text: String, sha256: String)?)?
        if let checkpoint, let signingKey {
            let last = records.last.map { ($0.sequence, $0.hash, $0.simTime) } ?? (head.0, head.1, 0)
            var stateRow: (sequence: Int64, text: String, sha256: String)?
            var isClosing = false
            switch checkpoint {
            case .periodic: break
            case let .state(text): stateRow = (last.0, text, AuditChain.sha256(text))
            case let .closing(text):
                stateRow = (last.0, text, AuditChain.sha256(text))
                isClosing = true
            }
            var payload = AuditCheckpoint(sequence: last.0, hash: last.1, wallTime: wallTime, stateSHA256: stateRow?.sha256,
                                          isClosing: isClosing, key: signingKey.publicKey.fingerprint, signature: "")
            payload.signature = signingKey.sign(payload.signedText)
            var record = AuditRecord(sequence: last.0 + 1, wallTime: wallTime, simTime: last.2, actor: .system, kind: .checkpoint,
                                     payload: CanonicalJSON.string(payload), policyHash: "", correlationID: "checkpoint-\(last.0 + 1)",
                                     previousHash: previousHash, hash: "")
            record.hash = AuditChain.hash(of: record)
            previousHash = record.hash
            records.append(record)
            anchored = (AuditHeadFile(record: record.sequence, checkpoint: payload), stateRow)
        }
        // One transaction, begun and committed through statements prepared once: parsing `BEGIN` and `COMMIT` again for
        // every commit, and building and checking the insert's arguments for every row, cost about as much as the
        // insert itself. A failure anywhere rolls back what the transaction wrote, and is thrown.
        try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
        do {
            let insert = try db.cachedStatement(sql: AuditRow.insertSQL)
            for record in records { try AuditRow(record).insert(with: insert, db) }
            if let state = anchored?.state {
                try db.execute(sql: "DELETE FROM recovery_state")
                try db.execute(sql: "INSERT INTO recovery_state (sequence, state, sha256) VALUES (?, ?, ?)",
                               arguments: [state.sequence, state.text, state.sha256])
            }
            try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
        } catch {
            if db.isInsideTransaction { try? db.rollback() }
            throw error
        }
        var headProblem: String?
        if let (headFile, _) = anchored {
            // The log holds the checkpoint now (synced with the commit when it was); the head file follows it, replaced
            // atomically but not fsynced: a power cut can leave it one checkpoint behind, which the log's own signed
            // checkpoints cover. The records are committed whatever happens to the head file: a failure here is
            // reported, never retried as a commit.
            do {
                try headWriter?.write(headFile, sync: headFile.checkpoint.isClosing)
            } catch {
                headProblem = "the head file could not be written (\(error)); the log is anchored by its checkpoint records only"
            }
        }
        withState {
            $0.headFileProblem = anchored == nil ? $0.headFileProblem : headProblem
            $0.headSequence = records[records.count - 1].sequence
            $0.headHash = previousHash
            $0.problem = nil
            $0.needsHeadReload = false
            $0.sinceCheckpoint = anchored == nil ? $0.sinceCheckpoint + records.count : 0
            $0.sinceWALCheckpoint += 1
        }
        return records
    }

    /// Folds the WAL into the database file every few hundred commits, so a copy of the `.sqlite` alone is never far
    /// behind and one damaged WAL frame can cost little.
    private func foldWALIfDue() {
        guard isFile, withState({ $0.sinceWALCheckpoint >= 500 }) else { return }
        withState { $0.sinceWALCheckpoint = 0 }
        _ = try? database.writeWithoutTransaction { try $0.checkpoint(.truncate) }
    }
}
