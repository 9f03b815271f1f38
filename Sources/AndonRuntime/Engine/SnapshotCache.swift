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

    // The generation before the last, kept to be written over: when a snapshot that moved nearly everything is
    // built, the one before the last has usually been let go by every front end, so its storage is rewritten in place
    // rather than a new array allocated and every text and list in it retained again. While something still holds it,
    // writing to it copies it first, as every array does, and no snapshot anyone holds ever changes.

    /// Cells of the generation before the last.
    var spareCells: [CellSnapshot] = []
    /// Agents of the generation before the last, and what each was built from.
    var spareAgents: [AgentSnapshot] = []
    var spareAgentMarks: [AgentMark] = []
    /// Marks no snapshot needs any more, kept to be written over with the next marks.
    var retiredAgentMarks: [AgentMark] = []
    /// Queues of the generation before the last.
    var spareQueues: [QueueSnapshot] = []
    /// Each line's cell ids, in flow order.
    var lineCells: [[String]] = []
    /// The cells' ids, names and lines for a console's filter, made once.
    var cellTexts: CellTexts?
    /// The cells' keys, and the cells they were worked out from.
    var cellKeys: (cells: [CellSnapshot], keys: [CellKeys])?
    /// The agents' worst-first order, and the agents it was worked out from.
    var worstAgents: (agents: [AgentSnapshot], order: [Int])?
    /// Counts the snapshots in which what orders the agents (an agent's p99 or breaches, the outside agents, their
    /// number) may have moved: the order is worked out again only when this moved since it was.
    var agentRanksMoved = 0
    /// ``agentRanksMoved`` when the worst-first order was last worked out.
    var worstAgentsStamp = -1
    /// Each agent's place in id order (``AgentOrder/idPlaces(_:)``), and the outside agents' ids it was worked out with
    /// (the built-in agents' never change).
    var agentIDPlaces: [Int32] = []
    var agentIDPlacesOutside: [String] = []

    /// What an agent's snapshot shows that can change.
    struct AgentMark: Equatable {
        var decisions: Int
        var proposals: Int
        var intervals: Int
        var breaches: Int
        var maxNanos: UInt64
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
            var next: [CellSnapshot] = []
            swap(&next, &snapshotCache.spareCells)
            if next.count == twin.cells.count {
                // Every cell written over: the spare is from an earlier moment, not only from the last snapshot.
                next.withUnsafeMutableBufferPointer { next in
                    for i in next.indices { twin.updateCellSnapshot(&next[i], i, staleAfter: staleAfter) }
                }
            } else {
                next = twin.cells.indices.map { twin.cellSnapshot($0, staleAfter: staleAfter) }
            }
            snapshotCache.spareCells = snapshotCache.cells
            snapshotCache.cells = next
            return snapshotCache.cells
        }
        // Only some cells moved: the last snapshot's cells are the base, and the spare is let go.
        snapshotCache.spareCells = []
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

    /// Latency figures of every agent, then of the outside agents, redoing only the agents whose figures moved since
    /// the last call: from its last snapshot, whose names and budget stay, with its figures now. The outside agents are
    /// kept at the end of the same array, so a snapshot takes it as it is rather than a copy with them appended.
    ///
    /// Each agent's slot is read once, for its mark (what its snapshot shows that can change); the snapshots are then
    /// written from the marks, reading the slot again only for an agent whose interval closed (its percentiles and
    /// sparkline). The marks' three arrays (now, as last shown, as in the generation before) take turns, so none is
    /// allocated or copied.
    func cachedAgentSnapshots() -> [AgentSnapshot] {
        let count = slots.count
        let outsideNow = outsideAgentSnapshots
        guard snapshotCache.agents.count == count + outsideNow.count, snapshotCache.agentMarks.count == count else {
            var agents: [AgentSnapshot] = []
            agents.reserveCapacity(count + outsideNow.count)
            for s in slots.indices { agents.append(agentSnapshot(s)) }
            agents.append(contentsOf: outsideNow)
            snapshotCache.agents = agents
            snapshotCache.agentMarks = agents.withUnsafeBufferPointer { shown in slots.indices.map { agentMark($0, shown) } }
            snapshotCache.spareAgents = []
            snapshotCache.spareAgentMarks = []
            snapshotCache.agentRanksMoved += 1
            return snapshotCache.agents
        }
        // The marks now, written over the array retired two snapshots ago.
        var now: [SnapshotCache.AgentMark] = []
        swap(&now, &snapshotCache.retiredAgentMarks)
        if now.count != count { now = snapshotCache.agentMarks }
        let shownMarks = snapshotCache.agentMarks
        var moved = 0, ranksMoved = false
        snapshotCache.agents.withUnsafeBufferPointer { shown in
            shownMarks.withUnsafeBufferPointer { before in
                now.withUnsafeMutableBufferPointer { now in
                    for s in 0..<count {
                        let mark = agentMark(s, shown)
                        now[s] = mark
                        if mark != before[s] {
                            moved += 1
                            // The order goes by p99 and breaches: an interval closing usually leaves the p99 as it was.
                            if mark.breaches != before[s].breaches
                                || mark.intervals != before[s].intervals && slots[s].latency.percentiles().p99 != shown[s].p99 {
                                ranksMoved = true
                            }
                        }
                    }
                }
            }
        }
        // An outside agent that moved may move in the order (they are few, and most seconds none of them moved).
        if !ranksMoved {
            ranksMoved = outsideNow.indices.contains { snapshotCache.agents[count + $0] != outsideNow[$0] }
        }
        if ranksMoved { snapshotCache.agentRanksMoved += 1 }
        if moved * 4 >= count, moved > 0 {
            // Most moved (every agent decides every second in a running plant).
            if snapshotCache.spareAgents.count == count + outsideNow.count, snapshotCache.spareAgentMarks.count == count {
                // The generation before the last is written over where it differs from now: every agent that moved
                // in either of the last two snapshots. Names and budgets stay as they are.
                var next: [AgentSnapshot] = []
                swap(&next, &snapshotCache.spareAgents)
                var spareMarks: [SnapshotCache.AgentMark] = []
                swap(&spareMarks, &snapshotCache.spareAgentMarks)
                next.withUnsafeMutableBufferPointer { next in
                    spareMarks.withUnsafeBufferPointer { spare in
                        now.withUnsafeBufferPointer { now in
                            for s in 0..<count where spare[s] != now[s] {
                                refresh(&next[s], s, now[s], intervalClosed: spare[s].intervals != now[s].intervals)
                            }
                        }
                    }
                    for o in outsideNow.indices where next[count + o] != outsideNow[o] { next[count + o] = outsideNow[o] }
                }
                snapshotCache.spareAgents = snapshotCache.agents
                snapshotCache.agents = next
                snapshotCache.retiredAgentMarks = spareMarks
            } else {
                // One new array, not a copy then writes.
                let shown = snapshotCache.agents
                snapshotCache.agents = shown.indices.map { s in
                    var agent = shown[s]
                    if s < count, now[s] != shownMarks[s] { refresh(&agent, s, now[s], intervalClosed: now[s].intervals != shownMarks[s].intervals) }
                    return agent
                }
                snapshotCache.spareAgents = shown
            }
            snapshotCache.spareAgentMarks = shownMarks
            snapshotCache.agentMarks = now
        } else {
            // A few moved, or none: written into the shown array (a copy of it, while a snapshot holds it). The spare
            // is let go rather than kept for a plant that is quiet.
            if moved > 0 {
                snapshotCache.spareAgents = []
                snapshotCache.spareAgentMarks = []
                for s in 0..<count where now[s] != shownMarks[s] {
                    refresh(&snapshotCache.agents[s], s, now[s], intervalClosed: now[s].intervals != shownMarks[s].intervals)
                }
                snapshotCache.agentMarks = now
                snapshotCache.retiredAgentMarks = shownMarks
            } else {
                snapshotCache.retiredAgentMarks = now
            }
        }
        // The outside agents that differ from what is shown (they are few, and most seconds none of them moved).
        for o in outsideNow.indices where snapshotCache.agents[count + o] != outsideNow[o] {
            snapshotCache.agents[count + o] = outsideNow[o]
        }
        return snapshotCache.agents
    }

    /// What agent `s`'s snapshot would show now that can change; `shown` is its snapshot in the shown array, read for
    /// its id and kind only when the desk could make its mode differ from its own (a copy of an agent's snapshot
    /// retains each of its texts).
    private func agentMark(_ s: Int, _ shown: UnsafeBufferPointer<AgentSnapshot>) -> SnapshotCache.AgentMark {
        let own = slots[s].mode
        let mode = desk.overridesModes ? desk.effectiveMode(id: shown[s].id, kind: shown[s].kind, mode: own) : own
        return SnapshotCache.AgentMark(decisions: slots[s].latency.decisions, proposals: slots[s].proposals,
                                       intervals: slots[s].latency.intervalsClosed, breaches: slots[s].latency.breaches,
                                       maxNanos: slots[s].latency.maxNanos, mode: mode)
    }

    /// Brings agent `s`'s snapshot to `mark`, its figures now. Its percentiles and sparkline change only when an
    /// interval closes: with `intervalClosed` false, `agent` was built after the agent's last one closed, so they are
    /// left as they are (a sparkline assigned again is a retain and a release of an array touched for nothing, and
    /// 40,050 of them were a tenth of a snapshot at 10,000 cells).
    private func refresh(_ agent: inout AgentSnapshot, _ s: Int, _ mark: SnapshotCache.AgentMark, intervalClosed: Bool) {
        agent.mode = mark.mode
        if intervalClosed {
            let p = slots[s].latency.percentiles()
            agent.p50 = p.p50
            agent.p90 = p.p90
            agent.p99 = p.p99
            agent.recentP99 = slots[s].latency.sharedRecentP99()
        }
        agent.max = Double(mark.maxNanos) / 1e9
        agent.breaches = mark.breaches
        agent.decisions = mark.decisions
        agent.proposals = mark.proposals
    }

    func agentSnapshot(_ s: Int) -> AgentSnapshot {
        let p = slots[s].latency.percentiles()
        let spec = slots[s].agent.spec
        return AgentSnapshot(id: spec.id, cell: spec.cell, kind: spec.kind, version: spec.version, mode: desk.effectiveMode(of: spec, mode: slots[s].mode),
                             budgetSeconds: spec.budgetSeconds, p50: p.p50, p90: p.p90, p99: p.p99, max: p.max, breaches: slots[s].latency.breaches,
                             decisions: slots[s].latency.decisions, proposals: slots[s].proposals, recentP99: slots[s].latency.sharedRecentP99(),
                             isSimulated: slots[s].agent.isSimulated)
    }

    /// The engine's queues, then `others` (the front ends'), updating only those whose figures moved since the last
    /// call. The others are kept at the end of the same array, so a snapshot takes it as it is rather than a copy with
    /// them appended.
    func cachedQueueSnapshots(then others: [QueueSnapshot] = []) -> [QueueSnapshot] {
        let count = twin.buffers.count + slots.count + 1
        if snapshotCache.queues.count != count + others.count {
            snapshotCache.queues = queueSnapshots(then: others)
            snapshotCache.spareQueues = []
            return snapshotCache.queues
        }
        guard queueFiguresMoved(from: snapshotCache.queues, then: others) else { return snapshotCache.queues }
        // Something moved: the generation before the last is written over, every queue of it, when nothing else holds
        // it; else the shown one is (a copy of it, while a snapshot holds it).
        let shown = snapshotCache.queues
        var next: [QueueSnapshot] = []
        swap(&next, &snapshotCache.spareQueues)
        if next.count != shown.count { next = shown }
        writeQueueFigures(into: &next, then: others)
        snapshotCache.spareQueues = shown
        snapshotCache.queues = next
        return next
    }

    /// Whether any queue's figures now differ from what `queues` shows.
    private func queueFiguresMoved(from queues: [QueueSnapshot], then others: [QueueSnapshot]) -> Bool {
        let count = twin.buffers.count + slots.count + 1
        return queues.withUnsafeBufferPointer { queues in
            for o in others.indices where queues[count + o] != others[o] { return true }
            for b in twin.buffers.indices
            where !queues[b].shows(depth: twin.buffers[b].count, highWater: twin.buffers[b].highWater, drops: 0, waits: twin.buffers[b].waits) {
                return true
            }
            let base = twin.buffers.count
            for s in slots.indices {
                let f = slots[s].mailbox.figures
                if !queues[base + s].shows(depth: f.depth, highWater: f.highWater, drops: f.drops, waits: f.waits) { return true }
            }
            let d = decisionQueue.figures
            return !queues[count - 1].shows(depth: d.depth, highWater: d.highWater, drops: d.drops, waits: d.waits)
        }
    }

    /// Writes every queue's figures now into `queues`, whose texts are already right.
    private func writeQueueFigures(into queues: inout [QueueSnapshot], then others: [QueueSnapshot]) {
        let count = twin.buffers.count + slots.count + 1
        queues.withUnsafeMutableBufferPointer { queues in
            for o in others.indices where queues[count + o] != others[o] { queues[count + o] = others[o] }
            for b in twin.buffers.indices {
                queues[b].depth = twin.buffers[b].count
                queues[b].highWater = twin.buffers[b].highWater
                queues[b].waits = twin.buffers[b].waits
            }
            let base = twin.buffers.count
            for s in slots.indices { queues[base + s].update(slots[s].mailbox.figures) }
            queues[count - 1].update(decisionQueue.figures)
        }
    }

    /// The cells' unchanging texts, worked out once and handed on with every snapshot.
    func cachedCellTexts() -> CellTexts {
        if let texts = snapshotCache.cellTexts, texts.count == twin.cells.count { return texts }
        let texts = CellTexts(cells: twin.cells.map { (id: $0.spec.id, name: $0.spec.name, line: twin.lines[$0.lineIndex].spec.id) },
                              lines: twin.lines.map(\.spec.id))
        snapshotCache.cellTexts = texts
        return texts
    }

    /// The keys of `cells` (see ``CellKeys``), worked out again only when the cells changed.
    func cachedCellKeys(_ cells: [CellSnapshot]) -> [CellKeys] {
        if let kept = snapshotCache.cellKeys, kept.cells.sharesStorage(with: cells) { return kept.keys }
        let keys = cells.withUnsafeBufferPointer { cells in cells.indices.map { CellKeys(cells[$0]) } }
        snapshotCache.cellKeys = (cells, keys)
        return keys
    }

    /// The first agents of `agents` worst first (see ``AgentOrder``), worked out again only when what orders them
    /// may have moved: an agent's p99 (moved when an interval closed) or breaches, an outside agent, their number. Decisions alone,
    /// which change every agent's snapshot every second, leave the order as it was.
    func cachedWorstAgents(_ agents: [AgentSnapshot]) -> [Int] {
        if let kept = snapshotCache.worstAgents,
           kept.agents.sharesStorage(with: agents) || snapshotCache.worstAgentsStamp == snapshotCache.agentRanksMoved {
            snapshotCache.worstAgents = (agents, kept.order)
            return kept.order
        }
        // The agents' places in id order change only when an outside agent comes or goes.
        let outsideIDs = agents.dropFirst(slots.count).map(\.id)
        if snapshotCache.agentIDPlaces.count != agents.count || snapshotCache.agentIDPlacesOutside != outsideIDs {
            snapshotCache.agentIDPlaces = AgentOrder.idPlaces(agents)
            snapshotCache.agentIDPlacesOutside = outsideIDs
        }
        let order = AgentOrder.worstFirst(agents, first: min(agents.count, PlantSnapshot.worstAgentsKept), idPlaces: snapshotCache.agentIDPlaces)
        snapshotCache.worstAgents = (agents, order)
        snapshotCache.worstAgentsStamp = snapshotCache.agentRanksMoved
        return order
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
