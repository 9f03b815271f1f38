import AndonCore
import AndonPolicy
import AndonTesting
import Testing
@testable import AndonRuntime

/// The demo's simulated planners keep their 250 ms budgets while their lines run, and breach them only while a cell
/// of their line is broken down or stopped: a breach on screen means something.
@Suite struct PlannerBudgetTests {
    func engine(_ scenario: Scenario?, seed: UInt64) throws -> PlantEngine {
        let plant = try Fixtures.demoPlant()
        return PlantEngine(plant: plant, scenario: try scenario ?? Fixtures.demoScenario(plant: plant), options: EngineOptions(seed: seed),
                           judge: try PolicyEngine.load(path: Fixtures.path("demo/policies.yaml")))
    }

    @Test(arguments: [1, 7] as [UInt64])
    func plannersKeepTheirBudgetsWhileTheirLinesRun(seed: UInt64) throws {
        let engine = try engine(.quiet, seed: seed)
        var downs: [String] = []
        engine.onEvent = { event in
            if case let .stateChanged(change) = event.body, PlannerAgent.isDown(change.to) { downs.append(event.cell ?? "?") }
        }
        engine.run(until: 3600)
        let planners = engine.agentSnapshots.filter { $0.kind == .planner }
        #expect(planners.count == 3)
        #expect(downs.isEmpty, "a quiet hour for this seed: \(downs)")
        for planner in planners {
            #expect(planner.decisions > 1000)
            #expect(planner.breaches == 0, "\(planner.id) breached \(planner.breaches) times with nothing down")
            #expect(planner.p99 < planner.budgetSeconds / 2)
        }
    }

    @Test func aPlannerBreachesDuringItsLinesIncidents() throws {
        let engine = try engine(nil, seed: 1)
        engine.run(until: 600)
        let body = try #require(engine.agentSnapshots.first { $0.id == "body.planner" })
        #expect(body.breaches > 0, "B3 broke down at 2m and B2 was stopped: the body line's planner had more to weigh")
    }
}
