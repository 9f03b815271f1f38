import AndonCore
import Foundation
import GRDB

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
