import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// An agent's periodic check is timed from when its turn comes, not from when the first agent's came: a slow agent
/// does not show up in the latencies of the agents that run after it.
@Suite struct TickStampTests {
    /// Spends `nanos` of real time on every periodic check, then decides as the agent it wraps would.
    final class SlowOnChecks: PlantAgent {
        let inner: any PlantAgent
        let nanos: UInt64
        init(_ inner: any PlantAgent, nanos: UInt64) {
            self.inner = inner
            self.nanos = nanos
        }
        var spec: AgentSpec { inner.spec }
        func handle(_ input: AgentInput, view: any PlantView, output: inout AgentOutput) {
            if case .tick = input {
                let start = DispatchTime.now().uptimeNanoseconds
                while DispatchTime.now().uptimeNanoseconds - start < nanos {}
            }
            inner.handle(input, view: view, output: &output)
        }
    }

    @Test func aSlowAgentsChecksAreItsOwnLatencyAndNoOneElses() throws {
        let plant = try Fixtures.demoPlant()
        let engine = PlantEngine(plant: plant, scenario: try Fixtures.demoScenario(plant: plant), options: EngineOptions(seed: 1),
                                 judge: try PolicyEngine.load(path: Fixtures.path("demo/policies.yaml")))
        // The first to run, and the one after it (the same kind, on another cell).
        let slow = engine.runOrder[0], next = engine.runOrder[1]
        engine.slots[slow].replace(with: SlowOnChecks(engine.slots[slow].agent, nanos: 20_000_000))
        for _ in 0..<30 { engine.tick() }
        #expect(engine.slots[slow].latency.maxNanos >= 20_000_000, "the slow agent's own checks take 20 ms")
        // Were the checks stamped when the first agent's turn came, every agent after it would wait 20 ms on each.
        // (The planners' latencies include their simulated thinking, so they are left out.)
        for s in engine.runOrder.dropFirst() where !engine.slots[s].agent.isSimulated {
            let p90 = engine.slots[s].latency.exact.p90
            #expect(p90 < 0.010, "\(engine.slots[s].agent.spec.id): p90 \(p90 * 1000) ms")
        }
        #expect(engine.slots[next].latency.decisions >= 30)
    }
}
