/// What an outside agent may act on: one cell, or a line and its cells.
public enum AgentScope: Sendable, Hashable {
    /// One cell.
    case cell(String)
    /// A line: the line itself and every cell on it.
    case line(String)

    /// The cell's or the line's id.
    public var id: String {
        switch self {
        case let .cell(id), let .line(id): id
        }
    }

    /// `cell B2` or `line body`.
    public var description: String {
        switch self {
        case let .cell(id): "cell \(id)"
        case let .line(id): "line \(id)"
        }
    }
}

/// How often an outside agent may propose: `rate` a second sustained, `burst` at once.
public struct ProposalRate: Sendable, Hashable {
    /// Proposals a second, sustained.
    public var perSecond: Double
    /// Proposals at once.
    public var burst: Int
    /// As written (`30/min`).
    public var text: String

    /// A rate.
    public init(perSecond: Double, burst: Int, text: String) {
        self.perSecond = perSecond
        self.burst = burst
        self.text = text
    }

    /// Reads `N/s`, `N/min` or `N/h` (also `N/sec`, `N/m`, `N/hour`); nil for anything else.
    public static func parse(_ text: String) -> (count: Double, seconds: Double)? {
        let parts = text.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let count = Double(parts[0]), count.isFinite, count > 0 else { return nil }
        let seconds: Double
        switch parts[1] {
        case "s", "sec", "second": seconds = 1
        case "m", "min", "minute": seconds = 60
        case "h", "hour": seconds = 3600
        default: return nil
        }
        return (count, seconds)
    }
}

/// An agent outside the runtime, declared in the plant (`kind: external`): it attaches to the service socket under
/// this id and may propose only `actions`, on its scope, at its rate; the policy judges every proposal like a
/// built-in agent's.
public struct OutsideAgentSpec: Sendable, Hashable {
    /// Identifier, unique in the plant among all agents.
    public var id: String
    /// Version, recorded with each proposal.
    public var version: String
    /// Mode at start: active, shadow (judged and recorded, never executed) or off (refused at hello).
    public var mode: AgentMode
    /// Decision latency budget, seconds: request received to answer sent.
    public var budgetSeconds: Double
    /// The cell or line it may act on.
    public var scope: AgentScope
    /// The actions it may propose, as declared.
    public var actions: [ActionKind]
    /// How often it may propose.
    public var rate: ProposalRate

    /// Creates an outside agent's definition.
    public init(id: String, version: String, mode: AgentMode, budgetSeconds: Double, scope: AgentScope, actions: [ActionKind], rate: ProposalRate) {
        self.id = id
        self.version = version
        self.mode = mode
        self.budgetSeconds = budgetSeconds
        self.scope = scope
        self.actions = actions
        self.rate = rate
    }

    /// The same agent as the governance desk and the latency figures know agents (kind `external`, the cell or line
    /// it acts on).
    public var agentSpec: AgentSpec {
        AgentSpec(id: id, kind: .external, version: version, mode: mode, budgetSeconds: budgetSeconds, cell: scope.id)
    }
}
