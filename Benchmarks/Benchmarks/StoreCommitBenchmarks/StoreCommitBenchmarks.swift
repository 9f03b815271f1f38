import AndonCore
import AndonRuntime
import AndonStorePostgres
import Benchmark
import BenchmarkSupport
import Foundation

// What a durable commit costs on each store Andon runs on: SQLite (the embedded default) and PostgreSQL (shared by
// several runtimes), both on this machine's disk with their flush on. Each benchmark starts its own store in its setup
// (for PostgreSQL, a throwaway local cluster with fsync on) and removes it in its teardown.
//
// - ApprovalRoundTrip-<store>: through the real engine, the tick in which an agent proposes and its pending approval is
//   committed, then `handle(.approve)`: the approval committed synced, the action executed and its record committed.
// - SharedApprovalRoundTrip-PostgreSQL: the shared approval table's round trip, `requestApproval`, `decide` and `claim`,
//   each one transaction with its records, synced.
// - AppendSynced1 / AppendSynced100 / AppendUnsynced100-<store>: one `append` of 1 or 100 records, synced or not; each
//   synced commit also writes its signed checkpoint record, as the runtime's does. records/s per commit.

/// The store of the benchmark running now (benchmarks run one at a time).
nonisolated(unsafe) var currentRig: CommitRig?

let recordsPerSecond = BenchmarkMetric.custom("records/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .syscalls],
        timeUnits: .microseconds,
        warmupIterations: 5,
        maxDuration: .seconds(5),
        maxIterations: 2_000
    )

    for kind in StoreKind.allCases {
        Benchmark("ApprovalRoundTrip-\(kind.rawValue)", closure: { benchmark in
            let rig = currentRig!
            let engine = rig.makeEngine()
            benchmark.startMeasurement()
            let result = rig.roundTrip(engine)
            benchmark.stopMeasurement()
            precondition(result.isAccepted, "approval refused: \(result.message)")
        }, setup: { currentRig = CommitRig(kind) }, teardown: { currentRig = nil })

        for (batch, sync) in [(1, true), (100, true), (100, false)] {
            let name = "Append\(sync ? "Synced" : "Unsynced")\(batch)-\(kind.rawValue)"
            Benchmark(name, configuration: .init(metrics: [.wallClock, .cpuTotal, .syscalls, recordsPerSecond]), closure: { benchmark in
                let sink = currentRig!.sink
                let entries = (0..<batch).map(decisionEntry)
                let clock = ContinuousClock()
                let start = clock.now
                benchmark.startMeasurement()
                _ = try! sink.append(entries, sync: sync)
                benchmark.stopMeasurement()
                benchmark.measurement(recordsPerSecond, Int(Double(batch) / seconds(clock.now - start)))
            }, setup: { currentRig = CommitRig(kind) }, teardown: { currentRig = nil })
        }
    }

    Benchmark("SharedApprovalRoundTrip-PostgreSQL", closure: { benchmark in
        let store = currentRig!.shared
        let id = "appr-\(UUID().uuidString.prefix(12))"
        let approval = SharedApproval(id: id, runtimeID: "bench", action: #"{"action":"reduce_speed","cell":"A"}"#, quorum: 1,
                                      deadline: "2026-11-30T23:59:59.000Z", requestedAt: "2026-11-30T12:00:00.000Z")
        let requested = AuditEntry(simTime: 1, actor: .agent("A.maint"), kind: .approvalRequested, payload: #"{"approval":"\#(id)"}"#,
                                   policyHash: "", correlationID: id)
        let approved = AuditEntry(simTime: 2, actor: .person(supervisor), kind: .approvalApproved, payload: #"{"approval":"\#(id)"}"#,
                                  policyHash: "", correlationID: id)
        let executed = AuditEntry(simTime: 2, actor: .system, kind: .actionExecuted, payload: #"{"approval":"\#(id)"}"#,
                                  policyHash: "", correlationID: id)
        let signature = SharedApproval.Signature(name: supervisor.name, role: supervisor.role.rawValue, runtime: "bench")
        benchmark.startMeasurement()
        try! store.requestApproval(approval, records: [requested])
        let decision = try! store.decide(approvalID: id, expectedVersion: 1, to: .approved, signatures: [signature], records: [approved])
        let claimed = try! store.claim(approvalID: id, records: [executed])
        benchmark.stopMeasurement()
        guard case .won = decision, claimed else { fatalError("the approval was not decided and claimed") }
    }, setup: { currentRig = CommitRig(.postgres) }, teardown: { currentRig = nil })
}
