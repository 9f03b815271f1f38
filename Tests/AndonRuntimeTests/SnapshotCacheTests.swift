import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// A snapshot built from what changed since the last one shows exactly what one built afresh shows.
@Suite struct SnapshotCacheTests {
    static let ana = Person(name: "ana", role: .supervisor)
    static let ben = Person(name: "ben", role: .operator)

    /// Checks every part of `snapshot` against the same part built from scratch now.
    func expectFresh(_ engine: PlantEngine, _ snapshot: PlantSnapshot, _ when: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let twin = engine.twin
        let cells = twin.cells.indices.map { twin.cellSnapshot($0, staleAfter: engine.plant.staleAfterSeconds) }
        for i in cells.indices where snapshot.cells[i] != cells[i] {
            Issue.record("\(when): cell \(cells[i].id) differs from one built afresh", sourceLocation: sourceLocation)
        }
        #expect(snapshot.lines == twin.lines.indices.map { twin.lineSnapshot($0) }, "\(when): lines", sourceLocation: sourceLocation)
        #expect(snapshot.agents == engine.agentSnapshots, "\(when): agents", sourceLocation: sourceLocation)
        #expect(Array(snapshot.queues.prefix(engine.queueSnapshots.count)) == engine.queueSnapshots, "\(when): queues", sourceLocation: sourceLocation)
    }

    @Test func reportedTelemetryBetweenSnapshotsIsShown() throws {
        let engine = PlantEngine(plant: try Fixtures.demoPlant(), options: EngineOptions(seed: 1))
        let feed = TelemetryFeed(engine: engine, options: IngestOptions(clock: { 1_767_600_000 }))
        let text = try String(contentsOfFile: Fixtures.path("demo/telemetry/riverside-10m.jsonl"), encoding: .utf8)
        let lines = text.split(separator: "\n").prefix(400)
        // Snapshots every few lines: some within one second of source time (only the cells reported change), some
        // across seconds (every cell's data age moves).
        for (n, line) in lines.enumerated() {
            feed.ingest(line: String(line))
            if n % 7 == 0 {
                expectFresh(engine, feed.snapshot(), "after line \(n + 1)")
            }
        }
        #expect(feed.accepted == lines.count)
        // Then nothing more is reported: time alone moves each cell's data age, staleness, OEE and alarm rate; data
        // goes stale (an alarm each), and ten minutes on the alarm rate forgets them.
        for second in 1...720 {
            engine.tick()
            if second % 15 == 0 { expectFresh(engine, feed.snapshot(), "\(second) s after the last line") }
        }
        #expect(feed.snapshot().cells.contains { $0.isStale })
    }

    @Test func actsAndDecisionsBetweenSnapshotsAreShown() throws {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        let roster: @Sendable (String) -> Person = { name in name == "ana" ? Self.ana : name == "ben" ? Self.ben : Person(name: name, role: .observer) }
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: Fixtures.vibrationRise, commands: []),
                                 options: EngineOptions(seed: 11), judge: policy, audit: MemoryAuditSink(), roster: roster)
        engine.start(recovering: Recovery())
        expectFresh(engine, engine.snapshot(), "at the start")
        for second in 1...600 {
            engine.tick()
            if second % 10 == 0 { expectFresh(engine, engine.snapshot(), "at \(second) s") }
            // A second snapshot within the same second, with nothing changed in between.
            if second % 50 == 0 { expectFresh(engine, engine.snapshot(), "again at \(second) s") }
        }
        // Acts between two ticks: each shows in the very next snapshot.
        engine.twin.cells[0].values[0] = 3
        engine.twin.evaluateAlarms(0, running: true)
        expectFresh(engine, engine.snapshot(), "after an alarm came in")
        _ = engine.handle(.acknowledgeAlarms(cell: "A"), as: Self.ben)
        engine.tick()
        expectFresh(engine, engine.snapshot(), "after acknowledging")
        _ = engine.handle(.killSwitch(on: true, agentID: nil), as: Self.ana)
        expectFresh(engine, engine.snapshot(), "with the kill switch on")
        engine.tick()
        expectFresh(engine, engine.snapshot(), "a second later")
        _ = engine.handle(.killSwitch(on: false, agentID: nil), as: Self.ana)
        expectFresh(engine, engine.snapshot(), "with the kill switch off")
    }
}
