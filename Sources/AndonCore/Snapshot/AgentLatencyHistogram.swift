/// One agent's decision latencies counted into fixed buckets, for a Prometheus histogram: exact counts (not read back
/// from the percentile histogram), taken on demand rather than carried in every snapshot.
public struct AgentLatencyHistogram: Sendable, Hashable {
    /// The buckets' upper bounds in seconds, the same for every agent: around the budgets plants give (1 ms to 250 ms).
    public static let bounds: [Double] = [0.000_01, 0.000_05, 0.000_1, 0.000_25, 0.000_5, 0.001, 0.002_5, 0.005, 0.01, 0.05, 0.25, 1]
    /// The bounds in nanoseconds, as the runtime's clock counts.
    public static let boundNanos: [UInt64] = bounds.map { UInt64(($0 * 1e9).rounded()) }

    /// Agent id.
    public var agent: String
    /// The cell (or line) it watches.
    public var cell: String
    /// Decisions that took at most each bound, cumulative, one per ``bounds``.
    public var cumulativeCounts: [UInt64]
    /// All decisions timed (the `+Inf` bucket).
    public var count: UInt64
    /// The sum of their latencies, seconds.
    public var sumSeconds: Double

    /// Creates a histogram from per-bucket (not cumulative) counts.
    public init(agent: String, cell: String, bucketCounts: [UInt64], count: UInt64, sumSeconds: Double) {
        self.agent = agent
        self.cell = cell
        var running: UInt64 = 0
        cumulativeCounts = bucketCounts.map { count in
            running &+= count
            return running
        }
        self.count = count
        self.sumSeconds = sumSeconds
    }
}
