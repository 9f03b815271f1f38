import AndonCore

extension PlantSnapshot {
    /// Agents worst first, so a short Latency pane shows the ones that matter: those over budget (p99 above it, or
    /// breaches counted) first, then by p99 ÷ budget, then by breaches, highest first; ties by id.
    var agentsWorstFirst: [AgentSnapshot] {
        func load(_ agent: AgentSnapshot) -> Double { agent.budgetSeconds > 0 ? agent.p99 / agent.budgetSeconds : agent.p99 > 0 ? .infinity : 0 }
        func isOver(_ agent: AgentSnapshot) -> Bool { agent.breaches > 0 || load(agent) > 1 }
        return agents.sorted { a, b in
            if isOver(a) != isOver(b) { return isOver(a) }
            if load(a) != load(b) { return load(a) > load(b) }
            if a.breaches != b.breaches { return a.breaches > b.breaches }
            return a.id < b.id
        }
    }
}
