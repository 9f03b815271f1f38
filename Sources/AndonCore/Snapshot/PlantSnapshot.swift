/// Availability × performance × quality, each a fraction from 0 to 1.
public struct OEE: Sendable, Hashable, Codable {
    /// Run time ÷ planned time.
    public var availability: Double
    /// (Ideal cycle × parts) ÷ run time.
    public var performance: Double
    /// Good ÷ parts.
    public var quality: Double
    /// Planned time the figures cover, seconds.
    public var plannedSeconds: Double
    /// The ideal (design) cycle they were worked out with, seconds.
    public var idealCycleSeconds: Double
    /// True once they cover enough planned time to mean something (see ``settlingSeconds(idealCycle:)``): before
    /// that, a handful of parts swings them from 0 to 100%, and the console shows no figure.
    public var isSettled: Bool

    /// Creates figures (settled unless said otherwise).
    public init(availability: Double, performance: Double, quality: Double, plannedSeconds: Double = 0, idealCycleSeconds: Double = 0,
                isSettled: Bool = true) {
        self.availability = availability
        self.performance = performance
        self.quality = quality
        self.plannedSeconds = plannedSeconds
        self.idealCycleSeconds = idealCycleSeconds
        self.isSettled = isSettled
    }

    /// No time planned yet.
    public static let zero = OEE(availability: 0, performance: 0, quality: 0, isSettled: false)

    /// The product of the three factors.
    public var value: Double { availability * performance * quality }

    /// The planned time a figure needs before it is shown: ten ideal cycles, and at least ten minutes.
    public static func settlingSeconds(idealCycle: Double) -> Double { max(600, 10 * idealCycle) }

    /// OEE from raw counts; factors are 0 when their denominator is 0, performance capped at 1; settled once the
    /// planned time reaches ``settlingSeconds(idealCycle:)``.
    public static func compute(plannedSeconds: Double, runSeconds: Double, idealCycleSeconds: Double, produced: Int, good: Int) -> OEE {
        let availability = plannedSeconds > 0 ? min(1, runSeconds / plannedSeconds) : 0
        let performance = runSeconds > 0 ? min(1, idealCycleSeconds * Double(produced) / runSeconds) : 0
        let quality = produced > 0 ? Double(good) / Double(produced) : 0
        return OEE(availability: availability, performance: performance, quality: quality, plannedSeconds: plannedSeconds,
                   idealCycleSeconds: idealCycleSeconds, isSettled: plannedSeconds >= settlingSeconds(idealCycle: idealCycleSeconds))
    }
}

/// A sensor's latest reading with its limits and recent history.
public struct SensorReading: Sendable, Hashable, Codable {
    /// Sensor id.
    public var id: String
    /// What it measures.
    public var kind: SensorKind
    /// Latest value.
    public var value: Double
    /// Nominal value.
    public var nominal: Double
    /// Alarm limits.
    public var limits: SensorLimits
    /// Recent values, oldest first (for sparklines).
    public var history: SensorHistory

    /// Creates a reading with `history` in storage of its own.
    public init(id: String, kind: SensorKind, value: Double, nominal: Double, limits: SensorLimits, history: [Float]) {
        self.init(id: id, kind: kind, value: value, nominal: nominal, limits: limits, history: SensorHistory(history))
    }

    /// Creates a reading.
    public init(id: String, kind: SensorKind, value: Double, nominal: Double, limits: SensorLimits, history: SensorHistory) {
        self.id = id
        self.kind = kind
        self.value = value
        self.nominal = nominal
        self.limits = limits
        self.history = history
    }
}

/// One entry of a cell's state timeline.
public struct StateSpan: Sendable, Hashable, Codable {
    /// The state.
    public var state: PackMLState
    /// Its cause.
    public var reason: StateReason
    /// When it began.
    public var since: SimTime

    /// Creates a span.
    public init(state: PackMLState, reason: StateReason, since: SimTime) {
        self.state = state
        self.reason = reason
        self.since = since
    }
}

/// Everything the console draws about one cell.
public struct CellSnapshot: Sendable, Hashable, Identifiable, Codable {
    /// Cell id.
    public var id: String
    /// Display name.
    public var name: String
    /// Line id.
    public var line: String
    /// Cell kind.
    public var kind: String
    /// PackML state.
    public var state: PackMLState
    /// Cause of Held/Suspended/Stopped/Aborted.
    public var reason: StateReason
    /// The word a supervisor reads.
    public var status: CellStatus
    /// OEE over the shift so far.
    public var shiftOEE: OEE
    /// OEE over the rolling window.
    public var rollingOEE: OEE
    /// Parts produced, good and scrapped this run.
    public var produced: Int, good: Int, scrap: Int
    /// Speed setpoint in percent of design speed.
    public var speedPercent: Double
    /// The most urgent alarm in view: active, or returned to normal and not yet acknowledged.
    public var topAlarm: AlarmSummary?
    /// Alarms in view (active, or returned and unacknowledged): what `A` acknowledges.
    public var activeAlarms: Int
    /// Seconds since the last telemetry from the cell.
    public var dataAge: Double
    /// True when the data is older than the plant's stale limit.
    public var isStale: Bool
    /// Sensors with limits and history.
    public var sensors: [SensorReading]
    /// Recent state changes, newest last.
    public var timeline: [StateSpan]
    /// Every alarm of the cell not in Normal: in view, shelved, suppressed by design or out of service.
    public var alarms: [AlarmSummary]
    /// Times the cell's alarms came in during the last 10 minutes (for the ISA-18.2 alarm rate).
    public var recentAlarmActivations: Int

    /// Creates a cell snapshot.
    public init(id: String, name: String, line: String, kind: String, state: PackMLState, reason: StateReason, status: CellStatus,
                shiftOEE: OEE, rollingOEE: OEE, produced: Int, good: Int, scrap: Int, speedPercent: Double, topAlarm: AlarmSummary?,
                activeAlarms: Int, dataAge: Double, isStale: Bool, sensors: [SensorReading], timeline: [StateSpan],
                alarms: [AlarmSummary] = [], recentAlarmActivations: Int = 0) {
        self.id = id
        self.name = name
        self.line = line
        self.kind = kind
        self.state = state
        self.reason = reason
        self.status = status
        self.shiftOEE = shiftOEE
        self.rollingOEE = rollingOEE
        self.produced = produced
        self.good = good
        self.scrap = scrap
        self.speedPercent = speedPercent
        self.topAlarm = topAlarm
        self.activeAlarms = activeAlarms
        self.dataAge = dataAge
        self.isStale = isStale
        self.sensors = sensors
        self.timeline = timeline
        self.alarms = alarms
        self.recentAlarmActivations = recentAlarmActivations
    }
}

/// A line's figures.
public struct LineSnapshot: Sendable, Hashable, Identifiable, Codable {
    /// Line id.
    public var id: String
    /// Display name.
    public var name: String
    /// Cell ids in flow order.
    public var cells: [String]
    /// Line OEE over the shift.
    public var shiftOEE: OEE
    /// Line OEE over the rolling window.
    public var rollingOEE: OEE
    /// Good parts out of the last cell.
    public var output: Int
    /// Takt time in seconds.
    public var taktSeconds: Double

    /// Creates a line snapshot.
    public init(id: String, name: String, cells: [String], shiftOEE: OEE, rollingOEE: OEE, output: Int, taktSeconds: Double) {
        self.id = id
        self.name = name
        self.cells = cells
        self.shiftOEE = shiftOEE
        self.rollingOEE = rollingOEE
        self.output = output
        self.taktSeconds = taktSeconds
    }
}

/// What a queue holds.
public enum QueueKind: String, Sendable, Hashable, Codable {
    /// A WIP buffer between two cells (parts).
    case wip
    /// A runtime mailbox (events).
    case mailbox
}

/// Depth and limits of one queue.
public struct QueueSnapshot: Sendable, Hashable, Codable, Identifiable {
    /// Queue name.
    public var id: String
    /// WIP buffer or mailbox.
    public var kind: QueueKind
    /// Most it can hold.
    public var capacity: Int
    /// What it holds now.
    public var depth: Int
    /// The most it has held.
    public var highWater: Int
    /// Items dropped on overflow.
    public var drops: Int
    /// Times a producer had to wait because it was full.
    public var waits: Int

    /// Creates a queue snapshot.
    public init(id: String, kind: QueueKind, capacity: Int, depth: Int, highWater: Int, drops: Int, waits: Int = 0) {
        self.id = id
        self.kind = kind
        self.capacity = capacity
        self.depth = depth
        self.highWater = highWater
        self.drops = drops
        self.waits = waits
    }
}

/// Decision latency of one agent against its budget.
public struct AgentSnapshot: Sendable, Hashable, Identifiable, Codable {
    /// Agent id.
    public var id: String
    /// The cell it watches.
    public var cell: String
    /// Its kind.
    public var kind: AgentKind
    /// Version.
    public var version: String
    /// Mode now.
    public var mode: AgentMode
    /// Budget, seconds.
    public var budgetSeconds: Double
    /// Latency percentiles and maximum, seconds.
    public var p50: Double, p90: Double, p99: Double, max: Double
    /// Decisions over budget.
    public var breaches: Int
    /// Decisions timed.
    public var decisions: Int
    /// Proposals made.
    public var proposals: Int
    /// Recent per-interval p99s, oldest first.
    public var recentP99: [Double]
    /// True when latency includes simulated think time.
    public var isSimulated: Bool

    /// Creates an agent snapshot.
    public init(id: String, cell: String, kind: AgentKind, version: String, mode: AgentMode, budgetSeconds: Double, p50: Double,
                p90: Double, p99: Double, max: Double, breaches: Int, decisions: Int, proposals: Int, recentP99: [Double], isSimulated: Bool) {
        self.id = id
        self.cell = cell
        self.kind = kind
        self.version = version
        self.mode = mode
        self.budgetSeconds = budgetSeconds
        self.p50 = p50
        self.p90 = p90
        self.p99 = p99
        self.max = max
        self.breaches = breaches
        self.decisions = decisions
        self.proposals = proposals
        self.recentP99 = recentP99
        self.isSimulated = isSimulated
    }
}

/// A pending or recently decided approval.
public struct ApprovalSnapshot: Sendable, Hashable, Identifiable, Codable {
    /// Same as the proposal id.
    public var id: String
    /// What is asked.
    public var proposal: Proposal
    /// The decision that asked for it.
    public var decision: Decision
    /// When it was requested.
    public var requestedAt: SimTime
    /// When it expires.
    public var deadline: SimTime
    /// Lifecycle state.
    public var state: ApprovalState
    /// Approvals so far.
    public var signatures: [ApprovalSignature]
    /// True once escalated.
    public var isEscalated: Bool
    /// Roles that may decide now (escalation may add one).
    public var roles: [Role]
    /// How it ended, in words, once final.
    public var outcome: String?
    /// True when it was asked before the runtime last restarted: the plant it describes (the evidence, the cell's
    /// state) was the earlier run's, and the plant now may differ.
    public var isFromEarlierRun = false
    /// The runtime that asked for it, when it is another runtime's approval read from the shared store (nil: this
    /// runtime's own). Deciding it here puts the decision on this runtime's record and in the shared store; that
    /// runtime runs what it approves.
    public var runtime: String?

    /// Creates an approval snapshot.
    public init(id: String, proposal: Proposal, decision: Decision, requestedAt: SimTime, deadline: SimTime, state: ApprovalState,
                signatures: [ApprovalSignature], isEscalated: Bool, roles: [Role], outcome: String?) {
        self.id = id
        self.proposal = proposal
        self.decision = decision
        self.requestedAt = requestedAt
        self.deadline = deadline
        self.state = state
        self.signatures = signatures
        self.isEscalated = isEscalated
        self.roles = roles
        self.outcome = outcome
    }

    /// Approvals needed.
    public var quorum: Int { decision.requirement?.quorum ?? 1 }
}

/// Health of the audit store, as the header shows it.
public struct AuditHealth: Sendable, Hashable, Codable {
    /// True while records are being committed.
    public var isHealthy: Bool
    /// Records in the log.
    public var records: Int
    /// Where the log is (`:memory:` or a path).
    public var location: String
    /// What went wrong, when it is not healthy.
    public var problem: String?
    /// Records staged and not yet in the store (while it refuses commits).
    public var unwritten: Int
    /// The hash of the last record, when the store tells.
    public var headHash: String?

    /// Creates a health report.
    public init(isHealthy: Bool, records: Int, location: String, problem: String? = nil, unwritten: Int = 0, headHash: String? = nil) {
        self.isHealthy = isHealthy
        self.records = records
        self.location = location
        self.problem = problem
        self.unwritten = unwritten
        self.headHash = headHash
    }

    /// No store attached.
    public static let none = AuditHealth(isHealthy: true, records: 0, location: "none")
}

/// Everything a front end needs to draw one frame: immutable, cheap to pass between tasks.
public struct PlantSnapshot: Sendable, Codable {
    /// Plant id.
    public var plantID: String
    /// Plant name.
    public var plantName: String
    /// Simulated time now.
    public var time: SimTime
    /// Shift length, seconds.
    public var shiftSeconds: Double
    /// True when the simulation is paused.
    public var isPaused: Bool
    /// Lines in order.
    public var lines: [LineSnapshot] { didSet { cellTexts = nil } }
    /// Cells, lines in order, cells in flow order.
    public var cells: [CellSnapshot] {
        didSet {
            cellTexts = nil
            cellKeys = nil
        }
    }
    /// WIP buffers, then mailboxes.
    public var queues: [QueueSnapshot]
    /// Agents with latency figures.
    public var agents: [AgentSnapshot] { didSet { worstAgents = nil } }
    /// Pending approvals, then recently decided ones.
    public var approvals: [ApprovalSnapshot]
    /// Policy version and hash, once a policy is loaded.
    public var policyVersion: String?
    /// Audit store health.
    public var audit: AuditHealth
    /// True while the kill switch holds every agent in shadow mode.
    public var isKillSwitchOn: Bool
    /// Telemetry messages rejected at the door.
    public var telemetryRejects: Int
    /// Telemetry messages rejected at the door, by reason name (`wrong_unit`, `duplicate`, …); empty for the simulator.
    public var telemetryRejectReasons: [String: Int] = [:]
    /// The most recent rejected lines, oldest first, with input line number, reason and original text.
    public var recentTelemetryRejects: [RejectedLine] = []
    /// Telemetry messages accepted and applied; nil when the twin runs its own simulation.
    public var telemetryAccepted: Int?
    /// The external telemetry source's state; nil when the twin runs its own simulation.
    public var telemetrySource: TelemetrySourceStatus?
    /// The link to a served runtime, for a console attached to one (`andon attach`); nil in the runtime's own process.
    public var connection: ConnectionStatus?
    /// Proposals made so far.
    public var proposals: Int
    /// Last policy reload problem, if the last reload failed.
    public var policyProblem: String?
    /// This runtime's id in a shared store (its stream), where approvals are shared; nil otherwise. Other runtimes'
    /// approvals it offers (``ApprovalSnapshot/runtime``) name their runtime by the same id.
    public var sharedRuntimeID: String?
    /// The runtimes of a plant-wide console (`andon attach` over several sockets), in the order given; nil for one
    /// runtime. When set, ids are qualified by runtime (``RuntimeQualifiedID``).
    public var runtimes: [RuntimeHealth]?
    /// The cells' unchanging texts, when the runtime that took the snapshot keeps them (see ``CellTexts``); not
    /// encoded, and let go whenever the cells or lines are set.
    public var cellTexts: CellTexts?
    /// Each cell's ``CellKeys``, in the cells' order, when the runtime that took the snapshot worked them out; not
    /// encoded, and let go whenever the cells are set (see ``keysOfCells``).
    public var cellKeys: [CellKeys]?
    /// Indices in ``agents`` of the first agents in ``AgentOrder`` (worst first; up to ``worstAgentsKept``), when the
    /// runtime that took the snapshot worked them out; not encoded, and let go whenever the agents are set.
    public var worstAgents: [Int]?
    /// How many agents a runtime puts in ``worstAgents``: more than a Latency pane shows on the tallest screen.
    public static let worstAgentsKept = 256

    private enum CodingKeys: String, CodingKey {
        case plantID, plantName, time, shiftSeconds, isPaused, lines, cells, queues, agents, approvals, policyVersion, audit, isKillSwitchOn,
             telemetryRejects, telemetryRejectReasons, recentTelemetryRejects, telemetryAccepted, telemetrySource, connection, proposals,
             policyProblem, sharedRuntimeID, runtimes
    }

    /// The cells' texts when they describe these cells.
    public var currentCellTexts: CellTexts? {
        guard let cellTexts, cellTexts.count == cells.count, cellTexts.linePositions.count == cells.count else { return nil }
        return cellTexts
    }

    /// Creates a snapshot.
    public init(plantID: String, plantName: String, time: SimTime, shiftSeconds: Double, isPaused: Bool, lines: [LineSnapshot],
                cells: [CellSnapshot], queues: [QueueSnapshot], agents: [AgentSnapshot], approvals: [ApprovalSnapshot],
                policyVersion: String?, audit: AuditHealth, isKillSwitchOn: Bool, telemetryRejects: Int, proposals: Int,
                policyProblem: String? = nil) {
        self.plantID = plantID
        self.plantName = plantName
        self.time = time
        self.shiftSeconds = shiftSeconds
        self.isPaused = isPaused
        self.lines = lines
        self.cells = cells
        self.queues = queues
        self.agents = agents
        self.approvals = approvals
        self.policyVersion = policyVersion
        self.audit = audit
        self.isKillSwitchOn = isKillSwitchOn
        self.telemetryRejects = telemetryRejects
        self.proposals = proposals
        self.policyProblem = policyProblem
    }

    /// Pending approvals ordered by risk (highest first), then deadline (soonest first).
    public var pendingApprovals: [ApprovalSnapshot] {
        approvals.filter { $0.state == .pending }.sorted {
            ($0.proposal.risk.rank, -$0.deadline) > ($1.proposal.risk.rank, -$1.deadline)
        }
    }
}
