import AndonCore

extension PlantEngine {
    /// Every queue the runtime has: WIP buffers, then agent mailboxes and the decision queue.
    public var queueSnapshots: [QueueSnapshot] { queueSnapshots(then: []) }

    /// Every queue the runtime has, then `others`, in one array allocated at its size: 50,000 queues in a plant of
    /// 10,000 cells.
    func queueSnapshots(then others: [QueueSnapshot]) -> [QueueSnapshot] {
        var queues: [QueueSnapshot] = []
        queues.reserveCapacity(twin.buffers.count + slots.count + 1 + others.count)
        queues.append(contentsOf: twin.bufferSnapshots)
        for s in slots.indices {
            let f = slots[s].mailbox.figures
            queues.append(QueueSnapshot(id: slots[s].mailbox.name, kind: .mailbox, capacity: f.capacity, depth: f.depth, highWater: f.highWater,
                                        drops: f.drops, waits: f.waits))
        }
        let d = decisionQueue.figures
        queues.append(QueueSnapshot(id: decisionQueue.name, kind: .mailbox, capacity: d.capacity, depth: d.depth, highWater: d.highWater, drops: d.drops, waits: d.waits))
        queues.append(contentsOf: others)
        return queues
    }

    /// Latency figures of every agent.
    public var agentSnapshots: [AgentSnapshot] { slots.indices.map { agentSnapshot($0) } + outsideAgentSnapshots }

    /// An immutable picture of everything a front end draws, assembled here and nowhere else: the engine's own
    /// state, and what its driver adds (`context`: pause, the telemetry door's counts, front-end queues). Cells, agents
    /// and queues that did not change since the last snapshot are shared with it, not built again.
    public func snapshot(_ context: SnapshotContext = SnapshotContext()) -> PlantSnapshot {
        let approvals = desk.book.all.suffix(60).map(\.snapshot) + desk.otherRuntimesApprovals
        let lineCells = cachedLineCells()
        let agents = cachedAgentSnapshots()
        let cells = cachedCellSnapshots()
        var snapshot = PlantSnapshot(plantID: plant.id, plantName: plant.name, time: twin.time, shiftSeconds: plant.shiftSeconds, isPaused: context.isPaused,
                                     lines: twin.lines.indices.map { twin.lineSnapshot($0, cellIDs: lineCells[$0]) },
                                     cells: cells,
                                     queues: cachedQueueSnapshots(then: context.frontEndQueues), agents: agents, approvals: Array(approvals), policyVersion: desk.policyVersion,
                                     audit: trail.health, isKillSwitchOn: desk.isKillSwitchOn, telemetryRejects: context.door?.rejects.total ?? 0,
                                     proposals: proposalCount, policyProblem: desk.policyProblem)
        if let door = context.door {
            snapshot.telemetryRejectReasons = door.rejects.countsByName
            snapshot.recentTelemetryRejects = door.rejects.recent
            snapshot.telemetryAccepted = feed.accepted
        }
        snapshot.cellTexts = cachedCellTexts()
        snapshot.worstAgents = cachedWorstAgents(agents)
        snapshot.cellKeys = cachedCellKeys(cells)
        snapshot.telemetrySource = context.source
        snapshot.sharedRuntimeID = trail.ledger?.runtimeID
        return snapshot
    }

    /// The pending approvals now.
    public var pendingApprovals: [Approval] { desk.book.pending }

    /// Every approval still held in memory.
    public var approvals: [Approval] { desk.book.all }

    /// Idempotency keys applied so far.
    public var appliedKeys: Set<String> { desk.appliedKeys }
}

/// What a snapshot shows that the engine does not hold: set by whoever drives it.
public struct SnapshotContext: Sendable {
    /// The plant clock is paused.
    public var isPaused: Bool
    /// The telemetry door's counts, when an external stream feeds the run.
    public var door: TelemetryDoorFigures?
    /// The external telemetry source's state, when one feeds the run.
    public var source: TelemetrySourceStatus?
    /// Queues between the runtime and its front ends.
    public var frontEndQueues: [QueueSnapshot]

    /// A context.
    public init(isPaused: Bool = false, door: TelemetryDoorFigures? = nil, source: TelemetrySourceStatus? = nil, frontEndQueues: [QueueSnapshot] = []) {
        self.isPaused = isPaused
        self.door = door
        self.source = source
        self.frontEndQueues = frontEndQueues
    }
}
