import AndonCore
import AndonTesting
import Foundation
import AndonPolicy
import Testing
@testable import AndonRuntime

/// The twin is deterministic, legal and conserves parts.
struct SimulatorTests {
    private func demoEngine(seed: UInt64 = 7) throws -> PlantEngine {
        let plant = try Fixtures.demoPlant()
        return PlantEngine(plant: plant, scenario: try Fixtures.demoScenario(plant: plant), options: EngineOptions(seed: seed),
                           judge: try PolicyEngine.load(path: Fixtures.path("demo/policies.yaml")))
    }

    private func deterministicPart(_ report: RunReport) -> String {
        var report = report
        report.measured = RunReport.Measured(wallSeconds: 0, eventsPerSecond: 0, simulatedSecondsPerWallSecond: 0, agents: [:])
        return report.json()
    }

    @Test func sameSeedGivesIdenticalReport() throws {
        let a = try demoEngine(seed: 42), b = try demoEngine(seed: 42)
        a.run(until: 3600)
        b.run(until: 3600)
        #expect(deterministicPart(a.report(scenarioName: "demo", wallSeconds: 1)) == deterministicPart(b.report(scenarioName: "demo", wallSeconds: 2)))
    }

    @Test func differentSeedsDiffer() throws {
        let a = try demoEngine(seed: 1), b = try demoEngine(seed: 2)
        a.run(until: 3600)
        b.run(until: 3600)
        #expect(deterministicPart(a.report(scenarioName: "demo", wallSeconds: 1)) != deterministicPart(b.report(scenarioName: "demo", wallSeconds: 1)))
    }

    @Test func onlyLegalTransitionsHappen() throws {
        let engine = try demoEngine()
        var changes: [StateChange] = []
        engine.onEvent = { if case let .stateChanged(change) = $0.body { changes.append(change) } }
        engine.run(until: 4 * 3600)
        #expect(changes.count > 50)
        for change in changes { #expect(change.from.canTransition(to: change.to), "\(change.from) → \(change.to)") }
        let visited = Set(changes.map(\.to))
        #expect(visited.isSuperset(of: [.suspended, .aborted, .clearing, .resetting, .held, .execute]))
    }

    @Test func partsAreConserved() throws {
        let engine = try demoEngine()
        for _ in 0..<8 {
            engine.run(until: engine.time + 1800)
            for ledger in engine.twin.ledgers { #expect(ledger.isBalanced, "\(ledger)") }
        }
        for cell in engine.plant.cells {
            let counts = engine.twin.counts(of: cell.id)!
            #expect(counts.produced == counts.good + counts.scrap)
            #expect(counts.produced > 0)
        }
    }

    @Test func executeMostOfTheTime() throws {
        let engine = try demoEngine()
        engine.run(until: 8 * 3600)
        let report = engine.report(scenarioName: "demo", wallSeconds: 1)
        for (id, cell) in report.cells {
            let total = cell.stateSeconds.values.reduce(0, +)
            let execute = cell.stateSeconds["Execute"] ?? 0
            #expect(abs(total - 8 * 3600) < 1, "\(id) accounted \(total)s")
            #expect(execute / total > 0.5, "\(id) executes only \(execute / total)")
        }
        for line in report.lines.values {
            #expect(line.oee.oee > 0.3 && line.oee.oee < 0.95)
        }
    }

    @Test func reducingSpeedLowersVibrationAndLengthensCycle() throws {
        // B is fast here, so A never blocks and both twins keep A running.
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML().replacingOccurrences(of: "cycle_time: 40s", with: "cycle_time: 5s"))
        let full = Twin(spec: plant, seed: 3), slow = Twin(spec: plant, seed: 3)
        let proposal = Proposal(id: "p", action: .reduceSpeed, parameters: ["percent": 30], target: "A", line: "L1", rationale: "", evidence: [],
                                risk: .low, idempotencyKey: "k", agentID: "a", agentKind: .maintenance, agentVersion: "1", correlationID: CorrelationID("c"), createdAt: 0)
        _ = slow.apply(proposal)
        for _ in 0..<600 { full.step(); slow.step() }
        #expect(slow.cells[0].values[0] < full.cells[0].values[0] * 0.7)
        #expect(slow.counts(of: "A")!.produced < full.counts(of: "A")!.produced)
    }
}
