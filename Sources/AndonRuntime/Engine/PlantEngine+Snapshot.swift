import AndonCore

extension PlantEngine {
    /// Every queue the runtime has: WIP buffers, then agent mailboxes and the decision queue.
    public var queueSnapshots: [QueueSnapshot] {
        var queues = twin.bufferSnapshots
        queues.append(contentsOf: slots.map { slot in
            let f = slot.mailbox.figures
            return QueueSnapshot(id: slot.mailbox.name, kind: .mailbox, capacity: f.capacity, depth: f.depth, highWater: f.highWater, drops: f.drops, waits: f.waits)
        })
        let d = decisionQueue.figures
        queues.append(QueueSnapshot(id: decisionQueue.name, kind: .mailbox, capacity: d.capacity, depth: d.depth, highWater: d.highWater, drops: d.drops, waits: d.waits))
        return queues
    }

    /// Latency figures of every agent.
    public var agentSnapshots: [AgentSnapshot] {
        slots.indices.map { s in
            let p = slots[s].latency.percentiles()
            let slot = slots[s]
            let spec = slot.agent.spec
            return AgentSnapshot(id: spec.id, cell: spec.cell, kind: spec.kind, version: spec.version, mode: isKillSwitchOn && slot.mode == .active ? .shadow : slot.mode,
                                 budgetSeconds: spec.budgetSeconds, p50: p.p50, p90: p.p90, p99: p.p99, max: p.max, breaches: slot.latency.breaches,
                                 decisions: slot.latency.decisions, proposals: slot.proposals, recentP99: slot.latency.recentP99, isSimulated: slot.agent.isSimulated)
        }
    }

    /// An immutable picture of everything a front end draws.
    public func snapshot(isPaused: Bool = false, telemetryRejects: Int = 0) -> PlantSnapshot {
        let health: AuditHealth
        if let audit {
            var h = audit.health
            if let auditProblem { h.isHealthy = false; h.problem = auditProblem }
            health = h
        } else {
            health = .none
        }
        let approvals = book.all.suffix(60).map(\.snapshot)
        return PlantSnapshot(plantID: plant.id, plantName: plant.name, time: twin.time, shiftSeconds: plant.shiftSeconds, isPaused: isPaused,
                             lines: twin.lines.indices.map { twin.lineSnapshot($0) },
                             cells: twin.cells.indices.map { twin.cellSnapshot($0, staleAfter: plant.staleAfterSeconds) },
                             queues: queueSnapshots, agents: agentSnapshots, approvals: Array(approvals), policyVersion: judge?.version,
                             audit: health, isKillSwitchOn: isKillSwitchOn, telemetryRejects: telemetryRejects, proposals: proposalCount,
                             policyProblem: policyProblem)
    }

    /// The pending approvals now.
    public var pendingApprovals: [Approval] { book.pending }

    /// Every approval still held in memory.
    public var approvals: [Approval] { book.all }

    /// Idempotency keys applied so far.
    public var appliedKeys: Set<String> { executor.appliedKeys }
}
