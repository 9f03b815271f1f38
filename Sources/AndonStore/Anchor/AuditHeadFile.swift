import AndonCore
import Foundation

/// The small file beside a store (`<store>.head`) that holds the latest signed checkpoint: where the log's head was
/// when it was last anchored, and whether the runtime closed it cleanly. Kept outside the database, so that cutting
/// the log short or rewriting it shows even when the database is consistent on its own.
struct AuditHeadFile: Codable, Equatable {
    /// The sequence of the checkpoint record itself in the log.
    var record: Int64
    /// The checkpoint it holds.
    var checkpoint: AuditCheckpoint

    /// `<store>.head`.
    static func path(forStore store: String) -> String { store + ".head" }

    /// Reads it; nil when there is none, throws when it exists but cannot be understood.
    static func read(storePath: String) throws -> AuditHeadFile? {
        let path = path(forStore: storePath)
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw AuditStoreError.untrusted(storePath, detail: "its head file \(path) cannot be read")
            }
            return nil
        }
        do {
            return try JSONDecoder().decode(AuditHeadFile.self, from: data)
        } catch {
            throw AuditStoreError.untrusted(storePath, detail: "its head file \(path) is not a head file Andon wrote")
        }
    }

    /// Writes it atomically, private to the user; synced when the checkpoint must survive the machine's power.
    func write(storePath: String, sync: Bool) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try PrivateFiles.write(try encoder.encode(self) + Data("\n".utf8), to: Self.path(forStore: storePath), mode: 0o600, sync: sync)
    }
}
