import AndonCore

extension PlantSnapshot {
    /// Agents worst first, so a short Latency pane shows the ones that matter: those over budget (p99 above it, or
    /// breaches counted) first, then by p99 ÷ budget, then by breaches, highest first; ties by id.
    var agentsWorstFirst: [AgentSnapshot] {
        AgentOrder.worstFirst(agents, first: agents.count).map { agents[$0] }
    }
}

/// The Latency pane's order: agents over budget (p99 above it, or breaches counted) first, then by p99 ÷ budget,
/// then by breaches, highest first; ties by id, then by position in the snapshot.
enum AgentOrder {
    private struct Rank {
        var isOver: Bool
        var load: Double
        var breaches: Int
        var index: Int
    }

    private static func rank(_ agent: AgentSnapshot, at index: Int) -> Rank {
        let load = agent.budgetSeconds > 0 ? agent.p99 / agent.budgetSeconds : agent.p99 > 0 ? .infinity : 0
        return Rank(isOver: agent.breaches > 0 || load > 1, load: load, breaches: agent.breaches, index: index)
    }

    private static func precedes(_ a: Rank, _ b: Rank, in agents: [AgentSnapshot]) -> Bool {
        if a.isOver != b.isOver { return a.isOver }
        if a.load != b.load { return a.load > b.load }
        if a.breaches != b.breaches { return a.breaches > b.breaches }
        let idA = agents[a.index].id, idB = agents[b.index].id
        if idA != idB { return idA < idB }
        return a.index < b.index
    }

    /// The row of agent `index` in worst-first order: how many agents come before it. O(agents), no sort.
    static func rank(of index: Int, in agents: [AgentSnapshot]) -> Int {
        let mine = rank(agents[index], at: index)
        var before = 0
        for other in agents.indices where other != index && precedes(rank(agents[other], at: other), mine, in: agents) { before += 1 }
        return before
    }

    /// Indices of the first `count` of `agents` in worst-first order: one pass keeping the worst `count` seen so far.
    static func worstFirst(_ agents: [AgentSnapshot], first count: Int) -> [Int] {
        let count = min(max(0, count), agents.count)
        guard count > 0 else { return [] }
        if count * 4 >= agents.count {
            var ranks = agents.indices.map { rank(agents[$0], at: $0) }
            ranks.sort { precedes($0, $1, in: agents) }
            return ranks.prefix(count).map(\.index)
        }
        var kept: [Rank] = []
        kept.reserveCapacity(count + 1)
        for index in agents.indices {
            let candidate = rank(agents[index], at: index)
            if kept.count == count {
                guard precedes(candidate, kept[count - 1], in: agents) else { continue }
                kept.removeLast()
            }
            // Insert after every kept rank that precedes it.
            var low = 0, high = kept.count
            while low < high {
                let mid = (low + high) / 2
                if precedes(kept[mid], candidate, in: agents) { low = mid + 1 } else { high = mid }
            }
            kept.insert(candidate, at: low)
        }
        return kept.map(\.index)
    }
}
