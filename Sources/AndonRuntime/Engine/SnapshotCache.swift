import AndonCore

/// What the last snapshot was built from, so the next one builds only what changed and shares the rest: an agent's
/// figures are redone only when it decided, proposed, closed an interval or changed mode since; the queues only when a
/// figure of one moved; the lines' lists of cell ids never. Unchanged arrays are handed on as they are, so successive
/// snapshots share their storage.
struct SnapshotCache {
    /// The cells as last shown.
    var cells: [CellSnapshot] = []
    /// The agents as last shown, and what each was built from.
    var agents: [AgentSnapshot] = []
    var agentMarks: [AgentMark] = []
    /// The engine's own queues as last shown: WIP buffers, agent mailboxes, the decision queue.
    var queues: [QueueSnapshot] = []
    /// Each line's cell ids, in flow order.
    var lineCells: [[String]] = []

    /// What an agent's snapshot shows that can change.
    struct AgentMark: Equatable {
        var decisions: Int
        var proposals: Int
        var intervals: Int
        var mode: AgentMode
    }
}

extension PlantEngine {
    /// Every cell, redoing only those that changed since the last call (all of them once the twin stepped); when only
    /// the clock moved, the others keep everything but their figures that go with time.
    func cachedCellSnapshots() -> [CellSnapshot] {
        let staleAfter = plant.staleAfterSeconds
        let changed = twin.changes.take()
        if changed.all || snapshotCache.cells.count != twin.cells.count {
            snapshotCache.cells = twin.cells.indices.map { twin.cellSnapshot($0, staleAfter: staleAfter) }
            return snapshotCache.cells
        }
        if changed.clock {
            // One new array rather than a copy of the shown one and then writes into it.
            let old = snapshotCache.cells
            snapshotCache.cells = old.indices.map { i in
                var cell = old[i]
                twin.refreshTimedFigures(&cell, i, staleAfter: staleAfter)
                return cell
            }
        }
        for i in changed.cells { snapshotCache.cells[i] = twin.cellSnapshot(i, staleAfter: staleAfter) }
        return snapshotCache.cells
    }

    /// Latency figures of every agent, redoing only the agents whose figures moved since the last call: from its last
    /// snapshot, whose names and budget stay, with its figures now.
    func cachedAgentSnapshots() -> [AgentSnapshot] {
        let count = slots.count
        guard snapshotCache.agents.count == count else {
            snapshotCache.agents = slots.indices.map { agentSnapshot($0) }
            snapshotCache.agentMarks = slots.indices.map { agentMark($0, snapshotCache.agents[$0]) }
            return snapshotCache.agents
        }
        var changed: [Int] = []
        for s in 0..<count {
            let mark = agentMark(s, snapshotCache.agents[s])
            if mark != snapshotCache.agentMarks[s] {
                snapshotCache.agentMarks[s] = mark
                changed.append(s)
            }
        }
        guard !changed.isEmpty else { return snapshotCache.agents }
        if changed.count * 4 < count {
            for s in changed { refresh(&snapshotCache.agents[s], s, mode: snapshotCache.agentMarks[s].mode) }
        } else {
            // Most moved (every agent decides every second in a running plant): one new array, not a copy then writes.
            let old = snapshotCache.agents
            var next = 0
            snapshotCache.agents = (0..<count).map { s in
                var agent = old[s]
                if next < changed.count, changed[next] == s {
                    refresh(&agent, s, mode: snapshotCache.agentMarks[s].mode)
                    next += 1
                }
                return agent
            }
        }
        return snapshotCache.agents
    }

    private func agentMark(_ s: Int, _ shown: AgentSnapshot) -> SnapshotCache.AgentMark {
        SnapshotCache.AgentMark(decisions: slots[s].latency.decisions, proposals: slots[s].proposals, intervals: slots[s].latency.intervalsClosed,
                                mode: desk.effectiveMode(id: shown.id, kind: shown.kind, mode: slots[s].mode))
    }

    /// Brings agent `s`'s snapshot to its figures now.
    private func refresh(_ agent: inout AgentSnapshot, _ s: Int, mode: AgentMode) {
        let p = slots[s].latency.percentiles()
        agent.mode = mode
        agent.p50 = p.p50
        agent.p90 = p.p90
        agent.p99 = p.p99
        agent.max = p.max
        agent.breaches = slots[s].latency.breaches
        agent.decisions = slots[s].latency.decisions
        agent.proposals = slots[s].proposals
        agent.recentP99 = slots[s].latency.recentP99
    }

    func agentSnapshot(_ s: Int) -> AgentSnapshot {
        let p = slots[s].latency.percentiles()
        let spec = slots[s].agent.spec
        return AgentSnapshot(id: spec.id, cell: spec.cell, kind: spec.kind, version: spec.version, mode: desk.effectiveMode(of: spec, mode: slots[s].mode),
                             budgetSeconds: spec.budgetSeconds, p50: p.p50, p90: p.p90, p99: p.p99, max: p.max, breaches: slots[s].latency.breaches,
                             decisions: slots[s].latency.decisions, proposals: slots[s].proposals, recentP99: slots[s].latency.recentP99,
                             isSimulated: slots[s].agent.isSimulated)
    }

    /// The engine's queues, updating only those whose figures moved since the last call.
    func cachedQueueSnapshots() -> [QueueSnapshot] {
        let count = twin.buffers.count + slots.count + 1
        if snapshotCache.queues.count != count {
            snapshotCache.queues = queueSnapshots
            return snapshotCache.queues
        }
        for b in twin.buffers.indices {
            let depth = twin.buffers[b].count, highWater = twin.buffers[b].highWater, waits = twin.buffers[b].waits
            if !snapshotCache.queues[b].shows(depth: depth, highWater: highWater, drops: 0, waits: waits) {
                snapshotCache.queues[b].depth = depth
                snapshotCache.queues[b].highWater = highWater
                snapshotCache.queues[b].waits = waits
            }
        }
        let base = twin.buffers.count
        for s in slots.indices {
            let f = slots[s].mailbox.figures
            if !snapshotCache.queues[base + s].shows(depth: f.depth, highWater: f.highWater, drops: f.drops, waits: f.waits) {
                snapshotCache.queues[base + s].update(f)
            }
        }
        let d = decisionQueue.figures
        if !snapshotCache.queues[count - 1].shows(depth: d.depth, highWater: d.highWater, drops: d.drops, waits: d.waits) {
            snapshotCache.queues[count - 1].update(d)
        }
        return snapshotCache.queues
    }

    /// Each line's cell ids, worked out once.
    func cachedLineCells() -> [[String]] {
        if snapshotCache.lineCells.count != twin.lines.count {
            snapshotCache.lineCells = twin.lines.map { line in line.cells.map { twin.cells[$0].spec.id } }
        }
        return snapshotCache.lineCells
    }
}

extension QueueSnapshot {
    /// Whether the snapshot already shows these figures.
    @inline(__always)
    func shows(depth: Int, highWater: Int, drops: Int, waits: Int) -> Bool {
        self.depth == depth && self.highWater == highWater && self.drops == drops && self.waits == waits
    }

    /// Takes a mailbox's figures.
    mutating func update(_ figures: QueueFigures) {
        depth = figures.depth
        highWater = figures.highWater
        drops = figures.drops
        waits = figures.waits
    }
}
