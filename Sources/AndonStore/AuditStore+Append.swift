import AndonCore
import GRDB

extension AuditStore {
    /// Appends `entries` in one transaction after the current head, stamping one wall time on the batch and
    /// chaining each record to the one before. With `sync` the commit is fsynced (`synchronous = FULL`) before this
    /// returns; without it the commit survives a crash of Andon but may be lost with the machine's power.
    /// Throws ``AuditStoreError`` and turns ``health`` unhealthy rather than drop a record.
    @discardableResult
    public func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord] {
        guard access == .append else {
            throw AuditStoreError.appendRefused(location, detail: "the store was opened for reading")
        }
        guard !entries.isEmpty else { return [] }
        do {
            return try database.writeWithoutTransaction { db in try commit(entries, sync: sync, db) }
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
    private func commit(_ entries: [AuditEntry], sync: Bool, _ db: Database) throws -> [AuditRecord] {
        let cached = withState { $0 }
        guard !cached.isClosed else { throw AuditStoreError.closed(location) }
        // After a failure the commit may or may not have landed: trust the table, not the cache.
        let head = cached.needsHeadReload ? try Self.readHead(db) : (cached.headSequence, cached.headHash)
        if location != ":memory:", cached.isSynchronousFull != sync {
            try db.execute(sql: sync ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL")
            withState { $0.isSynchronousFull = sync }
        }
        let wallTime = WallTime.string(from: now())
        var previousHash = head.1
        var records: [AuditRecord] = []
        records.reserveCapacity(entries.count)
        for (offset, entry) in entries.enumerated() {
            var record = AuditRecord(sequence: head.0 + Int64(offset) + 1, wallTime: wallTime, simTime: entry.simTime,
                                     actor: entry.actor, kind: entry.kind, payload: entry.payload,
                                     policyHash: entry.policyHash, correlationID: entry.correlationID,
                                     previousHash: previousHash, hash: "")
            record.hash = AuditChain.hash(of: record)
            previousHash = record.hash
            records.append(record)
        }
        try db.inTransaction(.immediate) {
            // One prepared statement for the batch: the generic record path cost more than the insert.
            let insert = try db.cachedStatement(sql: """
                INSERT INTO audit (sequence, wall_time, sim_time, actor_type, actor_name, actor_role, kind, payload,
                                   policy_hash, correlation_id, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for record in records {
                let row = AuditRow(record)
                let values: [(any DatabaseValueConvertible)?] = [row.sequence, row.wallTime, row.simTime, row.actorType, row.actorName,
                                                                 row.actorRole, row.kind, row.payload, row.policyHash, row.correlationID,
                                                                 row.previousHash, row.hash]
                try insert.execute(arguments: StatementArguments(values))
            }
            return .commit
        }
        withState {
            $0.headSequence = records[records.count - 1].sequence
            $0.headHash = previousHash
            $0.problem = nil
            $0.needsHeadReload = false
        }
        return records
    }
}
