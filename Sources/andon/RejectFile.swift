import AndonCore
import Foundation

/// The reject file: one JSON line per refused message (input line number, reason, detail, original line),
/// up to a bound; past it the messages are still counted but no longer written.
final class RejectFile {
    let path: String
    let limit: Int
    private let handle: FileHandle
    private let encoder = JSONEncoder()
    private(set) var written = 0

    /// Opens (truncating) the file, creating its folder; nil with a message on standard error when it cannot.
    init?(path: String, limit: Int) {
        self.path = path
        self.limit = limit
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            printError("error: cannot write the reject file \(path)")
            return nil
        }
        self.handle = handle
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { try? handle.close() }

    /// Writes one refused line, while under the bound.
    func write(_ rejected: RejectedLine) {
        guard written < limit, var data = try? encoder.encode(rejected) else { return }
        data.append(0x0A)
        handle.write(data)
        written += 1
    }

    /// The default location beside the audit store: `<state>/andon/<plant-id>.rejects.jsonl`.
    static func defaultPath(auditPath: String) -> String {
        (auditPath as NSString).deletingPathExtension + ".rejects.jsonl"
    }
}
