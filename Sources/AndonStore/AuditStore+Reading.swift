import AndonCore
import Foundation
import GRDB

extension AuditStore {
    /// Every committed record, in sequence order. O(n): reads the whole table.
    public func allRecords() throws -> [AuditRecord] {
        try fetch("SELECT * FROM audit ORDER BY sequence")
    }

    /// Records from `sequence` on (inclusive), in sequence order.
    public func records(fromSequence sequence: Int64) throws -> [AuditRecord] {
        try fetch("SELECT * FROM audit WHERE sequence >= ? ORDER BY sequence", [sequence])
    }

    /// Records after `sequence` (exclusive), at most `limit` of them, in sequence order: what `tail --follow` polls.
    public func records(after sequence: Int64, limit: Int = Int.max) throws -> [AuditRecord] {
        try fetch("SELECT * FROM audit WHERE sequence > ? ORDER BY sequence LIMIT ?", [sequence, Int64(clamping: limit)])
    }

    /// Records committed at or after `date` by wall time, in sequence order. O(n): scans the table.
    public func records(since date: Date) throws -> [AuditRecord] {
        try fetch("SELECT * FROM audit WHERE wall_time >= ? ORDER BY sequence", [WallTime.string(from: date)])
    }

    /// The last `count` records, in sequence order.
    public func lastRecords(_ count: Int) throws -> [AuditRecord] {
        try fetch("SELECT * FROM (SELECT * FROM audit ORDER BY sequence DESC LIMIT ?) ORDER BY sequence", [max(0, count)])
    }

    /// How many records the log holds now (read from the file, so readers see other processes' commits).
    public func count() throws -> Int {
        try reading { try AuditRow.fetchCount($0) }
    }

    /// Runs `body` in one read transaction, mapping failures to ``AuditStoreError``.
    func reading<T>(_ body: (Database) throws -> T) throws -> T {
        guard !withState({ $0.isClosed }) else { throw AuditStoreError.closed(location) }
        do {
            return try database.read(body)
        } catch {
            throw AuditStoreError.wrapping(error, path: location)
        }
    }

    private func fetch(_ sql: String, _ arguments: StatementArguments = []) throws -> [AuditRecord] {
        try reading { db in
            try AuditRow.fetchAll(db, sql: sql, arguments: arguments).map { try $0.record(path: location) }
        }
    }
}
