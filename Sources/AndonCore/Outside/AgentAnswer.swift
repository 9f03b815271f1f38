/// The runtime's answer to one ``AgentRequest``.
public enum AgentAnswer: Sendable, Hashable, Codable {
    /// The plant in brief and the agent as the runtime knows it.
    case plant(brief: PlantBrief)
    /// Every cell, briefly, as of read `read`.
    case cells(read: UInt64, cells: [CellView])
    /// One cell in full, as of read `read`.
    case cell(read: UInt64, cell: CellView)
    /// Proposals with their fate (own proposals, or pending approvals the agent caused).
    case proposals(proposals: [OutsideOutcome])
    /// One proposal's fate: the answer to a proposal, a question about one, or a withdrawal.
    case outcome(outcome: OutsideOutcome)
    /// Recent events, oldest first.
    case events(events: [EventLine])
    /// The request was refused before it did anything (and, where it matters, recorded).
    case refused(reason: String)
}

/// The plant in brief, for an outside agent.
public struct PlantBrief: Sendable, Hashable, Codable {
    /// The plant's id.
    public var id: String
    /// Its name.
    public var name: String
    /// Simulated seconds since the start of the run, and as a clock.
    public var time: Double, clock: String
    /// Its lines, each with its cells in flow order.
    public var lines: [LineBrief]
    /// True while the kill switch holds every agent in shadow.
    public var isKillSwitchOn: Bool
    /// The policy in force.
    public var policyVersion: String?
    /// Data older than this (seconds) is stale.
    public var staleAfterSeconds: Double
    /// The agent asking, as declared (and its mode now).
    public var agent: OutsideAgentBrief

    /// A brief.
    public init(id: String, name: String, time: Double, clock: String, lines: [LineBrief], isKillSwitchOn: Bool, policyVersion: String?,
                staleAfterSeconds: Double, agent: OutsideAgentBrief) {
        self.id = id
        self.name = name
        self.time = time
        self.clock = clock
        self.lines = lines
        self.isKillSwitchOn = isKillSwitchOn
        self.policyVersion = policyVersion
        self.staleAfterSeconds = staleAfterSeconds
        self.agent = agent
    }
}

/// A line in brief.
public struct LineBrief: Sendable, Hashable, Codable {
    /// Its id and name.
    public var id: String, name: String
    /// Its cells in flow order.
    public var cells: [String]

    /// A line.
    public init(id: String, name: String, cells: [String]) {
        self.id = id
        self.name = name
        self.cells = cells
    }
}

/// An outside agent as the runtime knows it.
public struct OutsideAgentBrief: Sendable, Hashable, Codable {
    /// Its id and version.
    public var id: String, version: String
    /// Its mode now (shadow while the kill switch or its own switch holds it).
    public var mode: AgentMode
    /// What it may act on (`line body`, `cell B2`).
    public var scope: String
    /// What it may propose.
    public var actions: [ActionKind]
    /// Its rate limit as declared (`30/min`) and its burst.
    public var rateLimit: String, burst: Int
    /// Its latency budget, seconds.
    public var budgetSeconds: Double
    /// In this run: its proposals, those refused before the policy, and those refused for its rate.
    public var proposals: Int, refused: Int, throttled: Int

    /// A brief.
    public init(id: String, version: String, mode: AgentMode, scope: String, actions: [ActionKind], rateLimit: String, burst: Int, budgetSeconds: Double,
                proposals: Int = 0, refused: Int = 0, throttled: Int = 0) {
        self.id = id
        self.version = version
        self.mode = mode
        self.scope = scope
        self.actions = actions
        self.rateLimit = rateLimit
        self.burst = burst
        self.budgetSeconds = budgetSeconds
        self.proposals = proposals
        self.refused = refused
        self.throttled = throttled
    }
}

/// A cell as an outside agent reads it.
public struct CellView: Sendable, Hashable, Codable {
    /// Its id, name, line and kind.
    public var id: String, name: String, line: String, kind: String
    /// PackML state and the status shown (`EXEC`, `HELD`, `STALE`, …).
    public var state: String, status: String
    /// Speed setpoint, percent of design.
    public var speedPercent: Double
    /// Seconds since its last telemetry, and whether that is stale.
    public var dataAgeSeconds: Double, isStale: Bool
    /// Alarms active now.
    public var activeAlarms: Int
    /// Its sensors with their latest readings and limits.
    public var sensors: [SensorView]
    /// Its alarms (a full read of one cell only).
    public var alarms: [AlarmView]?

    /// A cell view from a snapshot of the cell.
    public init(_ cell: CellSnapshot, detailed: Bool) {
        id = cell.id
        name = cell.name
        line = cell.line
        kind = cell.kind
        state = cell.state.rawValue
        status = cell.status.rawValue
        speedPercent = cell.speedPercent
        dataAgeSeconds = cell.dataAge
        isStale = cell.isStale
        activeAlarms = cell.activeAlarms
        sensors = cell.sensors.map(SensorView.init)
        alarms = detailed ? cell.alarms.map(AlarmView.init) : nil
    }
}

/// A sensor's latest reading and limits.
public struct SensorView: Sendable, Hashable, Codable {
    /// Its id and kind.
    public var id: String, kind: String
    /// The latest reading, its unit and the nominal value.
    public var value: Double, unit: String, nominal: Double
    /// Limits, where set.
    public var lowAlarm: Double?, highWarn: Double?, highAlarm: Double?, trip: Double?

    /// A view of a reading.
    public init(_ reading: SensorReading) {
        id = reading.id
        kind = reading.kind.rawValue
        value = reading.value
        unit = reading.kind.unit
        nominal = reading.nominal
        lowAlarm = reading.limits.lowAlarm
        highWarn = reading.limits.highWarn
        highAlarm = reading.limits.highAlarm
        trip = reading.limits.trip
    }
}

/// An alarm as an agent reads it.
public struct AlarmView: Sendable, Hashable, Codable {
    /// Tag, priority (1 highest), state and message.
    public var tag: String, priority: Int, state: String, message: String

    /// A view of an alarm.
    public init(_ alarm: AlarmSummary) {
        tag = alarm.tag
        priority = alarm.priority
        state = alarm.state.rawValue
        message = alarm.message
    }
}

/// One event in words.
public struct EventLine: Sendable, Hashable, Codable {
    /// Its sequence number, simulated time and cell (if any).
    public var sequence: UInt64, time: Double, cell: String?
    /// What kind (`alarm`, `proposal`, `decision`, …) and what it says.
    public var kind: String, text: String

    /// An event line.
    public init(sequence: UInt64, time: Double, cell: String?, kind: String, text: String) {
        self.sequence = sequence
        self.time = time
        self.cell = cell
        self.kind = kind
        self.text = text
    }
}

/// Where an outside agent's proposal stands.
public enum OutsideState: String, Sendable, Hashable, Codable {
    /// Allowed by the policy and carried out, after its decision was committed.
    case executed
    /// Allowed, but not carried out (the audit store refused the commit, or the action found nothing to do).
    case notExecuted = "not_executed"
    /// Refused by the policy: see its rules and reasons.
    case denied
    /// Waiting for people: see its approval id and deadline.
    case pending
    /// People approved it and it ran.
    case approved
    /// A person rejected it.
    case rejected
    /// Its deadline passed undecided.
    case expired
    /// Withdrawn before anyone decided.
    case withdrawn
    /// Judged and recorded only (the agent is in shadow, or the kill switch is on): never executed.
    case shadow
    /// Refused before the policy saw it (see the message).
    case refused
    /// Recorded, but no policy is in force: nothing is decided or executed.
    case undecided
}

/// An outside agent's proposal and where it stands.
public struct OutsideOutcome: Sendable, Hashable, Codable {
    /// The proposal's id (nil when refused before it became one).
    public var proposalID: String?
    /// The key it was sent with.
    public var idempotencyKey: String
    /// What and where.
    public var action: String, target: String
    /// Where it stands.
    public var state: OutsideState
    /// In words, with what to do next.
    public var message: String
    /// The rules that decided it, and their reasons.
    public var rules: [String], reasons: [String]
    /// For an approval: its id (the proposal's), who may decide, and by when (simulated seconds, and as a clock).
    public var approvalID: String?, approvers: [String]?, deadline: Double?, deadlineClock: String?
    /// True when this answers a key already used: the first proposal's fate, nothing done again.
    public var isReplay: Bool

    /// An outcome.
    public init(proposalID: String?, idempotencyKey: String, action: String, target: String, state: OutsideState, message: String,
                rules: [String] = [], reasons: [String] = [], approvalID: String? = nil, approvers: [String]? = nil, deadline: Double? = nil,
                deadlineClock: String? = nil, isReplay: Bool = false) {
        self.proposalID = proposalID
        self.idempotencyKey = idempotencyKey
        self.action = action
        self.target = target
        self.state = state
        self.message = message
        self.rules = rules
        self.reasons = reasons
        self.approvalID = approvalID
        self.approvers = approvers
        self.deadline = deadline
        self.deadlineClock = deadlineClock
        self.isReplay = isReplay
    }
}
