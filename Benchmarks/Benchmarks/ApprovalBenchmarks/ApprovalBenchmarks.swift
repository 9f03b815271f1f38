import AndonCore
import AndonPolicy
import AndonRuntime
import AndonStore
import Benchmark
import BenchmarkSupport
import Foundation

// DESIGN.md §5: the durable approval round trip (propose → pending committed → approve → executed →
// committed, fsync) takes ≤ 1 ms median. Driven through the real engine against a file store in a
// temporary directory: a one-cell plant whose vibration climbs past its warning limit in seconds, so its
// maintenance agent proposes a speed cut, which this policy sends to a supervisor.
//
// Measured per iteration: the tick in which the agent proposes, the policy decides and the pending
// approval is committed; then `handle(.approve)`, which commits the approval synced (fsync) before
// acknowledging it (with its signed checkpoint and the head file beside the store), executes the action and commits
// the execution. Unmeasured: building a fresh engine and the quiet ticks before the proposal.

let plantText = ApprovalBenchPlant.plantText(id: "approvals", name: "Approval bench")

let policyText = ApprovalBenchPlant.policyText(id: "approvals-bench")

let supervisor = Person(name: "ana", role: .supervisor)

/// The rig of the benchmark running now (benchmarks run one at a time).
nonisolated(unsafe) var sharedRig: RoundTripRig?

final class RoundTripRig {
    let plant = try! PlantSpec.parse(plantText, file: "approvals.yaml")
    let policy = try! PolicyEngine(PolicySpec.parse(text: policyText, file: "approvals-policy.yaml"))
    let directory: URL
    let store: AuditStore
    /// Ticks until the proposal's tick.
    let quietTicks: Int

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("andon-bench-\(getpid())-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // As the runtime writes a plant's store: checkpoints signed at every synced commit, the head file beside it.
        let key = try! SigningKey.loadOrCreate(path: directory.appendingPathComponent("keys/bench.ed25519").path)
        store = try! AuditStore(path: directory.appendingPathComponent("state/audit.sqlite").path, signingKey: key)
        var ticks = 0
        let probe = PlantEngine(plant: plant, options: EngineOptions(seed: 1), judge: policy, audit: try! AuditStore(path: ":memory:"),
                                roster: { _ in supervisor })
        probe.start(recovering: Recovery())
        while probe.pendingApprovals.isEmpty {
            probe.tick()
            ticks += 1
            precondition(ticks < 600, "the bench plant never asked for an approval")
        }
        quietTicks = ticks - 1
    }

    /// A fresh engine on the shared store, ticked to just before the proposal.
    func makeEngine() -> PlantEngine {
        let engine = PlantEngine(plant: plant, options: EngineOptions(seed: 1), judge: policy, audit: store, roster: { _ in supervisor })
        engine.start(recovering: Recovery())
        for _ in 0..<quietTicks { engine.tick() }
        return engine
    }

    /// Proposal, decision and pending commit (one tick), then the synced approval, execution and its commit.
    func roundTrip(_ engine: PlantEngine) -> CommandResult {
        engine.tick()
        guard let approval = engine.pendingApprovals.first else { fatalError("no pending approval after the proposal's tick") }
        return engine.handle(.approve(approvalID: approval.proposal.id), as: supervisor)
    }

    deinit {
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .syscalls, .writeSyscalls],
        timeUnits: .microseconds,
        warmupIterations: 5,
        maxDuration: .seconds(5),
        maxIterations: 2_000,
        thresholds: BarThresholds.exact([.wallClock])
    )

    Benchmark("ApprovalRoundTrip", closure: { benchmark in
        let rig = sharedRig!
        let engine = rig.makeEngine()
        benchmark.startMeasurement()
        let result = rig.roundTrip(engine)
        benchmark.stopMeasurement()
        precondition(result.isAccepted, "approval refused: \(result.message)")
    }, setup: { sharedRig = RoundTripRig() }, teardown: { sharedRig = nil })

    // What the round trip is made of: one commit of one record, synced (fsync) and not.
    for sync in [true, false] {
        Benchmark(sync ? "AuditAppendSync" : "AuditAppendNoSync", closure: { benchmark in
            let entry = AuditEntry(simTime: 1, actor: .person(supervisor), kind: .operatorCommand,
                                   payload: #"{"command":"approve","outcome":"approved"}"#, policyHash: "", correlationID: "bench")
            let store = sharedRig!.store
            benchmark.startMeasurement()
            _ = try! store.append([entry], sync: sync)
            benchmark.stopMeasurement()
        }, setup: { sharedRig = RoundTripRig() }, teardown: { sharedRig = nil })
    }
}
