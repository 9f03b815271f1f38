import AndonCore
import AndonPolicy
import AndonRuntime
import AndonStore
import Benchmark
import BenchmarkSupport
import Foundation

// The telemetry issue's bar: ingest + validation + twin update ≥ 500,000 messages/s from a file.
// One iteration reads the recorded demo stream (demo/telemetry/riverside-10m.jsonl, 10,711 lines) from
// disk through the same line reader `andon run --telemetry FILE` uses, parses and validates every line
// against the plant's contract and applies it to an external-mode twin. The plant is the demo plant
// without agents and without an audit store, so what is measured is the door and the twin, nothing else
// (agents are the "telemetry through twin + agents" benchmark). The bar is on the median: 10,711 lines in
// at most 21.4 ms (500,000 lines per second). The checked-in threshold guards p90 at 25 ms, since single
// iterations of 15–23 ms vary with the machine's load.
//
// DESIGN.md §5's bar, ≥ 1,000,000 telemetry events/s through twin and agents on one core, is
// `TelemetryThroughTwinAndAgents`: the same recording, parsed once outside the measurement, fed message by message
// to the demo plant *with* its 75 agents, the demo policy and an in-memory audit store. Each message is checked
// against the contract, applied to the twin and handed to its cell's agents (and its line's planner), which decide
// on it at once; the engine ticks each simulated second as the timestamps advance (periodic agent checks,
// policy, approvals, audit). One event is one telemetry message.

let benchmarks: @Sendable () -> Void = {
    throughAgents()
    let path = Repository.path("demo/telemetry/riverside-10m.jsonl")
    let lines = (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").count ?? 0
    let plant = IngestPlant.withoutAgents()

    Benchmark("IngestRecordedStream", configuration: .init(metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal],
                                                            timeUnits: .milliseconds, warmupIterations: 2, maxDuration: .seconds(10),
                                                            maxIterations: 50, thresholds: BarThresholds.exact([.wallClock]))) { benchmark in
        for _ in benchmark.scaledIterations {
            let engine = PlantEngine(plant: plant, options: EngineOptions(seed: 1))
            let ingest = TelemetryFeed(engine: engine)
            let fd = open(path, O_RDONLY)
            benchmark.startMeasurement()
            _ = ingest.consume(fileDescriptor: fd)
            ingest.finish()
            benchmark.stopMeasurement()
            close(fd)
            precondition(ingest.accepted == lines, "accepted \(ingest.accepted) of \(lines) lines")
            blackHole(ingest.accepted)
        }
    }
}

/// Messages through twin and agents, per second of wall time, in one measured iteration.
let messagesPerSecond = BenchmarkMetric.custom("events/s", polarity: .prefersLarger, useScalingFactor: false)

/// The recorded demo stream, parsed (outside any measurement).
func recordedMessages() -> [TelemetryMessage] {
    let text = (try? String(contentsOfFile: Repository.path("demo/telemetry/riverside-10m.jsonl"), encoding: .utf8)) ?? ""
    return text.split(separator: "\n").map { try! TelemetryParser.parse(String($0)) }
}

/// The demo plant, policy and roster with an in-memory audit store, switched to external telemetry.
func demoIngest() -> TelemetryFeed {
    let plant = try! PlantSpec.load(path: Repository.path("demo/plant.yaml"))
    let policy = try! PolicyEngine.load(path: Repository.path("demo/policies.yaml"))
    let roster = try! OperatorRoster.load(path: Repository.path("demo/operators.yaml"))
    let engine = PlantEngine(plant: plant, options: EngineOptions(seed: 1), judge: policy,
                             audit: try! AuditStore(path: ":memory:"), roster: { roster.person(named: $0) })
    let feed = TelemetryFeed(engine: engine)
    engine.start(recovering: Recovery())
    return feed
}

/// One measured iteration: every message through `ingest`, then the events per second it made.
func feed(_ messages: [TelemetryMessage], to ingest: TelemetryFeed, measuring benchmark: Benchmark) {
    let start = ContinuousClock.now
    benchmark.startMeasurement()
    for message in messages { ingest.ingest(message: message) }
    ingest.finish()
    benchmark.stopMeasurement()
    let elapsed = ContinuousClock.now - start
    precondition(ingest.accepted == messages.count, "accepted \(ingest.accepted) of \(messages.count) messages")
    benchmark.measurement(messagesPerSecond, Int(Double(messages.count) / seconds(elapsed)))
}

let throughAgents: @Sendable () -> Void = {
    let messages = recordedMessages()
    Benchmark("TelemetryThroughTwinAndAgents",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, messagesPerSecond], timeUnits: .milliseconds,
                                   warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 50,
                                   thresholds: BarThresholds.exact([messagesPerSecond]))) { benchmark in
        feed(messages, to: demoIngest(), measuring: benchmark)
    }

    // The same messages through the contract check and the twin only (no agents, policy or audit store): what the
    // agents and the engine's per-second work add is the difference between the two.
    let bare = IngestPlant.withoutAgents()
    Benchmark("TelemetryThroughTwinOnly",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, messagesPerSecond], timeUnits: .milliseconds,
                                   warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 50)) { benchmark in
        feed(messages, to: TelemetryFeed(engine: PlantEngine(plant: bare, options: EngineOptions(seed: 1))), measuring: benchmark)
    }
}

/// The demo plant with its agents taken out: only the door, the validator and the twin are left.
enum IngestPlant {
    static func withoutAgents() -> PlantSpec {
        var plant = try! PlantSpec.load(path: Repository.path("demo/plant.yaml"))
        for l in plant.lines.indices {
            for c in plant.lines[l].cells.indices { plant.lines[l].cells[c].agents = [] }
        }
        return plant
    }
}
