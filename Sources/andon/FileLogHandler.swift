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
        let stamp = ISO8601DateFormatter().string(from: Date())
        file.write("\(stamp) \(event.level) \(label): \(event.message)\(extra)\n")
    }
}

/// A file handle shared by every logger, writes serialised.
final class FileHandleBox: @unchecked Sendable {
    private let handle: FileHandle
    private let lock = NSLock()

    /// Opens `path` for appending, creating it when missing.
    init?(path: String) {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { return nil }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return nil }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func write(_ line: String) {
        lock.withLock { handle.write(Data(line.utf8)) }
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
