import Foundation

/// Whether the shared approvals may have changed since a runtime last read them: a ``SharedStoreListener`` of its own
/// hears the store's approval and outbox notices (ids only). A notice is a hint to read, never the record, so without a
/// listener, and at least every ``fallbackSeconds``, the answer is yes.
final class ApprovalNews: @unchecked Sendable {
    /// The longest a runtime goes without reading the shared approvals, notices or not.
    static let fallbackSeconds = 5.0

    private let lock = NSLock()
    private var listener: SharedStoreListener?
    private var isStarting = false
    private var isStopped = false
    private var heard = true
    private var lastRead = Date.distantPast
    private var lastStart = Date.distantPast

    /// True when the approvals are to be read now; starts (or restarts) the listener when there is none.
    func take(address: SharedStoreAddress, now: Date) -> Bool {
        let start = lock.withLock { () -> Bool in
            guard !isStopped, !isStarting, listener?.isListening != true, now.timeIntervalSince(lastStart) >= Self.fallbackSeconds else { return false }
            isStarting = true
            lastStart = now
            return true
        }
        if start {
            // Opened outside the lock: a notice arriving meanwhile takes the lock on the connection's event loop.
            let started = try? SharedStoreListener(address: address) { [weak self] notice in
                switch notice {
                case .approval, .outbox: self?.hear()
                case .records: break
                }
            }
            let unwanted = lock.withLock { () -> SharedStoreListener? in
                isStarting = false
                // Anything may have changed while nobody listened.
                heard = true
                if isStopped { return started }
                listener = started
                return nil
            }
            unwanted?.stop()
        }
        return lock.withLock {
            let due = heard || listener?.isListening != true || now.timeIntervalSince(lastRead) >= Self.fallbackSeconds
            if due {
                heard = false
                lastRead = now
            }
            return due
        }
    }

    /// A notice came.
    func hear() {
        lock.withLock { heard = true }
    }

    /// Stops listening for good.
    func stop() {
        let listening = lock.withLock { () -> SharedStoreListener? in
            isStopped = true
            defer { listener = nil }
            return listener
        }
        listening?.stop()
    }
}
