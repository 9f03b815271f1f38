import AndonCore

/// What the runtime holds when its audit store could not be opened: always unhealthy with the reason, and every
/// append or read throws it, so actions that need a record are refused instead of run unrecorded.
public final class UnavailableAuditSink: AuditSink, Sendable {
    /// Why the store could not be opened.
    public let error: AuditStoreError

    /// Creates a sink that reports `error`.
    public init(error: AuditStoreError) {
        self.error = error
    }

    /// Throws the opening error.
    @discardableResult
    public func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord] {
        throw error
    }

    /// Throws the opening error.
    public func recoveryPoint() throws -> AuditRecoveryPoint {
        throw error
    }

    /// Throws the opening error.
    public func checkpoint(recoveryState: String, closing: Bool) throws {
        throw error
    }

    /// Unhealthy, with the opening error's message.
    public var health: AuditHealth {
        AuditHealth(isHealthy: false, records: 0, location: error.path, problem: error.message)
    }

    /// Nothing to close.
    public func close() {}
}
