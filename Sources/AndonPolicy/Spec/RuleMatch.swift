import AndonCore

/// The conditions of a rule; every condition present must hold, and an absent one holds always.
public struct RuleMatch: Sendable, Hashable {
    /// Action kinds, or `nil` for any.
    public var actions: Set<ActionKind>?
    /// Glob patterns (`*`, `?`) over the target cell or line id, or `nil` for any.
    public var targets: [String]?
    /// Glob patterns over the line id, or `nil` for any.
    public var lines: [String]?
    /// Risk classes, or `nil` for any.
    public var risks: Set<RiskClass>?
    /// Proposing agent kinds, or `nil` for any.
    public var agents: Set<AgentKind>?
    /// Cell states (PackML names or status words), or `nil` for any.
    public var states: Set<CellCondition>?
    /// Seconds since the newest data behind the proposal.
    public var dataAge: Interval
    /// Size of the change in percent.
    public var changePercent: Interval
    /// The cell's OEE over the shift, 0–1.
    public var oee: Interval
    /// Seconds since the shift started.
    public var shiftElapsed: Interval
    /// Whether the proposal comes from a shadow agent, or `nil` for either.
    public var isShadow: Bool?

    /// Creates a match; with no arguments it matches everything.
    public init(actions: Set<ActionKind>? = nil, targets: [String]? = nil, lines: [String]? = nil, risks: Set<RiskClass>? = nil,
                agents: Set<AgentKind>? = nil, states: Set<CellCondition>? = nil, dataAge: Interval = .any, changePercent: Interval = .any,
                oee: Interval = .any, shiftElapsed: Interval = .any, isShadow: Bool? = nil) {
        self.actions = actions
        self.targets = targets
        self.lines = lines
        self.risks = risks
        self.agents = agents
        self.states = states
        self.dataAge = dataAge
        self.changePercent = changePercent
        self.oee = oee
        self.shiftElapsed = shiftElapsed
        self.isShadow = isShadow
    }

    /// True when the rule has conditions beyond action, target, line, risk and agent.
    public var hasPredicates: Bool {
        states != nil || isShadow != nil || [dataAge, changePercent, oee, shiftElapsed].contains { !$0.isUnbounded }
    }
}

/// A cell condition a rule can name: a PackML state (`Held`) or a status word (`STARVED`).
public enum CellCondition: Sendable, Hashable, Comparable {
    /// A PackML state, by its name.
    case state(PackMLState)
    /// A status word as shown on the console.
    case status(CellStatus)

    /// Reads a PackML state name or a status word.
    public init?(name: String) {
        if let state = PackMLState(rawValue: name) {
            self = .state(state)
        } else if let status = CellStatus(rawValue: name) {
            self = .status(status)
        } else {
            return nil
        }
    }

    /// Every name a rule may use.
    public static var allNames: [String] { PackMLState.allCases.map(\.rawValue) + CellStatus.allCases.map(\.rawValue) }

    /// The name as written in a policy.
    public var name: String {
        switch self {
        case let .state(state): state.rawValue
        case let .status(status): status.rawValue
        }
    }

    /// The bit standing for this condition in a state mask.
    public var bit: UInt32 {
        switch self {
        case let .state(state): 1 << UInt32(Self.states.firstIndex(of: state)!)
        case let .status(status): 1 << UInt32(Self.states.count + Self.statuses.firstIndex(of: status)!)
        }
    }

    private static let states = PackMLState.allCases
    private static let statuses = CellStatus.allCases

    /// Orders by name.
    public static func < (lhs: CellCondition, rhs: CellCondition) -> Bool { lhs.name < rhs.name }
}
