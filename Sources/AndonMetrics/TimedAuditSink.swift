import AndonCore
import Prometheus

/// An ``AuditSink`` that times every commit of the sink it wraps into a Prometheus histogram
/// (`andon_audit_commit_seconds`, by `sync`), kept for the life of the runtime and emitted with its other metrics.
public final class TimedAuditSink: AuditSink {
    /// The sink that does the work.
    public let wrapped: any AuditSink
    /// Where the histogram lives; ``text`` emits it.
    private let registry = PrometheusCollectorRegistry()
    private let synced: DurationHistogram
    private let unsynced: DurationHistogram
    private let failures: Counter

    /// Commit latency bounds: 100 µs to 5 s (a local synced commit is about a millisecond; a server far away, more).
    public static let bounds: [Duration] = [.microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .microseconds(2500),
                                            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
                                            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)]

    /// Wraps `sink`; every metric carries `runtime`.
    public init(_ sink: any AuditSink, runtimeID: String) {
        wrapped = sink
        let name = MetricNameDescriptor(metricName: "andon_audit_commit_seconds", unitName: "",
                                        helpText: "Time to commit a batch of audit records, synced (durable before any action) or not.")
        synced = registry.makeDurationHistogram(descriptor: name, labels: [("runtime", runtimeID), ("sync", "true")], buckets: Self.bounds)
        unsynced = registry.makeDurationHistogram(descriptor: name, labels: [("runtime", runtimeID), ("sync", "false")], buckets: Self.bounds)
        failures = registry.makeCounter(descriptor: MetricNameDescriptor(metricName: "andon_audit_commit_failures_total", unitName: "",
                                                                         helpText: "Commits the audit store refused."),
                                        labels: [("runtime", runtimeID)])
    }

    /// The histogram and failure count in Prometheus text.
    public var text: String { registry.emitToString() }

    @discardableResult
    public func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord] {
        try timed(sync: sync) { try wrapped.append(entries, sync: sync) }
    }

    /// The wrapped sink's ledger, its commits timed here too.
    public var approvalLedger: (any ApprovalLedger)? {
        wrapped.approvalLedger.map { TimedApprovalLedger($0, timing: self) }
    }

    /// Runs one commit, timing it (or counting its failure).
    func timed<T>(sync: Bool, _ commit: () throws -> T) throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        do {
            let result = try commit()
            (sync ? synced : unsynced).record(clock.now - start)
            return result
        } catch let lost as ApprovalWriteLost {
            // Another runtime's decision came first: the store did not fail.
            throw lost
        } catch {
            failures.increment()
            throw error
        }
    }

    public func checkpoint(recoveryState: String, closing: Bool) throws { try wrapped.checkpoint(recoveryState: recoveryState, closing: closing) }

    public func recoveryPoint() throws -> AuditRecoveryPoint { try wrapped.recoveryPoint() }

    public var health: AuditHealth { wrapped.health }

    public func close() { wrapped.close() }
}
