import AndonCore
import Foundation
import Logging

/// Writes log lines to a file, never to the screen the console owns.
struct FileLogHandler: LogHandler {
    private let file: FileHandleBox
    private let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    /// Opens (or creates) `path` for appending.
    init(label: String, file: FileHandleBox) {
        self.label = label
        self.file = file
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let extra = merged.isEmpty ? "" : " " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = TimeText.utcStamp(Date())
        file.write("\(stamp) \(event.level) \(label): \(event.message)\(extra)\n")
    }
}

/// A file handle shared by every logger, writes serialised.
final class FileHandleBox: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    /// Opens `path` for appending, creating it (private to the user, in a private folder) when missing.
    init?(path: String) {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o700])) != nil else { return nil }
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }

    func write(_ line: String) {
        // A full disk must not stop the run: a log line that cannot be written is lost, nothing else.
        lock.withLock { try? handle.write(contentsOf: Data(line.utf8)) }
    }
}

/// Sends logs to `path`, or nowhere: while the console owns the terminal nothing may print to it.
func bootstrapLogging(path: String?) throws {
    guard let path else {
        LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        return
    }
    guard let box = FileHandleBox(path: path) else {
        printError("error: cannot open the log file \(path)")
        throw ExitCodeError.configuration
    }
    LoggingSystem.bootstrap { FileLogHandler(label: $0, file: box) }
}

/// Exit codes of the command line.
enum ExitCodeError: Error {
    case configuration
}
