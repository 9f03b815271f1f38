import AndonCore
import AndonPolicy
import AndonRuntime
import AndonStore
import Benchmark
import BenchmarkSupport
import Foundation

// DESIGN.md §5: ≥ 1,000,000 telemetry events/s through twin and agents on one core; 8 simulated hours of the
// demo headless in ≤ 10 s wall (§5), ≤ 1 s in round 2 (issue 17), the bar in Benchmarks/Thresholds/. Events are the engine's sequence numbers (the run report's `events`):
// each tick publishes one telemetry frame per cell, delivered to that cell's agents and its line's planner,
// plus whatever state changes, alarms, proposals and decisions follow.

/// Events through the engine in one measured iteration.
let eventsMetric = BenchmarkMetric.custom("events", polarity: .prefersLarger, useScalingFactor: false)
/// Events per second of wall time in one measured iteration.
let eventsPerSecondMetric = BenchmarkMetric.custom("events/s", polarity: .prefersLarger, useScalingFactor: false)

/// The demo plant, scenario and policy, as `andon demo --headless` runs them (in-memory audit store).
func makeDemoEngine() -> PlantEngine {
    let plant = try! PlantSpec.load(path: Repository.path("demo/plant.yaml"))
    let scenario = try! Scenario.load(path: Repository.path("demo/scenarios/demo.yaml"), plant: plant)
    let policy = try! PolicyEngine.load(path: Repository.path("demo/policies.yaml"))
    let roster = try! OperatorRoster.load(path: Repository.path("demo/operators.yaml"))
    let engine = PlantEngine(plant: plant, scenario: scenario, options: EngineOptions(seed: 1), judge: policy,
                             audit: try! AuditStore(path: ":memory:"), roster: { roster.person(named: $0) })
    engine.start(recovering: Recovery())
    return engine
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .peakMemoryResident, eventsMetric, eventsPerSecondMetric],
        timeUnits: .microseconds,
        warmupIterations: 2,
        maxDuration: .seconds(5),
        maxIterations: 1_000,
        thresholds: BarThresholds.exact([.wallClock, eventsPerSecondMetric])
    )

    // Ten simulated minutes (600 ticks) of the demo per iteration, on one engine that keeps running, so
    // iterations sample every phase of the scenario's 40-minute loop. The event count comes from the run
    // report, taken outside the measurement (it costs far more than the ticks: see docs/PERFORMANCE.md).
    let telemetry = makeDemoEngine()
    Benchmark("TelemetryDemoPlant", configuration: tuned { $0.maxIterations = 20 }) { benchmark in
        let before = telemetry.report(scenarioName: "", wallSeconds: 0).events
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        for _ in 0..<600 { telemetry.tick() }
        benchmark.stopMeasurement()
        let elapsed = ContinuousClock.now - start
        let events = telemetry.report(scenarioName: "", wallSeconds: 0).events - before
        benchmark.measurement(eventsMetric, Int(events))
        benchmark.measurement(eventsPerSecondMetric, Int(Double(events) / seconds(elapsed)))
    }

    Benchmark("DemoHeadless8h", configuration: tuned {
        // Its allocations are a ceiling too: they are exact, where the wall clock of this machine is not.
        $0.thresholds = BarThresholds.exact([.wallClock, eventsPerSecondMetric, .mallocCountTotal])
        $0.timeUnits = .milliseconds
        $0.warmupIterations = 0
        $0.maxDuration = .seconds(40)
        $0.maxIterations = 5
    }) { benchmark in
        let engine = makeDemoEngine()
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        engine.run(until: 8 * 3600)
        benchmark.stopMeasurement()
        let elapsed = ContinuousClock.now - start
        let events = engine.report(scenarioName: "", wallSeconds: 0).events
        benchmark.measurement(eventsMetric, Int(events))
        benchmark.measurement(eventsPerSecondMetric, Int(Double(events) / seconds(elapsed)))
    }

    // What a console or a headless run of a large plant waits for before its first tick: the plant file's text of
    // 2,000 cells (`scripts/make-plant.py 2000`, 16,100 lines) read, checked and built into a `PlantSpec`.
    Benchmark("LoadPlant-2000cells", configuration: tuned {
        $0.metrics = [.wallClock, .cpuTotal, .mallocCountTotal]
        $0.thresholds = nil
        $0.timeUnits = .milliseconds
        $0.warmupIterations = 1
        $0.maxDuration = .seconds(20)
        $0.maxIterations = 10
    }, closure: { _ in
        blackHole(try! PlantSpec.parse(plantText, file: "generated-2000.yaml"))
    }, setup: {
        plantText = GeneratedPlant.text(cells: 2000)
    })
}

/// The plant text `LoadPlant-2000cells` reads, made in its setup.
nonisolated(unsafe) var plantText = ""

/// The suite's default configuration, changed by `change`.
func tuned(_ change: (inout Benchmark.Configuration) -> Void) -> Benchmark.Configuration {
    var configuration = Benchmark.defaultConfiguration
    change(&configuration)
    return configuration
}
