import AndonCore

/// What a runtime knows beyond its snapshot, for the metrics: who is attached, and the agents' latency histograms.
public struct RuntimeFigures: Sendable {
    /// The runtime's id (a label on every plant metric), e.g. its stream id in the shared store.
    public var runtimeID: String
    /// Consoles attached now.
    public var attachedConsoles: Int
    /// External agents attached now.
    public var attachedAgents: Int
    /// Each agent's decision latency, by agent id (agents missing here have no histogram, only their counts).
    public var agentLatency: [String: LatencyBuckets]

    /// Creates the figures.
    public init(runtimeID: String, attachedConsoles: Int = 0, attachedAgents: Int = 0, agentLatency: [String: LatencyBuckets] = [:]) {
        self.runtimeID = runtimeID
        self.attachedConsoles = attachedConsoles
        self.attachedAgents = attachedAgents
        self.agentLatency = agentLatency
    }
}

/// A latency histogram as Prometheus counts it: cumulative counts at ascending upper bounds (seconds), the total
/// count and the sum. The runtime fills it from its own histogram's buckets.
public struct LatencyBuckets: Sendable, Hashable {
    /// Ascending upper bounds in seconds (`+Inf` is added when rendered).
    public var upperBounds: [Double]
    /// Observations at or below each bound (non-decreasing).
    public var cumulativeCounts: [UInt64]
    /// Every observation.
    public var count: UInt64
    /// Their sum in seconds.
    public var sum: Double

    /// Creates buckets; the bounds and counts must have the same length.
    public init(upperBounds: [Double], cumulativeCounts: [UInt64], count: UInt64, sum: Double) {
        precondition(upperBounds.count == cumulativeCounts.count, "one count per bound")
        self.upperBounds = upperBounds
        self.cumulativeCounts = cumulativeCounts
        self.count = count
        self.sum = sum
    }

    /// The buckets of `samples` (seconds) at `upperBounds`: for tests and for runtimes that keep raw samples.
    public init(samples: [Double], upperBounds: [Double]) {
        self.upperBounds = upperBounds
        cumulativeCounts = upperBounds.map { bound in UInt64(samples.count { $0 <= bound }) }
        count = UInt64(samples.count)
        sum = samples.reduce(0, +)
    }

    /// Bounds suited to agents' decision budgets (100 µs to 1 s).
    public static let decisionBounds: [Double] = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1]
}
