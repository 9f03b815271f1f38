import AndonCore
import AndonStore
import Foundation
import PostgresNIO

extension SharedAuditStore {
    /// Appends `entries` to this runtime's stream in one transaction after its head, one wall time for the batch, each
    /// record chained to the one before, and anchors the heads of all streams in the same transaction. With `sync` the
    /// commit waits for the server's WAL flush (`synchronous_commit = on`); without, it does not (`off`): a crash of
    /// the server may lose it, never reorder it. With a signing key, a signed checkpoint closes every synced commit and
    /// one every ``checkpointEvery`` records. Throws ``AuditStoreError`` rather than drop a record.
    @discardableResult
    public func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord] {
        guard !entries.isEmpty else {
            if access != .append { throw AuditStoreError.appendRefused(location, detail: "the store was opened for reading") }
            return []
        }
        return try withConnection(writing: true) { connection, state in
            let (landed, rest) = try reconcile(entries, connection, &state)
            guard !rest.isEmpty else { return landed }
            let due = signingKey != nil && (sync || state.sinceCheckpoint + rest.count >= checkpointEvery)
            return try landed + commit(rest, sync: sync, checkpoint: due ? .periodic : nil, connection, &state)
        }
    }

    /// Anchors the head in a signed checkpoint and keeps `recoveryState` with it, synced; `closing` marks a clean close.
    /// Without a signing key nothing is written.
    public func checkpoint(recoveryState: String, closing: Bool) throws {
        guard access == .append else { throw AuditStoreError.appendRefused(location, detail: "the store was opened for reading") }
        guard signingKey != nil else { return }
        _ = try withConnection(writing: true) { connection, state in
            _ = try reconcile([], connection, &state)
            return try commit([], sync: true, checkpoint: closing ? .closing(recoveryState) : .state(recoveryState), connection, &state)
        }
    }

    /// A checkpoint record anchoring the head as it is (after opening a stream a crashed run left unanchored).
    func anchor() throws {
        _ = try withConnection(writing: true) { connection, state in
            try commit([], sync: true, checkpoint: .periodic, connection, &state)
        }
    }

    /// What a commit's closing checkpoint is.
    enum CheckpointKind {
        case periodic
        case state(String)
        case closing(String)
    }

    /// After a failed append, the head is read from the table: a commit whose answer was lost with the connection may
    /// have landed. Records found after the cached head must be the first of `entries` (a checkpoint record this store
    /// added may sit between them); those are returned as landed and only the rest is committed again. Anything else
    /// in the stream that this store's lease did not write means another writer: the store stops writing.
    func reconcile(_ entries: [AuditEntry], _ connection: StoreConnection, _ state: inout State) throws -> (landed: [AuditRecord], rest: [AuditEntry]) {
        guard state.needsReconcile else { return ([], entries) }
        let ownFence = state.leases["stream:\(runtimeID)"]
        var fences: [Int64: Int64] = [:]
        for row in try connection.query("SELECT sequence, fence FROM andon_audit WHERE runtime_id = \(runtimeID) AND sequence > \(state.headSequence)") {
            let (sequence, fence) = try row.decode((Int64, Int64).self)
            fences[sequence] = fence
        }
        let rows = try connection.query("""
            SELECT \(unescaped: SharedRows.columns) FROM andon_audit WHERE runtime_id = \(runtimeID) AND sequence > \(state.headSequence) ORDER BY sequence
            """)
        var landed: [AuditRecord] = []
        var next = 0
        var sinceCheckpoint = state.sinceCheckpoint
        for row in rows {
            let record = try SharedRows.auditRow(row).record(path: location)
            if next < entries.count, Self.matches(record, entries[next]) {
                landed.append(record)
                next += 1
                sinceCheckpoint += 1
            } else if record.kind == .checkpoint, record.actor == .system {
                sinceCheckpoint = 0
            } else if ownFence != nil, fences[record.sequence] == ownFence {
                // Written under this store's own lease by a transaction whose answer was lost (a decision, a claim).
                sinceCheckpoint += 1
            } else {
                let failure = AuditStoreError.untrusted(location, detail: "record #\(record.sequence) of stream \(runtimeID) was not written by this runtime")
                state.lost = failure
                throw failure
            }
            state.headSequence = record.sequence
            state.headHash = record.hash
        }
        state.sinceCheckpoint = sinceCheckpoint
        state.needsReconcile = false
        state.problem = nil
        return (landed, Array(entries[next...]))
    }

    /// True when `record` is what `entry` asked for.
    static func matches(_ record: AuditRecord, _ entry: AuditEntry) -> Bool {
        record.kind == entry.kind && record.actor == entry.actor && record.payload == entry.payload && record.policyHash == entry.policyHash
            && record.correlationID == entry.correlationID && record.simTime.bitPattern == entry.simTime.bitPattern
    }

    /// Builds the batch's records (and its checkpoint) after the cached head and writes them with one call of
    /// `andon_append`, which inserts them, the recovery state and the anchor in one transaction.
    func commit(_ entries: [AuditEntry], sync: Bool, checkpoint: CheckpointKind?, _ connection: StoreConnection,
                _ state: inout State) throws -> [AuditRecord] {
        let wallTime = WallTime.string(from: now())
        var previousHash = state.headHash
        var records: [AuditRecord] = []
        records.reserveCapacity(entries.count + 1)
        for (offset, entry) in entries.enumerated() {
            var record = AuditRecord(sequence: state.headSequence + Int64(offset) + 1, wallTime: wallTime, simTime: entry.simTime, actor: entry.actor,
                                     kind: entry.kind, payload: entry.payload, policyHash: entry.policyHash, correlationID: entry.correlationID,
                                     previousHash: previousHash, hash: "")
            record.hash = AuditChain.hash(of: record)
            previousHash = record.hash
            records.append(record)
        }
        var saved: (sequence: Int64, text: String, sha256: String)?
        if let checkpoint, let signingKey {
            let last = records.last.map { ($0.sequence, $0.hash, $0.simTime) } ?? (state.headSequence, state.headHash, 0)
            var isClosing = false
            switch checkpoint {
            case .periodic: break
            case let .state(text): saved = (last.0, text, AuditChain.sha256(text))
            case let .closing(text):
                saved = (last.0, text, AuditChain.sha256(text))
                isClosing = true
            }
            var payload = AuditCheckpoint(sequence: last.0, hash: last.1, wallTime: wallTime, stateSHA256: saved?.sha256, isClosing: isClosing,
                                          key: signingKey.publicKey.fingerprint, signature: "")
            payload.signature = signingKey.sign(payload.signedText)
            var record = AuditRecord(sequence: last.0 + 1, wallTime: wallTime, simTime: last.2, actor: .system, kind: .checkpoint,
                                     payload: CanonicalJSON.string(payload), policyHash: "", correlationID: "checkpoint-\(last.0 + 1)",
                                     previousHash: previousHash, hash: "")
            record.hash = AuditChain.hash(of: record)
            previousHash = record.hash
            records.append(record)
        }
        guard !records.isEmpty else { return [] }
        try connection.query(Self.appendQuery(runtimeID: runtimeID, fence: state.leases["stream:\(runtimeID)"] ?? 0, sync: sync, records: records, saved: saved))
        state.headSequence = records[records.count - 1].sequence
        state.headHash = previousHash
        state.problem = nil
        state.sinceCheckpoint = checkpoint != nil && signingKey != nil ? 0 : state.sinceCheckpoint + records.count
        return records
    }

    /// `SELECT andon_append(…)` with the batch as arrays, one per column.
    static func appendQuery(runtimeID: String, fence: Int64, sync: Bool, records: [AuditRecord],
                            saved: (sequence: Int64, text: String, sha256: String)?) -> PostgresQuery {
        var binds = PostgresBindings(capacity: 18)
        binds.append(runtimeID)
        binds.append(fence)
        binds.append(sync)
        binds.append(records.map(\.sequence))
        binds.append(records.map(\.wallTime))
        binds.append(records.map(\.simTime))
        binds.append(records.map(\.actor.type))
        binds.append(records.map(\.actor.name))
        binds.append(records.map { $0.actor.role?.rawValue ?? "" })
        binds.append(records.map(\.kind.rawValue))
        binds.append(records.map(\.payload))
        binds.append(records.map(\.policyHash))
        binds.append(records.map(\.correlationID))
        binds.append(records.map(\.previousHash))
        binds.append(records.map(\.hash))
        binds.append(saved?.text)
        binds.append(saved?.sequence)
        binds.append(saved?.sha256)
        return PostgresQuery(unsafeSQL: "SELECT andon_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
                             binds: binds)
    }
}
