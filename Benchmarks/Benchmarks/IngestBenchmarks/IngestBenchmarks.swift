import AndonCore
import AndonPolicy
import AndonRuntime
import AndonStore
import Benchmark
import BenchmarkSupport
import Foundation

// Telemetry through the door, the twin and the agents, from the recorded demo stream
// (demo/telemetry/riverside-10m.jsonl, 10,711 lines, ten minutes of 18 cells):
//
// - TelemetryThroughTwinAndAgents (bar: ≥ 1,000,000 events/s on one core): the recording's lines, held in memory,
//   through `TelemetryFeed.ingest(line:)` into the demo plant with its 75 agents, the demo policy and an in-memory
//   audit store. Each line is read and checked against the contract by the door, applied to the twin and decided on
//   by its cell's agents (and its line's planner) as it is delivered; the engine ticks each simulated second as the
//   timestamps advance (periodic agent checks, policy, approvals, audit). One event is one line. The malloc count per
//   iteration over 10,711 is the allocations per event.
// - TelemetryThroughTwinOnly: the same lines through the door and the twin, with no agents, policy or audit store:
//   the difference to the one above is what the agents and the engine's per-second work cost.
// - IngestRecordedStream (bar: ≥ 1,500,000 lines/s, so 10,711 lines in ≤ 7.14 ms): the same file read from disk
//   through the line reader `andon run --telemetry FILE` uses, checked and applied to a twin without agents: the door
//   (parse + validate) and the twin.

let benchmarks: @Sendable () -> Void = {
    throughAgents()
    let path = Repository.path("demo/telemetry/riverside-10m.jsonl")
    let lines = RecordedLines.demo.count
    let plant = IngestPlant.withoutAgents()

    Benchmark("IngestRecordedStream", configuration: .init(metrics: [.wallClock, .throughput, .cpuTotal, .mallocCountTotal],
                                                            timeUnits: .microseconds, warmupIterations: 2, maxDuration: .seconds(10),
                                                            maxIterations: 200, thresholds: BarThresholds.exact([.wallClock]))) { benchmark in
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

/// Lines through twin and agents, per second of wall time, in one measured iteration.
let messagesPerSecond = BenchmarkMetric.custom("events/s", polarity: .prefersLarger, useScalingFactor: false)

/// A recorded stream held in memory: its bytes and where each line ends.
struct RecordedLines {
    let bytes: [UInt8]
    let ends: [Int]

    var count: Int { ends.count }

    static let demo = RecordedLines(path: Repository.path("demo/telemetry/riverside-10m.jsonl"))

    init(path: String) {
        bytes = Array((try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
        var ends: [Int] = []
        for (i, byte) in bytes.enumerated() where byte == 0x0A { ends.append(i) }
        if let last = bytes.last, last != 0x0A { ends.append(bytes.count) }
        self.ends = ends
    }

    /// Hands every line, without its newline, to `feed`.
    func feed(to feed: TelemetryFeed) {
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            for end in ends {
                feed.ingest(line: UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end + 1
            }
        }
    }
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

/// One measured iteration: every line through `ingest`, then the events per second it made.
func feed(_ lines: RecordedLines, to ingest: TelemetryFeed, measuring benchmark: Benchmark) {
    let start = ContinuousClock.now
    benchmark.startMeasurement()
    lines.feed(to: ingest)
    ingest.finish()
    benchmark.stopMeasurement()
    let elapsed = ContinuousClock.now - start
    precondition(ingest.accepted == lines.count, "accepted \(ingest.accepted) of \(lines.count) lines")
    benchmark.measurement(messagesPerSecond, Int(Double(lines.count) / seconds(elapsed)))
}

let throughAgents: @Sendable () -> Void = {
    let lines = RecordedLines.demo
    Benchmark("TelemetryThroughTwinAndAgents",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, messagesPerSecond], timeUnits: .microseconds,
                                   warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 100,
                                   thresholds: BarThresholds.exact([messagesPerSecond, .mallocCountTotal]))) { benchmark in
        feed(lines, to: demoIngest(), measuring: benchmark)
    }

    // The same lines through the door and the twin only (no agents, policy or audit store): what the agents and the
    // engine's per-second work add is the difference between the two.
    let bare = IngestPlant.withoutAgents()
    Benchmark("TelemetryThroughTwinOnly",
              configuration: .init(metrics: [.wallClock, .cpuTotal, .mallocCountTotal, messagesPerSecond], timeUnits: .microseconds,
                                   warmupIterations: 2, maxDuration: .seconds(10), maxIterations: 100)) { benchmark in
        feed(lines, to: TelemetryFeed(engine: PlantEngine(plant: bare, options: EngineOptions(seed: 1))), measuring: benchmark)
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
