import AndonCore
import Foundation

/// The reject file: one JSON line per refused message (input line number, reason, detail, original line), appended
/// (never truncated: a second run, or one that cannot even open its store, adds to it), private to the user, and
/// rotated by size (`.1`, `.2`, `.3`). Past `limit` lines in one run the messages are still counted but no longer
/// written. A write that fails (a full disk) is counted and said once; it never stops the run.
final class RejectFile {
    let path: String
    let limit: Int
    /// Bytes at which the file is rotated.
    let rotateBytes: Int
    private var descriptor: Int32
    private var size: Int
    private let encoder = JSONEncoder()
    private(set) var written = 0
    private(set) var failed = 0

    /// Opens `path` for appending (creating it and its folder, private to the user); nil with a message on standard
    /// error when it cannot.
    init?(path: String, limit: Int, rotateBytes: Int = 16 << 20) {
        self.path = path
        self.limit = limit
        self.rotateBytes = max(4096, rotateBytes)
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        if !FileManager.default.fileExists(atPath: folder) {
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        guard let (descriptor, size) = Self.open(path) else {
            printError("error: cannot write the reject file \(path): \(String(cString: strerror(errno)))")
            return nil
        }
        self.descriptor = descriptor
        self.size = size
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    }

    deinit { close(descriptor) }

    private static func open(_ path: String) -> (Int32, Int)? {
        let descriptor = Foundation.open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return nil }
        fchmod(descriptor, 0o600)
        var info = stat()
        fstat(descriptor, &info)
        return (descriptor, Int(info.st_size))
    }

    /// Writes one refused line, while under the bound.
    func write(_ rejected: RejectedLine) {
        guard written < limit, var data = try? encoder.encode(rejected) else { return }
        data.append(0x0A)
        if size + data.count > rotateBytes { rotate() }
        let count = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        guard count == data.count else {
            if failed == 0 {
                printError("andon: the reject file \(path) cannot be written (\(count < 0 ? String(cString: strerror(errno)) : "short write")); rejects are still counted")
            }
            failed += 1
            return
        }
        size += count
        written += 1
    }

    /// Moves the file to `.1` (and older ones down to `.3`) and starts a new one.
    private func rotate() {
        for generation in stride(from: 2, through: 1, by: -1) {
            rename("\(path).\(generation)", "\(path).\(generation + 1)")
        }
        rename(path, "\(path).1")
        guard let (next, size) = Self.open(path) else { return }
        close(descriptor)
        descriptor = next
        self.size = size
    }

    /// The default location beside the audit store: `<state>/andon/<plant-id>.rejects.jsonl`.
    static func defaultPath(auditPath: String) -> String {
        (auditPath as NSString).deletingPathExtension + ".rejects.jsonl"
    }
}
