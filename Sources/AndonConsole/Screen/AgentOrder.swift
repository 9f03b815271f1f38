import AndonCore

extension PlantSnapshot {
    /// Agents worst first, so a short Latency pane shows the ones that matter: those over budget (p99 above it, or
    /// breaches counted) first, then by p99 ÷ budget, then by breaches, highest first; ties by id.
    var agentsWorstFirst: [AgentSnapshot] {
        AgentOrder.worstFirst(agents, first: agents.count).map { agents[$0] }
    }
}

