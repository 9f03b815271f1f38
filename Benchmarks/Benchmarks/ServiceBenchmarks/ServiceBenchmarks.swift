import AndonCore
import AndonPolicy
import AndonRuntime
import AndonService
import AndonStore
import AndonWire
import Benchmark
import BenchmarkSupport
import Foundation

// The service (docs/service.md), measured as `andon serve` runs it: the demo plant in a PlantRuntime on its own
// thread, a ServiceHost on a Unix socket in a temporary folder, a file audit store with its signing key (every synced
// commit writes a signed checkpoint and the head file), and clients linked as `andon attach` links them
// (RemoteRuntime: frames, patches, request ids).
//
// - ServiceCommandRoundTrip: a console sends a command and waits for its answer; the runtime puts it on record,
//   committed and synced (fsync) before it takes effect, the same commit an approval takes (carryOut: record, fsync,
//   signed checkpoint), then answers. The commands alternate pause and resume, so each changes something.
// - ServicePlantTicks/consoles:N: one simulated minute of the demo plant (60 ticks: telemetry, twin, 75 agents,
//   policy, audit) while N consoles are attached, each taking snapshots at 4 a second (the runtime publishes
//   while the plant changes) as a console does. The bar: with 50 consoles within 10 % of none.

let ana = Person(name: "ana", role: .supervisor)

/// A served demo plant with `consoles` consoles attached.
final class ServedPlant: @unchecked Sendable {
    let directory: URL
    let store: AuditStore
    let runtime: PlantRuntime
    let host: ServiceHost
    let socket: String
    var tasks: [Task<Void, Never>] = []
    var consoles: [RemoteRuntime] = []

    init(consoles count: Int) async {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("andon-bench-\(getpid())-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let key = try! SigningKey.loadOrCreate(path: directory.appendingPathComponent("keys/bench.ed25519").path)
        store = try! AuditStore(path: directory.appendingPathComponent("state/riverside.sqlite").path, signingKey: key)
        let plant = try! PlantSpec.load(path: Repository.path("demo/plant.yaml"))
        let scenario = try! Scenario.load(path: Repository.path("demo/scenarios/demo.yaml"), plant: plant)
        let policy = try! PolicyEngine.load(path: Repository.path("demo/policies.yaml"))
        // Live at one simulated second a second: the benchmark ticks the plant itself (advance), the live loop
        // publishes snapshots to the consoles while it changes.
        runtime = PlantRuntime(plant: plant, scenario: scenario, options: EngineOptions(seed: 1), live: LiveOptions(speed: 1),
                               judge: policy, audit: store, roster: { _ in ana })
        socket = directory.appendingPathComponent("run/riverside.sock").path
        host = ServiceHost(runtime: runtime, plant: plant, options: ServiceOptions(socketPath: socket, commandsPerSecond: 1_000_000, commandBurst: 1_000_000),
                           identities: ServiceIdentities(person: { _ in ana }, acceptsClaims: false))
        let runtime = self.runtime
        let host = self.host
        tasks.append(Task { await runtime.run() })
        tasks.append(Task { try? await host.run() })
        while !FileManager.default.fileExists(atPath: socket) { try? await Task.sleep(for: .milliseconds(10)) }
        for i in 0..<count {
            let console = RemoteRuntime(socketPath: socket, hello: Hello(client: .console, program: "bench \(i)", session: UUID().uuidString))
            _ = try! await console.connect()
            consoles.append(console)
            let stream = console.snapshots()
            tasks.append(Task { for await _ in stream {} })
        }
    }

    func close() async {
        for task in tasks { task.cancel() }
        try? await Task.sleep(for: .milliseconds(200))
        await runtime.closeAudit()
        try? FileManager.default.removeItem(at: directory)
    }
}

nonisolated(unsafe) var served: ServedPlant?

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .syscalls],
        timeUnits: .microseconds,
        warmupIterations: 10,
        maxDuration: .seconds(10),
        maxIterations: 3_000
    )

    Benchmark("ServiceCommandRoundTrip", closure: { benchmark in
        let console = served!.consoles[0]
        for i in benchmark.scaledIterations {
            let result = await console.send(.setPaused(i % 2 == 0), as: ana)
            precondition(result.isAccepted, "refused: \(result.message)")
        }
    }, setup: { served = await ServedPlant(consoles: 1) }, teardown: { await served?.close(); served = nil })

    for consoles in [0, 50] {
        Benchmark("ServicePlantTicks/consoles:\(consoles)", configuration: .init(maxDuration: .seconds(20), maxIterations: 400), closure: { _ in
            await served!.runtime.advance(seconds: 60)
        }, setup: { served = await ServedPlant(consoles: consoles) }, teardown: { await served?.close(); served = nil })
    }

    // What one snapshot costs on the wire, a simulated second after the last one (every cell and agent moved): the
    // service's document of it (once, whatever the number of consoles), the patch from the last one (once per base),
    // and a console's snapshot from that patch (in every console).
    for cells in [2_000, 10_000] {
        var configuration = Benchmark.defaultConfiguration
        configuration.metrics = [.wallClock, .peakMemoryResident]
        configuration.warmupIterations = 1
        configuration.maxIterations = 20
        configuration.maxDuration = .seconds(20)
        // No bar names these; at 10,000 cells their thresholds (Thresholds/) are about twice the p90 measured when
        // they were added, so going back to JSON text in between (4 to 9 s a stage) fails the check.
        var guarded = configuration
        if cells == 10_000 { guarded.thresholds = BarThresholds.exact([.wallClock]) }
        Benchmark("WireDocument-\(cells)cells", configuration: guarded, closure: { benchmark in
            let next = wire!.next()
            benchmark.startMeasurement()
            blackHole(try! SnapshotDocument(next))
        }, setup: { wire = WireInputs(cells: cells) }, teardown: { wire = nil })
        Benchmark("WirePatch-\(cells)cells", configuration: guarded, closure: { benchmark in
            let (old, new) = wire!.pair()
            benchmark.startMeasurement()
            blackHole(new.patch(from: old))
        }, setup: { wire = WireInputs(cells: cells) }, teardown: { wire = nil })
        // A plant fed by outside telemetry in which no cell reported this second (each has only its figures that go
        // with time redone, and no agent decided): the document made from the last one, taking the trees of what did
        // not change, against one made afresh.
        Benchmark("WireDocumentQuiet-\(cells)cells", configuration: configuration, closure: { benchmark in
            let (previous, next) = wire!.quietPair()
            benchmark.startMeasurement()
            blackHole(try! SnapshotDocument(next, after: previous))
        }, setup: { wire = WireInputs(cells: cells, external: true) }, teardown: { wire = nil })
        Benchmark("WireDocumentQuietAfresh-\(cells)cells", configuration: configuration, closure: { benchmark in
            let (_, next) = wire!.quietPair()
            benchmark.startMeasurement()
            blackHole(try! SnapshotDocument(next))
        }, setup: { wire = WireInputs(cells: cells, external: true) }, teardown: { wire = nil })
        // The patch's frame as the service writes it (once per base) and as a console reads it, before applying it.
        Benchmark("WirePatchFrame-\(cells)cells", configuration: guarded, closure: { benchmark in
            let (old, new) = wire!.pair()
            let patch = new.patch(from: old)
            benchmark.startMeasurement()
            let frame = try! FrameCodec.frame(ServerMessage.patch(number: 2, base: 1, patch))
            blackHole(try! FrameCodec.decode(ServerMessage.self, from: frame.dropFirst(4)))
            benchmark.stopMeasurement()
            if wire!.printed < 2 {
                wire!.printed += 1
                print("\(cells) cells: \(patch.changes.count) changes, a frame of \(frame.count) bytes")
            }
        }, setup: { wire = WireInputs(cells: cells) }, teardown: { wire = nil })
        Benchmark("WireApply-\(cells)cells", configuration: guarded, closure: { benchmark in
            let (old, new) = wire!.pair()
            let patch = new.patch(from: old)
            benchmark.startMeasurement()
            blackHole(try! SnapshotDocument(applying: patch, to: old))
        }, setup: { wire = WireInputs(cells: cells) }, teardown: { wire = nil })
    }
}

/// A generated plant run for two simulated minutes, whose snapshots one simulated second apart are taken to the wire.
final class WireInputs {
    let engine: PlantEngine
    var printed = 0

    let feed: TelemetryFeed?

    /// The plant run for two simulated minutes; `external`, switched to outside telemetry first (none arrives).
    init(cells: Int, external: Bool = false) {
        engine = PlantEngine(plant: GeneratedPlant.spec(cells: cells), options: EngineOptions(seed: 1),
                             judge: try! PolicyEngine.load(path: Repository.path("demo/policies.yaml")))
        feed = external ? TelemetryFeed(engine: engine) : nil
        engine.start(recovering: Recovery())
        for _ in 0..<120 {
            engine.tick()
            _ = engine.drainEvents()
        }
    }

    /// A document of the outside-fed plant now, and its snapshot a simulated second on.
    func quietPair() -> (SnapshotDocument, PlantSnapshot) {
        let first = try! SnapshotDocument(feed!.snapshot())
        engine.tick()
        _ = engine.drainEvents()
        return (first, feed!.snapshot())
    }

    /// The snapshot a simulated second on.
    func next() -> PlantSnapshot {
        engine.tick()
        _ = engine.drainEvents()
        return engine.snapshot()
    }

    /// The documents of two snapshots a simulated second apart.
    func pair() -> (SnapshotDocument, SnapshotDocument) {
        (try! SnapshotDocument(next()), try! SnapshotDocument(next()))
    }
}

nonisolated(unsafe) var wire: WireInputs?
