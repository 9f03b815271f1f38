import AndonCore
import AndonStore
import AndonTesting
import Foundation
import Testing
@testable import AndonStorePostgres

/// A PostgreSQL that goes away and comes back, on a cluster of the test's own.
@Suite("The shared store when its server goes away", .enabled(if: TestPostgres.isEnabled))
struct StoreDownTests {
    @Test func appendsThrowWhileTheServerIsDownAndNothingAcknowledgedIsLost() throws {
        let cluster = try ThrowawayPostgres()
        let address = try SharedStoreAddress(url: cluster.url)
        let store = try SharedAuditStore(address: address, runtimeID: "line-a", lines: ["L1"], now: fixedNow)
        defer { store.close() }
        let acknowledged = try store.append(entries(1...3), sync: true)

        try cluster.stop()
        // What the runtime's store-down mode sees: appends throw, the store says it is unreachable, nothing is taken.
        for attempt in 4...6 {
            #expect {
                try store.append([entry(attempt)], sync: true)
            } throws: { error in
                (error as? AuditStoreError)?.code == .unreachable
            }
        }
        #expect(!store.health.isHealthy)
        #expect(store.health.problem?.contains("unreachable") == true)
        #expect(store.health.problem?.contains("postgres://andon@127.0.0.1") == true)

        try cluster.start()
        // The runtime retries with everything still staged, in order; the store reconnects and takes its leases back.
        let retried = try store.append(entries(4...6), sync: true)
        #expect(retried.filter { $0.kind != .checkpoint }.map(\.correlationID) == ["corr-4", "corr-5", "corr-6"])
        #expect(store.health.isHealthy)
        let records = try store.allRecords()
        #expect(Array(records.prefix(acknowledged.count)) == acknowledged)
        #expect(records.filter { $0.kind != .checkpoint }.map(\.correlationID) == (1...6).map { "corr-\($0)" })
        #expect(try store.verify().isIntact)
        #expect(!(try SharedAnchors.verify(address: address)).isBroken)
    }

    @Test func aCommitWhoseAnswerWasLostIsNotWrittenTwice() throws {
        let address = try TestPostgres.freshAddress()
        defer { TestPostgres.drop(address) }
        let store = try SharedAuditStore(address: address, runtimeID: "line-a", now: fixedNow)
        defer { store.close() }
        try store.append(entries(1...2), sync: true)
        // The commit lands, but the store's view is as if its answer never came back (the connection broke after COMMIT).
        try store.append(entries(3...4), sync: true)
        let secondHash = try store.allRecords()[1].hash
        store.withState {
            $0.headSequence = 2
            $0.headHash = secondHash
            $0.needsReconcile = true
        }
        // The runtime still has 3 and 4 staged, and 5 behind them.
        let records = try store.append(entries(3...5), sync: true)
        #expect(records.map(\.correlationID) == ["corr-3", "corr-4", "corr-5"])
        #expect(try store.allRecords().map(\.correlationID) == ["corr-1", "corr-2", "corr-3", "corr-4", "corr-5"])
        #expect(try store.verify().isIntact)
    }
}
