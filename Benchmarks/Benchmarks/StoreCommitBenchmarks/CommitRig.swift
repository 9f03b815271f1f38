import AndonCore
import AndonRuntime
import AndonStore
import AndonStorePostgres
import AndonTesting
import Foundation

/// Which store a benchmark commits to.
enum StoreKind: String, CaseIterable {
    /// A SQLite file in a temporary folder (`synchronous = FULL` for a synced commit).
    case sqlite = "SQLite"
    /// A throwaway local PostgreSQL 15 cluster with `fsync=on` (`synchronous_commit = on` for a synced commit).
    case postgres = "PostgreSQL"
}

/// A store of one kind, written as the runtime writes it: a signing key, so that every synced commit ends with a signed
/// checkpoint; for PostgreSQL, the stream and line leases of runtime `bench`.
final class CommitRig {
    let kind: StoreKind
    let directory: URL
    let sink: any AuditLog
    /// The cluster, for PostgreSQL (removed with the rig).
    let cluster: ThrowawayPostgres?
    /// Ticks of a fresh engine until the one in which its agent proposes.
    let quietTicks: Int
    /// Engines made so far: each is a run of its own.
    private var runs = 0

    init(_ kind: StoreKind) {
        self.kind = kind
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("andon-commit-bench-\(getpid())-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let key = try! SigningKey.loadOrCreate(path: directory.appendingPathComponent("keys/bench.ed25519").path)
        switch kind {
        case .sqlite:
            cluster = nil
            sink = try! AuditStore(path: directory.appendingPathComponent("state/audit.sqlite").path, signingKey: key)
        case .postgres:
            let cluster = try! ThrowawayPostgres(durable: true)
            self.cluster = cluster
            sink = try! SharedAuditStore(address: SharedStoreAddress(url: cluster.url), runtimeID: "bench", lines: ["L1"], signingKey: key)
        }
        var ticks = 0
        let probe = PlantEngine(plant: benchPlant, options: EngineOptions(seed: 1), judge: benchPolicy, audit: try! AuditStore(path: ":memory:"),
                                roster: { _ in supervisor })
        probe.start(recovering: Recovery())
        while probe.pendingApprovals.isEmpty {
            probe.tick()
            ticks += 1
            precondition(ticks < 600, "the bench plant never asked for an approval")
        }
        quietTicks = ticks - 1
    }

    /// The shared store, for the benchmarks of its approval table.
    var shared: SharedAuditStore { sink as! SharedAuditStore }

    /// A fresh engine on this store, ticked to just before the proposal.
    func makeEngine() -> PlantEngine {
        // Each engine is a new run of the runtime, as a restart is: its proposals (and on PostgreSQL its shared
        // approvals) are numbered by the run, so they never take an earlier run's ids.
        runs += 1
        var options = EngineOptions(seed: 1)
        options.runNumber = runs
        let engine = PlantEngine(plant: benchPlant, options: options, judge: benchPolicy, audit: sink, roster: { _ in supervisor })
        engine.start(recovering: Recovery())
        for _ in 0..<quietTicks { engine.tick() }
        return engine
    }

    /// The tick in which the agent proposes and the pending approval is committed, then the approval (committed synced),
    /// the action's execution and its commit.
    func roundTrip(_ engine: PlantEngine) -> CommandResult {
        engine.tick()
        guard let approval = engine.pendingApprovals.first else { fatalError("no pending approval after the proposal's tick") }
        return engine.handle(.approve(approvalID: approval.proposal.id), as: supervisor)
    }

    deinit {
        sink.close()
        cluster?.remove()
        try? FileManager.default.removeItem(at: directory)
    }
}
