import AndonCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small append-only file, kept elsewhere than the store, for records that must not wait for it: when a safety hold
/// runs while the store refuses commits, every record staged up to it is written here, one JSON line each, and fsynced
/// before the hold is reported. When the store takes the records again the journal is emptied. A journal found at
/// start holds the records of a run that ended before its store came back: ``importPending(into:)`` commits them
/// first, in order, so the log is complete.
public final class FallbackJournal {
    /// Where it lives.
    public let path: String
    /// Entries written since it was last emptied.
    public private(set) var count = 0

    /// A journal at `path` (created, private to the user, when something is first written to it).
    public init(path: String) {
        self.path = path
    }

    /// Appends entries and fsyncs them.
    func append(_ entries: some Collection<AuditEntry>) throws {
        guard !entries.isEmpty else { return }
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw JournalError(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        fchmod(descriptor, 0o600)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes = Data()
        for entry in entries {
            bytes.append(try encoder.encode(entry))
            bytes.append(0x0A)
        }
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            throw JournalError(path: path, reason: written < 0 ? String(cString: strerror(errno)) : "short write")
        }
        count += entries.count
    }

    /// Empties it: everything in it is in the store.
    func clear() {
        guard count > 0 else { return }
        if truncate(path, 0) == 0 { count = 0 }
    }

    /// The entries a journal holds, in order; none when there is no file.
    public static func entries(at path: String) throws -> [AuditEntry] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        let decoder = JSONDecoder()
        var entries: [AuditEntry] = []
        for (number, line) in data.split(separator: 0x0A).enumerated() where !line.isEmpty {
            do {
                entries.append(try decoder.decode(AuditEntry.self, from: line))
            } catch {
                throw JournalError(path: path, reason: "line \(number + 1) is not a journal entry (\(error))")
            }
        }
        return entries
    }

    /// Commits what a journal left by an earlier run holds, skipping what already reached the store (a run that died
    /// between its commit and emptying the journal), then empties it. Returns how many entries were committed.
    public func importPending(into sink: any AuditSink) throws -> Int {
        let pending = try Self.entries(at: path)
        guard !pending.isEmpty else { return 0 }
        let stored = try sink.recoveryPoint().records
        func same(_ entry: AuditEntry, _ record: AuditRecord) -> Bool {
            entry.kind == record.kind && entry.payload == record.payload && entry.correlationID == record.correlationID && entry.simTime == record.simTime
        }
        var skip = 0
        if let start = stored.firstIndex(where: { same(pending[0], $0) }) {
            // The store has a prefix of the journal already: count how much, in order.
            while skip < pending.count, start + skip < stored.count, same(pending[skip], stored[start + skip]) { skip += 1 }
        }
        let rest = Array(pending.dropFirst(skip))
        if !rest.isEmpty { try sink.append(rest, sync: true) }
        guard truncate(path, 0) == 0 else { throw JournalError(path: path, reason: "cannot empty it: \(String(cString: strerror(errno)))") }
        return rest.count
    }
}

/// The fallback journal could not be written or read.
public struct JournalError: Error, Sendable, CustomStringConvertible {
    /// The journal.
    public var path: String
    /// Why.
    public var reason: String

    /// `fallback journal PATH: reason`.
    public var description: String { "fallback journal \(path): \(reason)" }
}
