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
        // The cells' quiet flags, kept as their alarm slots change, say what a walk over the slots says.
        for i in twin.cells.indices
        where twin.alarmsAreQuiet(i) != twin.cells[i].alarms.allSatisfy({ $0.point.state == .normal && $0.activations.isEmpty }) {
            Issue.record("\(when): cell \(cells[i].id)'s alarms quiet flag is wrong", sourceLocation: sourceLocation)
        }
        #expect(snapshot.lines == twin.lines.indices.map { twin.lineSnapshot($0) }, "\(when): lines", sourceLocation: sourceLocation)
        #expect(snapshot.agents == engine.agentSnapshots, "\(when): agents", sourceLocation: sourceLocation)
        #expect(Array(snapshot.queues.prefix(engine.queueSnapshots.count)) == engine.queueSnapshots, "\(when): queues", sourceLocation: sourceLocation)
        // What a console would otherwise work out from every agent and cell comes with the snapshot, and is right.
        #expect(snapshot.worstAgents == AgentOrder.worstFirst(snapshot.agents, first: min(snapshot.agents.count, PlantSnapshot.worstAgentsKept)),
                "\(when): worst agents", sourceLocation: sourceLocation)
        #expect(snapshot.cellKeys == snapshot.cells.map(CellKeys.init), "\(when): cells' keys", sourceLocation: sourceLocation)
        let texts = snapshot.currentCellTexts
        #expect(texts != nil, "\(when): cell texts", sourceLocation: sourceLocation)
        #expect(texts?.linePositions == snapshot.cells.map { cell in snapshot.lines.firstIndex { $0.id == cell.line } ?? -1 },
                "\(when): cells' lines", sourceLocation: sourceLocation)
        for (i, cell) in snapshot.cells.enumerated() {
            let needle = Array(cell.id.lowercased().utf8)
            if texts?.cellsHolding(needle)[i] != true { Issue.record("\(when): cell \(cell.id) not found by its id", sourceLocation: sourceLocation) }
        }
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

    /// A sensor's history is a window onto the twin's readings: a snapshot held while the plant runs on (past the
    /// points where a cell's readings move to new storage) shows the readings it was built with, and the last 60
    /// readings each time.
    @Test func heldSnapshotsKeepTheirHistories() throws {
        let engine = PlantEngine(plant: try Fixtures.demoPlant(), options: EngineOptions(seed: 3))
        var values: [[Float]] = Array(repeating: [], count: engine.twin.cells.count)
        var held: [(snapshot: PlantSnapshot, histories: [[[Float]]])] = []
        for second in 1...200 {
            engine.tick()
            let snapshot = engine.snapshot()
            for (i, cell) in snapshot.cells.enumerated() { values[i].append(Float(cell.sensors[0].value)) }
            for (i, cell) in snapshot.cells.enumerated() where Array(cell.sensors[0].history) != Array(values[i].suffix(60)) {
                Issue.record("\(second) s: cell \(cell.id)'s history is not its last readings")
            }
            if second % 17 == 0 { held.append((snapshot, snapshot.cells.map { $0.sensors.map { Array($0.history) } })) }
        }
        for kept in held {
            #expect(kept.snapshot.cells.map { $0.sensors.map { Array($0.history) } } == kept.histories, "a held snapshot's histories changed")
        }
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

    /// A snapshot that moved nearly everything is written into the storage of the one before the last, once nobody
    /// holds that: every snapshot is still right when it is built, whether front ends hold on to snapshots or let them
    /// go (held every third, every other, or none), and a snapshot someone holds never changes afterwards.
    @Test func snapshotsWrittenOverAnEarlierOneAreRightAndHeldOnesNeverChange() throws {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        for holding in [0, 2, 3] {
            let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: Fixtures.vibrationRise, commands: []),
                                     options: EngineOptions(seed: 5), judge: policy, audit: MemoryAuditSink(),
                                     roster: { name in name == "ben" ? Self.ben : Person(name: name, role: .observer) })
            engine.start(recovering: Recovery())
            var held: [(snapshot: PlantSnapshot, text: Data)] = []
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for second in 1...400 {
                engine.tick()
                if second == 200 { _ = engine.handle(.acknowledgeAlarms(cell: "A"), as: Self.ben) }
                let snapshot = engine.snapshot(SnapshotContext(frontEndQueues: [QueueSnapshot(id: "console", kind: .mailbox, capacity: 4,
                                                                                               depth: second % 3, highWater: 2, drops: 0)]))
                if second % 3 == 0 || second < 8 { expectFresh(engine, snapshot, "holding every \(holding), at \(second) s") }
                if holding > 0, second % holding == 0 { held.append((snapshot, try encoder.encode(snapshot))) }
            }
            for (n, kept) in held.enumerated() where try encoder.encode(kept.snapshot) != kept.text {
                Issue.record("holding every \(holding): held snapshot \(n) changed after it was built")
            }
        }
    }

    @Test func outsideAgentsAndFrontEndQueuesBetweenSnapshotsAreShown() throws {
        let engine = PlantEngine(plant: try Fixtures.demoPlant(), options: EngineOptions(seed: 1))
        let id = try #require(engine.plant.outsideAgents.first?.id)
        for second in 1...120 {
            engine.tick()
            if second % 3 == 0 { engine.noteOutsideLatency(id, nanos: UInt64(second) * 10_000) }
            let frontEnd = [QueueSnapshot(id: "console", kind: .mailbox, capacity: 16, depth: second % 5, highWater: min(second, 4), drops: 0)]
            let snapshot = engine.snapshot(SnapshotContext(frontEndQueues: frontEnd))
            expectFresh(engine, snapshot, "at \(second) s")
            #expect(snapshot.queues == engine.queueSnapshots + frontEnd, "at \(second) s")
        }
        #expect(engine.agentSnapshots.first { $0.id == id }?.decisions == 40)
        // Without a front end, its queue is not shown.
        #expect(engine.snapshot().queues == engine.queueSnapshots)
    }
}
