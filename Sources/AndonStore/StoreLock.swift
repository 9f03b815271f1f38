import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on the database file itself, held while a writer has the store open, so two Andon processes
/// never append to the same log. The lock is on the file, not on a side file that could be deleted with its folder;
/// and because a file that is deleted (or replaced) keeps its lock, ``displacement()`` tells when the path no longer
/// leads to the locked file, so the writer stops instead of writing into a file nobody can open.
///
/// SQLite's own locks are `fcntl` locks and do not interact with `flock`; the descriptor is kept open until the store
/// is closed, since closing any descriptor of a file drops the process's `fcntl` locks on it.
final class StoreLock: @unchecked Sendable {
    private let descriptor: Int32
    private let storePath: String
    private let identity: (device: UInt64, inode: UInt64)
    private let mutex = NSLock()
    private var isHeld = true

    /// Creates the database file when missing (0600 whatever the umask; an existing one is tightened to 0600) and
    /// takes the lock, or throws `locked` or `readOnly` at once (never waits).
    init(storePath: String) throws {
        self.storePath = storePath
        let descriptor: Int32
        do {
            descriptor = try PrivateFiles.create(storePath)
        } catch let error as POSIXFileError {
            switch error.code {
            case EACCES, EPERM, EROFS: throw AuditStoreError.readOnly(storePath, detail: error.description)
            default: throw AuditStoreError.io(storePath, detail: error.description)
            }
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw AuditStoreError.locked(storePath, detail: "another Andon process holds it")
            }
            throw AuditStoreError.io(storePath, detail: "cannot lock it: \(String(cString: strerror(code)))")
        }
        var info = stat()
        fstat(descriptor, &info)
        identity = (UInt64(info.st_dev), UInt64(info.st_ino))
        self.descriptor = descriptor
    }

    /// Why the store's path no longer leads to the locked file (deleted, or replaced by another), or nil when it does.
    func displacement() -> String? {
        var info = stat()
        guard stat(storePath, &info) == 0 else {
            return "the store file was deleted while in use (\(String(cString: strerror(errno)))); what this run commits from now on would be lost"
        }
        guard UInt64(info.st_dev) == identity.device, UInt64(info.st_ino) == identity.inode else {
            return "the store file was replaced by another while in use; this run does not write to a file nobody can open"
        }
        return nil
    }

    /// Releases the lock; later calls do nothing.
    func release() {
        mutex.lock()
        defer { mutex.unlock() }
        guard isHeld else { return }
        isHeld = false
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }

    deinit { release() }
}
