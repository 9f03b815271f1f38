/// The Latency pane's order: agents over budget (p99 above it, or breaches counted) first, then by p99 ÷ budget,
/// then by breaches, highest first; ties by id, then by position in the snapshot. A runtime puts the first agents of
/// this order in its snapshots (``PlantSnapshot/worstAgents``), so that every console need not look at every agent.
public enum AgentOrder {
    private struct Rank {
        var isOver: Bool
        var load: Double
        var breaches: Int
        var index: Int
        /// The agent's place among the agents sorted by id (then position), when the caller knows it: ties are then
        /// settled without comparing texts.
        var idPlace: Int32 = -1
    }

    /// Agent `index`'s rank, its figures read in place: an agent handed over whole would be copied with its texts
    /// and sparkline, a retain and release each, 40,000 times a frame for a large plant.
    private static func rank(_ agents: UnsafeBufferPointer<AgentSnapshot>, at index: Int) -> Rank {
        let budget = agents[index].budgetSeconds, p99 = agents[index].p99, breaches = agents[index].breaches
        let load = budget > 0 ? p99 / budget : p99 > 0 ? .infinity : 0
        return Rank(isOver: breaches > 0 || load > 1, load: load, breaches: breaches, index: index)
    }

    private static func precedes(_ a: Rank, _ b: Rank, in agents: [AgentSnapshot]) -> Bool {
        if a.isOver != b.isOver { return a.isOver }
        if a.load != b.load { return a.load > b.load }
        if a.breaches != b.breaches { return a.breaches > b.breaches }
        if a.idPlace >= 0, b.idPlace >= 0 { return a.idPlace < b.idPlace }
        let idA = agents[a.index].id, idB = agents[b.index].id
        if idA != idB { return idA < idB }
        return a.index < b.index
    }

    /// The row of agent `index` in worst-first order: how many agents come before it. O(agents), no sort.
    public static func rank(of index: Int, in agents: [AgentSnapshot]) -> Int {
        agents.withUnsafeBufferPointer { buffer in
            let mine = rank(buffer, at: index)
            var before = 0
            for other in buffer.indices where other != index && precedes(rank(buffer, at: other), mine, in: agents) { before += 1 }
            return before
        }
    }

    /// Indices of the first `count` of `agents` in worst-first order: one pass keeping the worst `count` seen so far.
    ///
    /// `idPlaces`, when given, is ``idPlaces(_:)`` of these agents: each agent's place in id order, so that agents whose
    /// figures tie are ordered without comparing their ids' texts (in a large plant many agents show the same p99
    /// against the same budget, and the comparisons of their ids were most of the work).
    public static func worstFirst(_ agents: [AgentSnapshot], first count: Int, idPlaces: [Int32]? = nil) -> [Int] {
        let count = min(max(0, count), agents.count)
        guard count > 0 else { return [] }
        if let idPlaces {
            precondition(idPlaces.count == agents.count, "one place for each agent")
            return agents.withUnsafeBufferPointer { buffer in
                idPlaces.withUnsafeBufferPointer { places in
                    worstFirst(agents, buffer, first: count) { index in
                        var rank = rank(buffer, at: index)
                        rank.idPlace = places[index]
                        return rank
                    }
                }
            }
        }
        return agents.withUnsafeBufferPointer { buffer in worstFirst(agents, buffer, first: count) { rank(buffer, at: $0) } }
    }

    /// Each agent's place among `agents` sorted by id, equal ids by position: what ``worstFirst(_:first:idPlaces:)``
    /// settles ties with. It changes only when the agents' ids do.
    public static func idPlaces(_ agents: [AgentSnapshot]) -> [Int32] {
        let sorted = agents.indices.sorted { a, b in
            agents[a].id != agents[b].id ? agents[a].id < agents[b].id : a < b
        }
        var places = [Int32](repeating: 0, count: agents.count)
        for (place, index) in sorted.enumerated() { places[index] = Int32(place) }
        return places
    }

    private static func worstFirst(_ agents: [AgentSnapshot], _ buffer: UnsafeBufferPointer<AgentSnapshot>, first count: Int,
                                   rank: (Int) -> Rank) -> [Int] {
        if count * 4 >= agents.count {
            var ranks = buffer.indices.map { rank($0) }
            ranks.sort { precedes($0, $1, in: agents) }
            return ranks.prefix(count).map(\.index)
        }
        var kept: [Rank] = []
        kept.reserveCapacity(count + 1)
        for index in buffer.indices {
            let candidate = rank(index)
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
