import AndonCore

/// What an agent is handed: its cell's telemetry or state change, each with the chain it belongs to, or a periodic
/// tick. Small enough to travel through mailboxes by value.
public enum AgentInput: Sendable {
    /// A reading set from the agent's cell (or, for a planner, a cell of its line).
    case telemetry(TelemetryFrame, correlation: CorrelationID)
    /// The agent's cell changed state.
    case stateChanged(StateChange, correlation: CorrelationID)
    /// A periodic check at simulated time `at` (staleness, timers).
    case tick(at: SimTime)

    /// State changes are never dropped; telemetry and ticks can be.
    var eventClass: EventClass {
        if case .stateChanged = self { return .control }
        return .telemetry
    }

    /// The chain a proposal made on this input at simulated time `now` belongs to: its event's, or for a tick the
    /// periodic check of the second it was decided in.
    func correlation(at now: SimTime) -> CorrelationID {
        switch self {
        case let .telemetry(_, correlation), let .stateChanged(_, correlation): correlation
        case .tick: CorrelationID(tickAt: Int(now))
        }
    }
}

/// An action an agent wants, before the runtime stamps it with ids, agent and time.
public struct ProposalDraft: Sendable, Hashable {
    /// What to do.
    public var action: ActionKind
    /// Parameters.
    public var parameters: [String: Double]
    /// Cell or line acted on.
    public var target: String
    /// Why.
    public var rationale: String
    /// Figures behind it.
    public var evidence: [Evidence]
    /// Risk class.
    public var risk: RiskClass
    /// The same key applies once.
    public var idempotencyKey: String

    /// Creates a draft.
    public init(action: ActionKind, parameters: [String: Double] = [:], target: String, rationale: String, evidence: [Evidence],
                risk: RiskClass, idempotencyKey: String) {
        self.action = action
        self.parameters = parameters
        self.target = target
        self.rationale = rationale
        self.evidence = evidence
        self.risk = risk
        self.idempotencyKey = idempotencyKey
    }
}

/// What an agent decided for one input.
public struct AgentOutput: Sendable {
    /// New proposals.
    public var proposals: [ProposalDraft] = []
    /// Idempotency keys of earlier proposals whose condition has cleared.
    public var withdrawals: [String] = []
    /// Raise (true) or clear (false) the cell's data-quality alarm.
    public var dataQuality: Bool?
    /// Simulated think time added to the measured latency (the planner only).
    public var simulatedThinkSeconds = 0.0

    /// Nothing decided.
    public init() {}

    mutating func reset() {
        if !proposals.isEmpty { proposals.removeAll(keepingCapacity: true) }
        if !withdrawals.isEmpty { withdrawals.removeAll(keepingCapacity: true) }
        dataQuality = nil
        simulatedThinkSeconds = 0
    }
}

/// Read-only facts an agent may consult besides its inputs.
public protocol PlantView {
    /// Simulated time now.
    var now: SimTime { get }
    /// Seconds beyond which data is stale.
    var staleAfter: Double { get }
    /// Seconds since the last telemetry of a cell.
    func dataAge(of cell: String) -> Double
    /// Seconds since the last telemetry of the cell at `index` in plant order (an agent's own cell, looked up
    /// on every input, goes by index rather than by name).
    func dataAge(ofCellAt index: Int) -> Double
    /// A cell's PackML state, reason and speed.
    func status(of cell: String) -> (state: PackMLState, reason: StateReason, speed: Double)?
    /// The PackML state, reason and speed of the cell at `index` in plant order.
    func status(ofCellAt index: Int) -> (state: PackMLState, reason: StateReason, speed: Double)
    /// The cells before and after `cell` on its line.
    func neighbours(of cell: String) -> (upstream: String?, downstream: String?)
    /// A line's good output per hour over the rolling window, its demand, and its mean speed.
    func lineRate(of line: String) -> (perHour: Double, demand: Double, speed: Double)?
}

/// An autonomous agent watching one cell (or, for the planner, its line).
public protocol PlantAgent: AnyObject {
    /// Its definition.
    var spec: AgentSpec { get }
    /// True when its latency includes simulated think time.
    var isSimulated: Bool { get }
    /// How many inputs it takes from its mailbox per tick (nil: all).
    var inputsPerTick: Int? { get }
    /// False for an agent that reads a telemetry frame's state and time but not its readings: its mailbox keeps the
    /// frames it has not yet looked at without them, so no reading set is held for it.
    var readsReadings: Bool { get }
    /// Decides what to do about one input. `view` answers during this call only: an agent keeps what it read, not
    /// the view.
    func handle(_ input: AgentInput, view: any PlantView, output: inout AgentOutput)
}

extension PlantAgent {
    /// Ordinary agents are not simulated.
    public var isSimulated: Bool { false }
    /// Ordinary agents keep up with their mailbox.
    public var inputsPerTick: Int? { nil }
    /// Ordinary agents read the readings.
    public var readsReadings: Bool { true }
}

/// Turns a condition into one proposal per episode: the condition must clear (with hysteresis) before
/// it can raise another, and a cool-down spaces proposals of the same kind.
struct Episode {
    private(set) var isActive = false
    private(set) var number = 0
    /// When the current episode began; part of idempotency keys, so keys stay unique across restarts.
    private(set) var startedAt: SimTime = 0
    private(set) var level = 0
    private var lastProposalAt: SimTime = -.infinity

    /// Enters or raises the episode to `level`; true when a proposal should be made now.
    mutating func raise(to level: Int, at now: SimTime, coolDown: Double) -> Bool {
        if !isActive {
            isActive = true
            number += 1
            startedAt = now
            self.level = 0
        }
        guard level > self.level, now - lastProposalAt >= coolDown || level > 1 else { return false }
        self.level = level
        lastProposalAt = now
        return true
    }

    /// The idempotency key of this episode's proposal of `action` by `agent`.
    func key(_ agent: String, _ action: ActionKind) -> String { "\(agent)/\(action.rawValue)/t\(Int(startedAt))" }

    /// Clears the episode; true when it was active.
    mutating func clear() -> Bool {
        defer { isActive = false; level = 0 }
        return isActive
    }
}

/// What a cell agent keeps of its cell's definition: a plant of 10,000 cells has 40,000 agents, and a whole
/// `CellSpec` in each (names, timings, the agent list) adds up.
struct AgentCell {
    /// The cell's id.
    let id: String
    /// Its sensors, in reading order.
    let sensors: [SensorSpec]
    /// Its baseline scrap rate.
    let scrapRate: Double

    init(_ spec: CellSpec) {
        id = spec.id
        sensors = spec.sensors
        scrapRate = spec.scrapRate
    }
}
