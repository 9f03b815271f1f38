import AndonCore
import AndonTesting
import Synchronization
import Testing
@testable import AndonRuntime

/// The door's clock: a message on time is never refused as from the future, however slowly the source publishes.
struct IngestClockTests {
    /// A wall clock the test moves by hand.
    final class WallClock: Sendable {
        let seconds: Mutex<Double>
        init(_ start: Double) { seconds = Mutex(start) }
        func set(_ value: Double) { seconds.withLock { $0 = value } }
        func read() -> Double { seconds.withLock { $0 } }
    }

    @Test func aSlowSourceIsNeverRefusedAsFromTheFuture() throws {
        let start = 1_767_592_800.0
        let wall = WallClock(start)
        let engine = PlantEngine(plant: try Fixtures.demoPlant(), options: EngineOptions(seed: 1))
        let ingest = TelemetryFeed(engine: engine, options: IngestOptions(maxClockSkewSeconds: 10, clock: { wall.read() }))
        for second in 1...30 {
            wall.set(start + Double(second))
            ingest.ingest(line: TelemetryMessage(source: "plc", sequence: UInt64(second), timestamp: start + Double(second), cell: "B1").jsonLine())
        }
        #expect(ingest.rejects.countsByName["future_timestamp"] == nil)
        #expect(ingest.accepted == 30)
    }

    @Test func aTimestampAheadOfTheClockIsStillRefused() throws {
        let wall = WallClock(1_767_592_800)
        let engine = PlantEngine(plant: try Fixtures.demoPlant(), options: EngineOptions(seed: 1))
        let ingest = TelemetryFeed(engine: engine, options: IngestOptions(maxClockSkewSeconds: 10, clock: { wall.read() }))
        ingest.ingest(line: TelemetryMessage(source: "plc", sequence: 1, timestamp: 1_767_592_811, cell: "B1").jsonLine())
        #expect(ingest.rejects.countsByName["future_timestamp"] == 1)
    }
}
