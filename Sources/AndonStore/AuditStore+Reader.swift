import Foundation
import GRDB

extension AuditStore {
    /// Opens an existing store read-only. A WAL-mode file in a directory that can't be written (a copy on
    /// read-only media) can't get its `-shm` file, so it is opened as immutable instead, provided no `-wal` file
    /// holds commits that an immutable open would miss.
    static func openReader(path: String, configuration: Configuration) throws -> DatabaseQueue {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw AuditStoreError.missing(path) }
        guard !isDirectory.boolValue else { throw AuditStoreError.notAnAuditStore(path, detail: "it is a directory") }
        var configuration = configuration
        configuration.readonly = true
        do {
            return try openChecked(path, as: path, configuration: configuration)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN {
            let directory = (path as NSString).deletingLastPathComponent
            guard !FileManager.default.isWritableFile(atPath: directory.isEmpty ? "." : directory) else { throw error }
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            guard wal == 0 else {
                throw AuditStoreError.readOnly(path, detail: "its -wal file holds commits and the directory can't be written; "
                                                   + "copy the store with its -wal file somewhere writable")
            }
            let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            return try openChecked("file:\(encoded)?mode=ro&immutable=1", as: path, configuration: configuration)
        }
    }

    private static func openChecked(_ location: String, as path: String, configuration: Configuration) throws -> DatabaseQueue {
        let queue = try DatabaseQueue(path: location, configuration: configuration)
        try queue.read { try AuditSchema.checkReadable($0, path: path) }
        return queue
    }
}
