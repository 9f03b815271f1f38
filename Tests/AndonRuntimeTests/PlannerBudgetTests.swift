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

    /// A plant that answers a planner's questions: time, fresh data, a line on demand.
    struct QuietView: PlantView {
        var now: SimTime
        var staleAfter: Double { 10 }
        func dataAge(of cell: String) -> Double { 1 }
        func dataAge(ofCellAt index: Int) -> Double { 1 }
        func status(of cell: String) -> (state: PackMLState, reason: StateReason, speed: Double)? { (.execute, .none, 1) }
        func status(ofCellAt index: Int) -> (state: PackMLState, reason: StateReason, speed: Double) { (.execute, .none, 1) }
        func neighbours(of cell: String) -> (upstream: String?, downstream: String?) { (nil, nil) }
        func lineRate(of line: String) -> (perHour: Double, demand: Double, speed: Double)? { (58, 58, 1) }
    }

    /// The simulated think time of each of `frames` (a cell's PackML state, one a second), as the planner adds it.
    func thinkTimes(_ states: [PackMLState]) throws -> [Double] {
        let plant = try Fixtures.demoPlant()
        let spec = try #require(plant.cells.flatMap(\.agents).first { $0.kind == .planner })
        let agent = AgentFactory.make(spec, cell: plant.cells.first { $0.id == spec.cell }!, cellIndex: 0, seed: 1)
        var times: [Double] = []
        for (second, state) in states.enumerated() {
            let frame = TelemetryFrame(cell: "B1", readings: [1.4, 45], sourceTime: Double(second), produced: 0, scrap: 0, state: state)
            var output = AgentOutput()
            agent.handle(.telemetry(frame, correlation: CorrelationID(sequence: UInt64(second + 1))), view: QuietView(now: Double(second)), output: &output)
            times.append(output.simulatedThinkSeconds)
        }
        return times
    }

    @Test func aPlannerThinksWellInsideItsBudgetWhileItsLineRuns() throws {
        // A shift's worth of decisions with every cell running, starved or blocked now and then, held briefly.
        let running = (0..<20_000).map { [PackMLState.execute, .execute, .execute, .suspended, .held][$0 % 5] }
        let times = try thinkTimes(running)
        #expect(times.allSatisfy { $0 < 0.25 }, "longest \(times.max() ?? 0)")
        #expect(times.sorted()[times.count * 99 / 100] < 0.125, "p99 within half its budget")
    }

    @Test func aPlannerThinksHardWhileACellOfItsLineIsDownAndAMinuteAfter() throws {
        let times = try thinkTimes(Array(repeating: .execute, count: 100) + [.aborted] + Array(repeating: .execute, count: 200))
        #expect(times[..<100].allSatisfy { $0 < 0.25 })
        #expect(times[100...160].contains { $0 > 0.25 }, "breaches while its line is disturbed")
        #expect(times[162...].allSatisfy { $0 < 0.25 }, "calm again a minute after")
    }

    @Test func aPlannerBreachesDuringItsLinesIncidents() throws {
        let engine = try engine(nil, seed: 1)
        engine.run(until: 600)
        let body = try #require(engine.agentSnapshots.first { $0.id == "body.planner" })
        #expect(body.breaches > 0, "B3 broke down at 2m and B2 was stopped: the body line's planner had more to weigh")
    }
}
