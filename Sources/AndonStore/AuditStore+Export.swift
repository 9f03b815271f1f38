import AndonCore
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

extension AuditStore {
    /// Streams the log as JSON lines (``AuditRecord/jsonLine``), in sequence order, from one read transaction;
    /// with `since`, only records committed at or after that wall time. Lines carry no trailing newline.
    public func exportJSONLines(since: Date? = nil, _ write: (String) throws -> Void) throws {
        try reading { db in
            let rows: RecordCursor<AuditRow>
            if let since {
                rows = try AuditRow.fetchCursor(db, sql: "SELECT * FROM audit WHERE wall_time >= ? ORDER BY sequence",
                                                arguments: [WallTime.string(from: since)])
            } else {
                rows = try AuditRow.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY sequence")
            }
            while let row = try rows.next() {
                try write(row.record(path: location).jsonLine)
            }
        }
    }

    /// The log as JSON lines, in sequence order (see ``exportJSONLines(since:_:)``).
    public func jsonLines(since: Date? = nil) throws -> [String] {
        var lines: [String] = []
        try exportJSONLines(since: since) { lines.append($0) }
        return lines
    }
}

extension AuditStore {
    /// Writes the whole store as one self-contained SQLite file at `path` (the online backup API: consistent while a
    /// writer runs, no WAL or SHM needed to read it), private to the user, with the head file beside it
    /// (`<path>.head`), so that `andon audit verify --store PATH` checks the archive as it checks the store.
    /// Refuses to overwrite an existing file.
    public func exportArchive(to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw AuditStoreError.appendRefused(path, detail: "a file is already there; the archive is never written over anything")
        }
        do {
            let descriptor = try PrivateFiles.create(path)
            Glibc.close(descriptor)
            let target = try DatabaseQueue(path: path)
            try database.backup(to: target)
            try target.writeWithoutTransaction { _ = try $0.checkpoint(.truncate) }
            try target.close()
            let head = AuditHeadFile.path(forStore: location)
            if let data = FileManager.default.contents(atPath: head) {
                try PrivateFiles.write(data, to: AuditHeadFile.path(forStore: path), mode: 0o600)
            }
        } catch {
            throw AuditStoreError.wrapping(error, path: path)
        }
    }
}
