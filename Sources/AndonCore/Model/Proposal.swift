/// Simulated seconds since the start of a run.
public typealias SimTime = Double

/// Links an event to everything it caused: proposals, decisions, approvals and actions.
public struct CorrelationID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// An id is spelled only when it is read: the engine makes one per event, and most are never read.
    private enum Storage: Sendable {
        case text(String)
        case event(UInt64)
        case tick(Int)
    }

    private let storage: Storage

    /// Wraps an id.
    public init(_ rawValue: String) { storage = .text(rawValue) }

    /// The id for the event with sequence number `sequence` (`c-123`).
    public init(sequence: UInt64) { storage = .event(sequence) }

    /// The id of a periodic check at simulated second `second` (`tick-120`).
    public init(tickAt second: Int) { storage = .tick(second) }

    /// The id as text (`c-123`).
    public var rawValue: String {
        switch storage {
        case let .text(text): text
        case let .event(sequence): "c-\(sequence)"
        case let .tick(second): "tick-\(second)"
        }
    }

    /// The id as text.
    public var description: String { rawValue }

    public static func == (a: CorrelationID, b: CorrelationID) -> Bool {
        switch (a.storage, b.storage) {
        case let (.event(x), .event(y)): x == y
        case let (.tick(x), .tick(y)): x == y
        default: a.rawValue == b.rawValue
        }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    private enum CodingKeys: String, CodingKey {
        case rawValue
    }

    /// Read as `{"rawValue": "c-123"}`, the form audit payloads have always had.
    public init(from decoder: any Decoder) throws {
        storage = .text(try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .rawValue))
    }

    /// Written as `{"rawValue": "c-123"}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rawValue, forKey: .rawValue)
    }
}

/// The actions agents may propose. The set is closed: policies name them and are checked against it.
public enum ActionKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Lower a cell's speed setpoint by `percent`: less vibration, longer cycle.
    case reduceSpeed = "reduce_speed"
    /// Put a cell's speed setpoint back to 100%.
    case restoreSpeed = "restore_speed"
    /// Stop a cell for `minutes` of planned maintenance, which removes wear.
    case scheduleMaintenance = "schedule_maintenance"
    /// Stop a cell at once for inspection.
    case stopCell = "stop_cell"
    /// Hold a cell briefly to recalibrate; scrap returns to baseline.
    case recalibrate
    /// Move the last `parts` good parts downstream of a cell into quarantine.
    case quarantineBatch = "quarantine_batch"
    /// Change the speed of the cell feeding a starved or blocked one by `percent`.
    case rebalanceWIP = "rebalance_wip"
    /// Hold a cell at once on a hard limit (safety interlock).
    case holdCell = "hold_cell"
    /// Change every cell's speed on a line by `percent`, to follow demand.
    case adjustLineRate = "adjust_line_rate"
    /// Release a held cell back to Execute.
    case resumeCell = "resume_cell"

    /// What carrying the action out means, for confirmation dialogs.
    public var consequence: String {
        switch self {
        case .reduceSpeed: "the cell runs slower: less vibration, longer cycle time"
        case .restoreSpeed: "the cell returns to full speed"
        case .scheduleMaintenance: "the cell stops for planned maintenance; downstream may starve"
        case .stopCell: "the cell stops now; downstream will starve and upstream may block"
        case .recalibrate: "the cell is held while it recalibrates"
        case .quarantineBatch: "recent good parts are pulled into quarantine"
        case .rebalanceWIP: "the feeding cell changes speed to rebalance work in progress"
        case .holdCell: "the cell is held at once"
        case .adjustLineRate: "every cell on the line changes speed"
        case .resumeCell: "the held cell resumes production"
        }
    }
}

/// How much harm an action can do if it is wrong.
public enum RiskClass: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    case low, medium, high, critical

    /// Ordering from least to most dangerous.
    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        case .critical: 3
        }
    }

    /// Orders by danger.
    public static func < (lhs: RiskClass, rhs: RiskClass) -> Bool { lhs.rank < rhs.rank }
}

/// One figure an agent based its proposal on.
public struct Evidence: Sendable, Hashable, Codable {
    /// What was measured (`vibration (EWMA)`).
    public var name: String
    /// The value.
    public var value: Double
    /// Its unit.
    public var unit: String
    /// The limit it was compared with, if any.
    public var limit: Double?

    /// Creates a figure.
    public init(name: String, value: Double, unit: String, limit: Double? = nil) {
        self.name = name
        self.value = value
        self.unit = unit
        self.limit = limit
    }
}

/// An action an agent asks to carry out, with everything needed to judge it.
public struct Proposal: Sendable, Hashable, Codable, Identifiable {
    /// Unique id (`p-42`).
    public var id: String
    /// What to do.
    public var action: ActionKind
    /// Named numeric parameters (`percent`, `minutes`, `parts`).
    public var parameters: [String: Double]
    /// The cell or line acted on.
    public var target: String
    /// The line of the target.
    public var line: String
    /// Why, in a sentence.
    public var rationale: String
    /// The figures behind the rationale.
    public var evidence: [Evidence]
    /// How dangerous it is.
    public var risk: RiskClass
    /// The same key applies once, however often it is proposed or approved.
    public var idempotencyKey: String
    /// The proposing agent.
    public var agentID: String
    /// The proposing agent's kind.
    public var agentKind: AgentKind
    /// The proposing agent's version.
    public var agentVersion: String
    /// The event that triggered it.
    public var correlationID: CorrelationID
    /// When it was made.
    public var createdAt: SimTime
    /// True when made by an agent in shadow mode: evaluated and recorded, never executed.
    public var isShadow: Bool

    /// Creates a proposal.
    public init(id: String, action: ActionKind, parameters: [String: Double] = [:], target: String, line: String, rationale: String,
                evidence: [Evidence], risk: RiskClass, idempotencyKey: String, agentID: String, agentKind: AgentKind,
                agentVersion: String, correlationID: CorrelationID, createdAt: SimTime, isShadow: Bool = false) {
        self.id = id
        self.action = action
        self.parameters = parameters
        self.target = target
        self.line = line
        self.rationale = rationale
        self.evidence = evidence
        self.risk = risk
        self.idempotencyKey = idempotencyKey
        self.agentID = agentID
        self.agentKind = agentKind
        self.agentVersion = agentVersion
        self.correlationID = correlationID
        self.createdAt = createdAt
        self.isShadow = isShadow
    }

    /// The size of the change in percent, where the action has one (`percent` parameter); nil otherwise.
    public var changePercent: Double? { parameters["percent"].map(abs) }
}
