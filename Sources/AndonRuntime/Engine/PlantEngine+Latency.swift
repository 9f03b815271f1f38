import AndonCore

extension PlantEngine {
    /// Every agent's decision latencies in the metrics' fixed buckets, built-in agents in plant order, then the outside
    /// ones: read when a scraper asks, never carried in a snapshot.
    public func agentLatencyHistograms() -> [AgentLatencyHistogram] {
        var histograms = slots.map { slot in slot.latency.histogram(agent: slot.agent.spec.id, cell: slot.agent.spec.cell) }
        for id in outside.order {
            guard let agent = outside.byID[id] else { continue }
            histograms.append(agent.latency.histogram(agent: id, cell: agent.spec.agentSpec.cell))
        }
        return histograms
    }
}
