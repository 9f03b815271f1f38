import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Files that hold records, keys and telemetry are the runtime user's alone, whatever the umask: folders 0700, files
/// 0600 (a public key 0644).
enum PrivateFiles {
    /// Creates `folder` and any missing parents with mode 0700 (existing folders are left as they are).
    static func makeFolder(_ folder: String) throws {
        guard !folder.isEmpty else { return }
        var prefix = folder.hasPrefix("/") ? "" : "."
        for component in folder.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) == 0 {
                chmod(prefix, 0o700)  // the umask may have taken bits away; never added any
                continue
            }
            let code = errno
            if code == EEXIST { continue }
            throw POSIXFileError(path: prefix, code: code, doing: "create the folder")
        }
    }

    /// Creates `path` (or opens it) with `mode` whatever the umask and tightens an existing file to it; returns the
    /// open descriptor (the caller closes it).
    static func create(_ path: String, mode: mode_t = 0o600) throws -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw POSIXFileError(path: path, code: errno, doing: "create") }
        fchmod(descriptor, mode)
        return descriptor
    }

    /// Writes `data` to `path` atomically (a temporary file, fsynced, renamed over it) with `mode`.
    static func write(_ data: Data, to path: String, mode: mode_t, sync: Bool = true) throws {
        // Unique per write, not per process: two threads of one process writing the same file (two runtimes publishing
        // one new signing key) would otherwise share the temporary file, and one's rename would find it gone.
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw POSIXFileError(path: temporary, code: errno, doing: "create") }
        fchmod(descriptor, mode)
        let written = data.withUnsafeBytes { buffer in Glibc.write(descriptor, buffer.baseAddress, buffer.count) }
        if written != data.count {
            let code = written < 0 ? errno : ENOSPC
            close(descriptor)
            unlink(temporary)
            throw POSIXFileError(path: temporary, code: code, doing: "write")
        }
        if sync, fsync(descriptor) != 0 {
            let code = errno
            close(descriptor)
            unlink(temporary)
            throw POSIXFileError(path: temporary, code: code, doing: "sync")
        }
        close(descriptor)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw POSIXFileError(path: path, code: code, doing: "replace")
        }
    }
}

/// A system call on a file failed.
struct POSIXFileError: Error, CustomStringConvertible {
    let path: String
    let code: Int32
    let doing: String

    var description: String { "cannot \(doing) \(path): \(String(cString: strerror(code)))" }
}
