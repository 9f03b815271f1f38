import AndonCore
import AndonRuntime
import AndonStore
import Benchmark
import BenchmarkSupport
import Foundation

// The audit store at a year's length: a log of 1,000,000 records (in batches of 1,000, with the recovery state saved
// every 5,000 as the runtime does) is built once, unmeasured. Then:
// - OpenAndRecover1M: open it for writing (signed head checked, chain from the last checkpoint), read the recovery
//   point and replay it: what a restart costs. Target ≤ 1 s and ≤ 64 MB.
// - Verify1M: `verify()` walks the whole chain; throughput in records per second.

/// The rig: one store of a million records, built on first use.
final class StoreRig: @unchecked Sendable {
    static let records = 1_000_000
    let directory: URL
    let path: String
    let key: SigningKey

    init() {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("andon-store-bench-\(getpid())")
        try? FileManager.default.removeItem(at: directory)
        path = directory.appendingPathComponent("state/plant.sqlite").path
        key = try! SigningKey.loadOrCreate(path: directory.appendingPathComponent("keys/plant.ed25519").path)
        let store = try! AuditStore(path: path, signingKey: key)
        var state = Recovery()
        state.runs = 1
        for batch in 0..<(Self.records / 1000) {
            let entries = (0..<1000).map { i -> AuditEntry in
                let n = batch * 1000 + i
                return AuditEntry(simTime: Double(n), actor: .system, kind: n.isMultiple(of: 3) ? .stateChange : .alarm,
                                  payload: #"{"cell":"B\#(n % 18)","from":"Execute","reason":"none","to":"Held"}"#, policyHash: String(repeating: "ab", count: 32),
                                  correlationID: "c-\(n)")
            }
            try! store.append(entries, sync: false)
            if (batch + 1).isMultiple(of: 5) {
                state.lastSimTime = Double(batch * 1000)
                state.spentKeys["agent/reduce_speed/t\(batch)"] = Double(batch * 1000)
                try! store.checkpoint(recoveryState: state.encoded(), closing: false)
            }
        }
        try! store.checkpoint(recoveryState: state.encoded(), closing: true)
        store.close()
    }

    deinit { try? FileManager.default.removeItem(at: directory) }
}

let recordsPerSecond = BenchmarkMetric.custom("records/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    let rig = StoreRig()
    Benchmark("OpenAndRecover1M", configuration: .init(metrics: [.wallClock, .peakMemoryResident, .cpuTotal], timeUnits: .milliseconds,
                                                        warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            let store = try! AuditStore(path: rig.path, signingKey: rig.key)
            let recovery = try! Recovery.replay(store.recoveryPoint())
            benchmark.stopMeasurement()
            precondition(recovery.runs == 1 && recovery.records < 10_000, "recovered from the saved state")
            // A clean close again, so the next iteration opens the same kind of log.
            try! store.checkpoint(recoveryState: recovery.encoded(), closing: true)
            store.close()
        }
    }

    Benchmark("Verify1M", configuration: .init(metrics: [.wallClock, recordsPerSecond], timeUnits: .milliseconds,
                                                warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 3)) { benchmark in
        let store = try! AuditStore(path: rig.path, access: .read)
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        let result = try! store.verify()
        benchmark.stopMeasurement()
        let elapsed = ContinuousClock.now - start
        precondition(result.isIntact)
        if case let .intact(records, _) = result {
            benchmark.measurement(recordsPerSecond, Int(Double(records) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)))
        }
        store.close()
    }
}
