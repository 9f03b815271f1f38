import AndonCore

/// Settings of one run.
public struct EngineOptions: Sendable {
    /// Seed of every random draw.
    public var seed: UInt64
    /// Capacity of each agent's mailbox.
    public var agentMailboxCapacity = 64
    /// Capacity of the mailbox of an agent that takes only a few inputs per tick (the planner).
    public var slowAgentMailboxCapacity = 8
    /// Capacity of the decision queue (proposals waiting for the policy).
    public var decisionQueueCapacity = 64
    /// Minutes in the rolling OEE window.
    public var rollingWindowMinutes = 15
    /// Seconds between agent ticks (staleness checks, timers).
    public var agentTickSeconds = 5.0
    /// Seconds of simulated time per latency sparkline interval.
    public var sparkIntervalSeconds = 10.0
    /// Simulated time at which the run starts (recovery continues the clock of the log).
    public var startTime: SimTime = 0
    /// Run number (1 for a fresh store); makes proposal ids unique across restarts.
    public var runNumber = 1
    /// Most records staged while the audit store refuses them; at it the plant waits rather than drop one.
    public var auditBacklogLimit = 100_000
    /// Records committed between two checkpoints that save the recovery state.
    public var stateCheckpointEvery = 5000
    /// Where a safety hold's records go when the store refuses them (none: they wait in memory only).
    public var fallbackJournalPath: String?

    /// Checks signing passphrases for approvals whose rule requires a signature (none: such approvals cannot be
    /// given, and say why).
    public var signatureVerifier: (any SignatureVerifier)?
    /// Simulated seconds per real second while live: a shared approval's deadline in wall time, which other runtimes'
    /// consoles hold it to, is its simulated deadline at this pace.
    public var liveSpeed: Double = 1

    /// Options with a seed.
    public init(seed: UInt64) {
        self.seed = seed
    }
}
