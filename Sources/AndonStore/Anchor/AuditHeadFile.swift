import AndonCore
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The small file beside a store (`<store>.head`) that holds the latest signed checkpoint: where the log's head was
/// when it was last anchored, and whether the runtime closed it cleanly. Kept outside the database, so that cutting
/// the log short or rewriting it shows even when the database is consistent on its own.
///
/// Two fixed slots of ``slotBytes`` each, written in turn in place (no rename, which on ext4 flushes like an fsync):
/// a write torn by a crash spoils only the slot being written, and the reader takes the newest slot that reads.
struct AuditHeadFile: Codable, Equatable {
    /// The sequence of the checkpoint record itself in the log.
    var record: Int64
    /// The checkpoint it holds.
    var checkpoint: AuditCheckpoint

    /// Bytes per slot.
    static let slotBytes = 2048

    /// `<store>.head`.
    static func path(forStore store: String) -> String { store + ".head" }

    /// Reads it; nil when there is none, throws when it exists but no slot can be understood.
    static func read(storePath: String) throws -> AuditHeadFile? {
        let path = path(forStore: storePath)
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) {
                throw AuditStoreError.untrusted(storePath, detail: "its head file \(path) cannot be read")
            }
            return nil
        }
        let decoder = JSONDecoder()
        var newest: AuditHeadFile?
        var offset = 0
        while offset < data.count {
            let slot = data[offset..<min(data.count, offset + slotBytes)]
            let text = slot.prefix { $0 != 0 && $0 != 0x0A }
            if let head = try? decoder.decode(AuditHeadFile.self, from: Data(text)), head.record > (newest?.record ?? -1) { newest = head }
            offset += slotBytes
        }
        guard let newest else { throw AuditStoreError.untrusted(storePath, detail: "its head file \(path) is not a head file Andon wrote") }
        return newest
    }
}

/// The open head file of a writer: each checkpoint goes into the slot that does not hold the newest one.
final class AuditHeadWriter: @unchecked Sendable {
    private let descriptor: Int32
    private var slot: Int

    /// Opens (creating, private to the user) the head file of the store at `storePath`.
    init(storePath: String) throws {
        let path = AuditHeadFile.path(forStore: storePath)
        descriptor = try PrivateFiles.create(path)
        // Start in the slot after the one holding the newest head (slot 0 when there is none).
        let newest = (try? AuditHeadFile.read(storePath: storePath)) ?? nil
        slot = newest.map { ((Self.slot(of: $0, in: path) ?? 1) + 1) % 2 } ?? 0
    }

    deinit { close(descriptor) }

    /// Which slot of the file at `path` holds `head`.
    private static func slot(of head: AuditHeadFile, in path: String) -> Int? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = JSONDecoder()
        for index in 0..<2 where index * AuditHeadFile.slotBytes < data.count {
            let chunk = data[(index * AuditHeadFile.slotBytes)..<min(data.count, (index + 1) * AuditHeadFile.slotBytes)]
            if let decoded = try? decoder.decode(AuditHeadFile.self, from: Data(chunk.prefix { $0 != 0 && $0 != 0x0A })), decoded == head { return index }
        }
        return nil
    }

    /// Writes `head` into the next slot; fsynced when `sync` (a clean close).
    func write(_ head: AuditHeadFile, sync: Bool) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var bytes = [UInt8](try encoder.encode(head))
        guard bytes.count < AuditHeadFile.slotBytes else { throw POSIXFileError(path: "head file", code: EOVERFLOW, doing: "write") }
        bytes.append(0x0A)
        bytes += [UInt8](repeating: 0x20, count: AuditHeadFile.slotBytes - bytes.count)
        let written = bytes.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, off_t(slot * AuditHeadFile.slotBytes)) }
        guard written == bytes.count else { throw POSIXFileError(path: "head file", code: written < 0 ? errno : ENOSPC, doing: "write") }
        if sync { fsync(descriptor) }
        slot = (slot + 1) % 2
    }
}
