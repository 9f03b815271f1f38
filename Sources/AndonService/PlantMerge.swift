import AndonCore

/// What a plant-wide console knows of one of its runtimes: its name, its socket, the last snapshot it sent, how the
/// link stands, and who this console is there.
public struct RuntimePart: Sendable {
    /// The name that qualifies its ids (`body`).
    public var name: String
    /// Its socket.
    public var socket: String
    /// The last snapshot it sent, nil before the first.
    public var snapshot: PlantSnapshot?
    /// How the link stands.
    public var link: RuntimeLinkState
    /// What is wrong while it is not connected.
    public var problem: String?
    /// Who this console is there, as its roster has it.
    public var person: Person?

    /// A runtime's part.
    public init(name: String, socket: String, snapshot: PlantSnapshot? = nil, link: RuntimeLinkState, problem: String? = nil, person: Person? = nil) {
        self.name = name
        self.socket = socket
        self.snapshot = snapshot
        self.link = link
        self.problem = problem
        self.person = person
    }
}

/// Several runtimes' snapshots made into the one plant a plant-wide console draws: each runtime's lines under a group
/// heading of its own, ids qualified by runtime, every time on one clock (the first connected runtime's), pending
/// approvals of all runtimes ordered by deadline, and each runtime's health in ``PlantSnapshot/runtimes``.
public enum PlantMerge {
    /// The plant of `parts`, called `plantName`; nil until some runtime has sent a snapshot.
    public static func merge(_ parts: [RuntimePart], plantName: String) -> PlantSnapshot? {
        let reference = parts.first { $0.link == .connected && $0.snapshot != nil }?.snapshot ?? parts.lazy.compactMap(\.snapshot).first
        guard let reference else { return nil }
        let connected = parts.filter { $0.link == .connected }.compactMap(\.snapshot)
        var merged = PlantSnapshot(plantID: "plant", plantName: plantName, time: reference.time, shiftSeconds: reference.shiftSeconds,
                                   isPaused: !connected.isEmpty && connected.allSatisfy(\.isPaused), lines: [], cells: [], queues: [],
                                   agents: [], approvals: [], policyVersion: nil, audit: .none,
                                   isKillSwitchOn: !connected.isEmpty && connected.allSatisfy(\.isKillSwitchOn), telemetryRejects: 0, proposals: 0)
        // Runtimes sharing a store offer each other's pending approvals; one whose own runtime is here and connected is
        // shown once, from that runtime.
        let present = Set(parts.filter { $0.link == .connected }.compactMap { $0.snapshot?.sharedRuntimeID })
        var health: [RuntimeHealth] = []
        var audits: [(String, AuditHealth)] = []
        var versions: [String] = []
        for part in parts {
            var runtime = RuntimeHealth(name: part.name, socket: part.socket, link: part.link, problem: part.problem, person: part.person?.label)
            merged.lines.append(LineSnapshot(id: runtime.headingLineID, name: part.name, cells: [], shiftOEE: .zero, rollingOEE: .zero,
                                             output: 0, taktSeconds: 0))
            defer { health.append(runtime) }
            guard let snapshot = part.snapshot else { continue }
            let own = RuntimeQualifier(runtime: part.name, offset: reference.time - snapshot.time).qualify(snapshot, isLinkUp: part.link == .connected)
            runtime.plantName = snapshot.plantName
            runtime.isAuditHealthy = snapshot.audit.isHealthy
            runtime.isKillSwitchOn = snapshot.isKillSwitchOn
            runtime.isPaused = snapshot.isPaused
            runtime.alarmsInView = snapshot.cells.reduce(0) { $0 + $1.activeAlarms }
            runtime.cellsDown = snapshot.cells.count { $0.state.isDown }
            runtime.pendingApprovals = snapshot.approvals.count { $0.state == .pending }
            merged.lines[merged.lines.count - 1].name = snapshot.plantName
            merged.lines += own.lines
            merged.cells += own.cells
            merged.queues += own.queues
            merged.agents += own.agents
            merged.approvals += own.approvals.filter { approval in approval.runtime.map { !present.contains($0) } ?? true }
            merged.telemetryRejects += snapshot.telemetryRejects
            merged.telemetryRejectReasons.merge(snapshot.telemetryRejectReasons, uniquingKeysWith: +)
            merged.recentTelemetryRejects += snapshot.recentTelemetryRejects
            if let accepted = snapshot.telemetryAccepted { merged.telemetryAccepted = (merged.telemetryAccepted ?? 0) + accepted }
            merged.proposals += snapshot.proposals
            if let version = snapshot.policyVersion, !versions.contains(version) { versions.append(version) }
            if merged.policyProblem == nil, let problem = snapshot.policyProblem { merged.policyProblem = "\(part.name): \(problem)" }
            if part.link == .connected { audits.append((part.name, snapshot.audit)) }
        }
        // Pending first, the nearest deadline first whichever runtime asks; then the recently decided ones.
        merged.approvals.sort { a, b in
            let pendingA = a.state == .pending, pendingB = b.state == .pending
            if pendingA != pendingB { return pendingA }
            return pendingA ? (a.deadline, -a.proposal.risk.rank) < (b.deadline, -b.proposal.risk.rank) : false
        }
        merged.policyVersion = versions.isEmpty ? nil : versions.joined(separator: " / ")
        merged.audit = audit(of: audits)
        merged.runtimes = health
        merged.workOutFrameKeys()
        return merged
    }

    /// One audit health for the header: healthy while every connected runtime's store commits, else the first problem.
    private static func audit(of audits: [(name: String, health: AuditHealth)]) -> AuditHealth {
        let failing = audits.first { !$0.health.isHealthy }
        return AuditHealth(isHealthy: failing == nil, records: audits.reduce(0) { $0 + $1.health.records },
                           location: "\(audits.count) stores", problem: failing.map { "\($0.name): \($0.health.problem ?? "records are not being committed")" },
                           unwritten: audits.reduce(0) { $0 + $1.health.unwritten })
    }
}
