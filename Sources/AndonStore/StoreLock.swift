import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive `flock` on `<store>.lock`, held while a writer has the store open, so two Andon processes
/// never append to the same log. The lock file is left in place: removing it would let a third process lock a
/// fresh file while the second still holds the old one.
final class StoreLock: @unchecked Sendable {
    private let descriptor: Int32
    private let lockPath: String
    private let mutex = NSLock()
    private var isHeld = true

    /// Takes the lock for the store at `storePath`, or throws `locked` or `readOnly` at once (never waits).
    init(storePath: String) throws {
        lockPath = storePath + ".lock"
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            let reason = String(cString: strerror(code))
            switch code {
            case EACCES, EPERM, EROFS: throw AuditStoreError.readOnly(storePath, detail: "cannot create \(lockPath): \(reason)")
            default: throw AuditStoreError.io(storePath, detail: "cannot create \(lockPath): \(reason)")
            }
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            close(descriptor)
            if code == EWOULDBLOCK {
                throw AuditStoreError.locked(storePath, detail: "\(lockPath) is held")
            }
            throw AuditStoreError.io(storePath, detail: "cannot lock \(lockPath): \(String(cString: strerror(code)))")
        }
        self.descriptor = descriptor
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
