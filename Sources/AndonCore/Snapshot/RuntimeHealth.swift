/// How a plant-wide console's link to one of its runtimes stands.
public enum RuntimeLinkState: String, Sendable, Hashable, Codable {
    /// Snapshots are coming in; commands go through.
    case connected
    /// The link was lost a moment ago and is being retried; commands are refused until it is back.
    case reconnecting
    /// Nothing answers on its socket (or has not for a while); retried with a backoff, commands refused.
    case down
}

/// One runtime of a plant-wide console (`andon attach` over several sockets): its link and its own health summary,
/// for the header and the heading of its group in the cells pane.
///
/// In a plant-wide snapshot every id of a runtime (cells, lines, queues, agents, approvals, alarm tags) is qualified
/// by the runtime's name (``RuntimeQualifiedID``), and its group heading travels as a line with no cells whose id is
/// ``headingLineID``, placed before the runtime's own lines.
public struct RuntimeHealth: Sendable, Hashable, Codable {
    /// The runtime's name in this console: the prefix of its qualified ids (`body`).
    public var name: String
    /// Its plant's name, once it has said.
    public var plantName: String?
    /// Its socket.
    public var socket: String
    /// How the link stands.
    public var link: RuntimeLinkState
    /// What is wrong while it is not connected.
    public var problem: String?
    /// The person this console is there, as that runtime's roster has it (`ana (supervisor)`).
    public var person: String?
    /// Its audit store commits.
    public var isAuditHealthy: Bool
    /// Its kill switch holds its agents in shadow.
    public var isKillSwitchOn: Bool
    /// Its plant clock is paused.
    public var isPaused: Bool
    /// Alarms in view on its cells.
    public var alarmsInView: Int
    /// Its cells that are down (held, stopped, aborted).
    public var cellsDown: Int
    /// Its approvals waiting for people.
    public var pendingApprovals: Int

    /// A runtime's health.
    public init(name: String, plantName: String? = nil, socket: String, link: RuntimeLinkState, problem: String? = nil, person: String? = nil,
                isAuditHealthy: Bool = true, isKillSwitchOn: Bool = false, isPaused: Bool = false, alarmsInView: Int = 0, cellsDown: Int = 0,
                pendingApprovals: Int = 0) {
        self.name = name
        self.plantName = plantName
        self.socket = socket
        self.link = link
        self.problem = problem
        self.person = person
        self.isAuditHealthy = isAuditHealthy
        self.isKillSwitchOn = isKillSwitchOn
        self.isPaused = isPaused
        self.alarmsInView = alarmsInView
        self.cellsDown = cellsDown
        self.pendingApprovals = pendingApprovals
    }

    /// The id of the line that stands for this runtime's group heading in the cells pane.
    public var headingLineID: String { RuntimeQualifiedID.make(name, "") }
}

/// Ids of a plant-wide console: a runtime's name, `/`, and the id that runtime uses (`body/B2`, `paint/B2.vibration.HI`).
/// Plant ids never hold a `/`, so the first one splits them.
public enum RuntimeQualifiedID {
    /// Between the runtime's name and its own id.
    public static let separator: Character = "/"

    /// `id` of the runtime `runtime`.
    public static func make(_ runtime: String, _ id: String) -> String { runtime + String(separator) + id }

    /// The runtime's name and its own id; nil when `id` is not qualified.
    public static func split(_ id: String) -> (runtime: String, local: String)? {
        guard let slash = id.firstIndex(of: separator) else { return nil }
        return (String(id[..<slash]), String(id[id.index(after: slash)...]))
    }

    /// The runtime's own id: `B2` for `body/B2`, `id` itself when it is not qualified.
    public static func local(_ id: String) -> String { split(id)?.local ?? id }
}
