import AndonConsole
import AndonCore
import AndonPolicy
import AndonRuntime
import Benchmark
import BenchmarkSupport
import Foundation

// DESIGN.md §5: composing one frame at 200×60 takes ≤ 1 ms whatever the plant's size, up to 10,000 cells.
// Plants: the demo (18 cells, with its scenario and policy) and generated plants of 200, 2,000 and 10,000
// cells shaped like it (scripts/make-plant.py). Each is run for two simulated minutes so that timelines,
// sensor histories, alarms and events are filled in; then the snapshot and console state are fixed and
// one frame is composed per iteration (and, separately, composed and rendered through the text backend).
//
// The console keeps what it works out from a snapshot (sorted rows, pending approvals, worst agents) until
// the next one arrives, so two cases are measured:
// - ComposeFrame: the first frame of a new snapshot, what the live console pays up to 4 times a second.
//   Iterations alternate between two copies of the snapshot with storage of their own, so every frame
//   composes a snapshot the console has not seen just before. This is the case DESIGN.md §5 bounds.
// - ComposeRedraw: the same snapshot again (a key press, a resize, an event with no new snapshot).
// - ObserveAndComposeByOEE: what the live console does with each new snapshot, all of it: it finds where
//   each pane's remembered item is now (the cell someone selected in flow order, then sorted by OEE, so
//   that cell lies far down an order only partly worked out) and composes the frame.

let frameSize = TerminalSize(columns: 200, rows: 60)
let viewer = Person(name: "ana", role: .supervisor)

/// A snapshot and the console state fed with the run's events.
struct FrameInputs {
    var snapshot: PlantSnapshot
    /// Two copies of `snapshot` that share no array storage with it or with each other.
    var copies: [PlantSnapshot]
    var state: ConsoleState
    var engine: PlantEngine
}

/// `snapshot` with every array copied into storage of its own, as a new snapshot from the runtime would have.
func freshCopy(of snapshot: PlantSnapshot) -> PlantSnapshot {
    var copy = snapshot
    copy.lines = snapshot.lines.map { $0 }
    copy.cells = snapshot.cells.map { $0 }
    copy.queues = snapshot.queues.map { $0 }
    copy.agents = snapshot.agents.map { $0 }
    copy.approvals = snapshot.approvals.map { $0 }
    // Setting the cells and agents lets go of their texts and order; a runtime's snapshot comes with both.
    copy.cellTexts = snapshot.cellTexts
    copy.cellKeys = snapshot.cellKeys
    copy.worstAgents = snapshot.worstAgents
    return copy
}

func makeInputs(cells: Int) -> FrameInputs {
    let engine: PlantEngine
    if cells == 18 {
        let plant = try! PlantSpec.load(path: Repository.path("demo/plant.yaml"))
        engine = PlantEngine(plant: plant, scenario: try! Scenario.load(path: Repository.path("demo/scenarios/demo.yaml"), plant: plant),
                             options: EngineOptions(seed: 1), judge: try! PolicyEngine.load(path: Repository.path("demo/policies.yaml")))
    } else {
        engine = PlantEngine(plant: GeneratedPlant.spec(cells: cells), options: EngineOptions(seed: 1),
                             judge: try! PolicyEngine.load(path: Repository.path("demo/policies.yaml")))
    }
    engine.isBufferingEvents = true
    engine.start(recovering: Recovery())
    var state = ConsoleState(person: viewer)
    for _ in 0..<120 {
        engine.tick()
        for event in engine.drainEvents() { state.receive(event) }
    }
    let snapshot = engine.snapshot()
    return FrameInputs(snapshot: snapshot, copies: [freshCopy(of: snapshot), freshCopy(of: snapshot)], state: state, engine: engine)
}

/// The inputs of the benchmark running now (benchmarks run one at a time).
nonisolated(unsafe) var inputs: FrameInputs?
/// Frames composed so far, to alternate between the two copies of the snapshot.
nonisolated(unsafe) var frames = 0
/// The snapshot a front end holds between two snapshot benchmarks' iterations.
nonisolated(unsafe) var heldSnapshot: PlantSnapshot?
/// A console state that has seen a snapshot and remembers what it selected.
nonisolated(unsafe) var observedState: ConsoleState?
/// The plant fed by external telemetry, for `SnapshotExternal`.
nonisolated(unsafe) var externalFeed: TelemetryFeed?

/// The plant of `cells` cells switched to external telemetry, started and run for ten seconds with no message (so
/// every cell is stale and has its data-quality alarm, as when a whole plant's feed is down).
func makeExternalFeed(cells: Int) -> TelemetryFeed {
    let plant = cells == 18 ? try! PlantSpec.load(path: Repository.path("demo/plant.yaml")) : GeneratedPlant.spec(cells: cells)
    let engine = PlantEngine(plant: plant, options: EngineOptions(seed: 1), judge: try! PolicyEngine.load(path: Repository.path("demo/policies.yaml")))
    let feed = TelemetryFeed(engine: engine)
    engine.start(recovering: Recovery())
    for _ in 0..<10 { engine.tick() }
    return feed
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal],
        timeUnits: .microseconds,
        warmupIterations: 10,
        maxDuration: .seconds(3),
        maxIterations: 5_000,
        thresholds: BarThresholds.exact([.wallClock])
    )

    for cells in [18, 200, 2_000, 10_000] {
        let setup: Benchmark.BenchmarkSetupHook = { inputs = makeInputs(cells: cells) }
        let teardown: Benchmark.BenchmarkTeardownHook = { inputs = nil }

        Benchmark("ComposeFrame200x60-\(cells)cells", closure: { _ in
            frames += 1
            blackHole(ScreenComposer.compose(snapshot: inputs!.copies[frames % 2], state: inputs!.state, size: frameSize))
        }, setup: setup, teardown: teardown)

        // The same first frame with the cells sorted by OEE, and with a filter: both look at every cell once per snapshot.
        Benchmark("ComposeFrameByOEE200x60-\(cells)cells", closure: { _ in
            frames += 1
            var state = inputs!.state
            state.sort = .oee
            blackHole(ScreenComposer.compose(snapshot: inputs!.copies[frames % 2], state: state, size: frameSize))
        }, setup: setup, teardown: teardown)

        Benchmark("ComposeFrameFiltered200x60-\(cells)cells", closure: { _ in
            frames += 1
            var state = inputs!.state
            state.filter = "L1"
            blackHole(ScreenComposer.compose(snapshot: inputs!.copies[frames % 2], state: state, size: frameSize))
        }, setup: setup, teardown: teardown)

        Benchmark("ObserveAndComposeByOEE200x60-\(cells)cells", closure: { _ in
            frames += 1
            var state = observedState!
            state.observe(inputs!.copies[frames % 2])
            blackHole(ScreenComposer.compose(snapshot: inputs!.copies[frames % 2], state: state, size: frameSize))
        }, setup: {
            inputs = makeInputs(cells: cells)
            // A cell selected in flow order (the console remembers the first row's), then the cells sorted by OEE.
            var state = inputs!.state
            state.observe(inputs!.snapshot)
            state.sort = .oee
            observedState = state
        }, teardown: { inputs = nil; observedState = nil })

        Benchmark("ComposeRedraw200x60-\(cells)cells", closure: { _ in
            blackHole(ScreenComposer.compose(snapshot: inputs!.snapshot, state: inputs!.state, size: frameSize))
        }, setup: setup, teardown: teardown)

        Benchmark("ComposeRenderText200x60-\(cells)cells", closure: { _ in
            let frame = ScreenComposer.compose(snapshot: inputs!.snapshot, state: inputs!.state, size: frameSize)
            blackHole(TextRenderer.render(frame.canvas))
        }, setup: setup, teardown: teardown)

        // Not a frame, but paid up to 4 times a second by the live runtime: the snapshot of the plant. After one tick
        // (the plant moved a simulated second, so every cell's data age and OEE clocks moved with it), and again with
        // nothing changed (a paused plant, or a second snapshot within one tick). The snapshot a front end held is let
        // go outside the measurement, as the console lets go of it on its own thread.
        var snapshotConfiguration = Benchmark.defaultConfiguration
        snapshotConfiguration.warmupIterations = 1
        snapshotConfiguration.maxIterations = cells > 2_000 ? 40 : 200
        snapshotConfiguration.maxDuration = .seconds(10)
        Benchmark("Snapshot-\(cells)cells", configuration: snapshotConfiguration, closure: { benchmark in
            inputs!.engine.tick()
            _ = inputs!.engine.drainEvents()
            benchmark.startMeasurement()
            let snapshot = inputs!.engine.snapshot()
            benchmark.stopMeasurement()
            heldSnapshot = snapshot
        }, setup: setup, teardown: { inputs = nil; heldSnapshot = nil })

        var unchangedConfiguration = snapshotConfiguration
        unchangedConfiguration.thresholds = nil
        Benchmark("SnapshotUnchanged-\(cells)cells", configuration: unchangedConfiguration, closure: { benchmark in
            heldSnapshot = inputs!.engine.snapshot()
            benchmark.startMeasurement()
            let snapshot = inputs!.engine.snapshot()
            benchmark.stopMeasurement()
            heldSnapshot = snapshot
        }, setup: setup, teardown: { inputs = nil; heldSnapshot = nil })

        // External telemetry (`andon run`, `andon serve` on a real plant): a second passed and no cell reported, so
        // each keeps what it showed and has only its figures that go with time (data age, OEE, alarm rate) redone.
        Benchmark("SnapshotExternal-\(cells)cells", configuration: unchangedConfiguration, closure: { benchmark in
            externalFeed!.engine.tick()
            _ = externalFeed!.engine.drainEvents()
            benchmark.startMeasurement()
            let snapshot = externalFeed!.snapshot()
            benchmark.stopMeasurement()
            heldSnapshot = snapshot
        }, setup: { externalFeed = makeExternalFeed(cells: cells); heldSnapshot = externalFeed!.snapshot() },
           teardown: { externalFeed = nil; heldSnapshot = nil })
    }
}
