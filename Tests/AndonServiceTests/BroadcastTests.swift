import AndonCore
import AndonRuntime
import AndonTesting
import AndonWire
import Testing
@testable import AndonService

/// The documents the service keeps as bases for patches: the last four, or fewer when they are large.
@Suite struct BroadcastTests {
    /// Five snapshots of the demo plant a simulated second apart, published to a broadcast with one session attached.
    private func published(baseBytes: Int) throws -> (Broadcast, latest: (number: UInt64, document: SnapshotDocument)) {
        let engine = PlantEngine(plant: try Fixtures.demoPlant(), options: EngineOptions(seed: 1))
        engine.start(recovering: Recovery())
        engine.run(until: 60)
        let broadcast = Broadcast(tailLength: 10, baseBytes: baseBytes)
        broadcast.add(SessionOutbox(eventLimit: 10), id: 1)
        for _ in 0..<5 {
            engine.run(until: engine.time + 1)
            broadcast.publish(engine.snapshot())
        }
        return (broadcast, try #require(broadcast.latest))
    }

    @Test func aClientUpToThreeSnapshotsBehindGetsAPatch() throws {
        let (broadcast, latest) = try published(baseBytes: 64 << 20)
        #expect(latest.number == 5)
        for base: UInt64 in [2, 3, 4] { #expect(try !broadcast.frame(from: base, to: latest).isWhole, "base \(base)") }
        #expect(try broadcast.frame(from: 1, to: latest).isWhole, "four bases kept")
        #expect(try broadcast.frame(from: nil, to: latest).isWhole)
    }

    @Test func largeDocumentsAreKeptTwoAtATime() throws {
        // A budget smaller than one document: only the last two are kept.
        let (broadcast, latest) = try published(baseBytes: 1_000)
        #expect(try !broadcast.frame(from: 4, to: latest).isWhole)
        #expect(try broadcast.frame(from: 3, to: latest).isWhole)
    }
}
