import AndonCore
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// External telemetry: whole messages applied, the clock from source timestamps, nothing invented.
struct IngestTests {
    static let epoch = 1_767_592_800.0
    static let options = IngestOptions(clock: { 1_767_600_000 })

    private func externalRun(_ plant: PlantSpec? = nil) throws -> (PlantEngine, TelemetryFeed) {
        let engine = PlantEngine(plant: try plant ?? Fixtures.demoPlant(), options: EngineOptions(seed: 1))
        return (engine, TelemetryFeed(engine: engine, options: Self.options))
    }

    private func line(seq: UInt64, at t: Double, cell: String = "B1", state: String? = "Execute", produced: Int? = nil, scrap: Int? = nil,
                      vibration: Double = 1.5, unit: String = "mm/s") -> String {
        TelemetryMessage(source: "plc", sequence: seq, timestamp: Self.epoch + t, cell: cell,
                         readings: [TelemetryReading(sensor: "vibration", value: vibration, unit: unit),
                                    TelemetryReading(sensor: "oil_temp", value: 50, unit: "°C")],
                         produced: produced, scrap: scrap, state: state).jsonLine()
    }

    @Test func aMessageUpdatesItsCellAndReachesAgents() throws {
        let (engine, ingest) = try externalRun()
        var frames: [TelemetryFrame] = []
        engine.onTelemetry = { frames.append($0) }
        ingest.ingest(line: line(seq: 1, at: 0, produced: 7, scrap: 1, vibration: 2.2))
        ingest.ingest(line: line(seq: 2, at: 30, state: "Held", produced: 9, scrap: 1, vibration: 0.3))
        #expect(engine.time == 30)
        #expect(engine.twin.state(of: "B1") == .held)
        #expect(engine.twin.counts(of: "B1")! == (9, 8, 1))
        #expect(frames.map(\.readings) == [[2.2, 50], [0.3, 50]])
        #expect(frames.map(\.sourceTime) == [0, 30])
        let cell = ingest.snapshot().cells.first { $0.id == "B1" }!
        #expect(cell.sensors[0].value == 0.3)
        #expect(!cell.isStale)
        #expect(ingest.accepted == 2)
    }

    @Test func aBadMessageChangesNothing() throws {
        let (engine, ingest) = try externalRun()
        ingest.ingest(line: line(seq: 1, at: 0, produced: 5, scrap: 0, vibration: 1.5))
        let before = ingest.snapshot().cells.first { $0.id == "B1" }!
        // The first reading is fine, the second is in the wrong unit: the whole message is refused.
        ingest.ingest(line: #"{"schema":1,"source":"plc","seq":2,"ts":1767592801,"cell":"B1","state":"Aborted","produced":6,"scrap":1,"readings":{"vibration":{"value":6.5,"unit":"mm/s"},"oil_temp":{"value":50,"unit":"K"}}}"#)
        let after = ingest.snapshot().cells.first { $0.id == "B1" }!
        #expect(after.sensors.map(\.value) == before.sensors.map(\.value))
        #expect(after.state == .execute)
        #expect(after.produced == 5)
        #expect(engine.time == 0)
        #expect(ingest.rejects.counts == [.wrongUnit: 1])
        #expect(ingest.rejects.recent.first?.line == 2)
        #expect(ingest.snapshot().telemetryRejects == 1)
        #expect(ingest.snapshot().telemetryRejectReasons == ["wrong_unit": 1])
    }

    @Test func aParsedMessageIsCheckedAndAppliedLikeALine() throws {
        let (engine, ingest) = try externalRun()
        var frames: [TelemetryFrame] = []
        engine.onTelemetry = { frames.append($0) }
        let message = { (seq: UInt64, unit: String) in
            TelemetryMessage(source: "plc", sequence: seq, timestamp: Self.epoch + Double(seq), cell: "B1",
                             readings: [TelemetryReading(sensor: "vibration", value: 2.5, unit: unit)], state: "Execute")
        }
        ingest.ingest(message: message(1, "mm/s"))
        ingest.ingest(message: message(2, "in/s"))
        #expect(frames.count == 1)
        #expect(frames.first?.readings.first == 2.5)
        #expect(ingest.accepted == 1)
        #expect(ingest.rejects.counts == [.wrongUnit: 1])
        let refused = try #require(ingest.rejects.recent.first)
        #expect(refused.line == 2)
        #expect(refused.original == "source plc seq 2 cell B1 at \(Self.epoch + 2)")
    }

    @Test func duplicatesAreAppliedOnce() throws {
        let (engine, ingest) = try externalRun()
        var frames = 0
        engine.onTelemetry = { _ in frames += 1 }
        let first = line(seq: 1, at: 1, produced: 5, scrap: 0)
        ingest.ingest(line: first)
        ingest.ingest(line: first)
        ingest.ingest(line: line(seq: 2, at: 2, produced: 6, scrap: 0))
        ingest.ingest(line: first)
        #expect(frames == 2)
        #expect(ingest.accepted == 2)
        #expect(ingest.rejects.counts == [.duplicate: 2])
    }

    @Test func lateDataIsRefusedNotMixedIn() throws {
        let (engine, ingest) = try externalRun()
        ingest.ingest(line: line(seq: 1, at: 1, produced: 5, scrap: 0))
        ingest.ingest(line: line(seq: 3, at: 3, produced: 7, scrap: 0))
        ingest.ingest(line: line(seq: 2, at: 2, produced: 6, scrap: 0))
        #expect(engine.twin.counts(of: "B1")!.produced == 7)
        #expect(ingest.rejects.counts == [.outOfOrder: 1])
    }

    @Test func silentCellsGoStaleAndAgentsStandDown() throws {
        let (engine, ingest) = try externalRun()
        var staleAlarms: Set<String> = []
        engine.onEvent = { event in
            if case let .alarm(change) = event.body, change.tag.hasSuffix(".data.STALE"), change.state == .unacknowledged { staleAlarms.insert(change.tag) }
        }
        var seq: UInt64 = 0
        for t in 0...60 {
            seq += 1
            ingest.ingest(line: line(seq: seq, at: Double(t), cell: "B2"))
            if t <= 5 {
                seq += 1
                ingest.ingest(line: line(seq: seq, at: Double(t), cell: "B1"))
            }
        }
        let cells = Dictionary(uniqueKeysWithValues: ingest.snapshot().cells.map { ($0.id, $0) })
        #expect(cells["B1"]!.isStale)
        #expect(cells["B1"]!.status == .stale)
        #expect(cells["B1"]!.dataAge == 55)
        #expect(!cells["B2"]!.isStale)
        #expect(cells["B3"]!.isStale, "a cell that never reported is stale")
        #expect(staleAlarms.contains("B1.data.STALE"))
        #expect(!staleAlarms.contains("B2.data.STALE"))
        let figures = ingest.figures
        #expect(figures.cells["B1"]!.isStale && figures.cells["B1"]!.dataAgeSeconds == 55)
        #expect(figures.cells["B3"]!.dataAgeSeconds == nil)
    }

    @Test func externalModeInventsNoMaterialFlow() throws {
        let (engine, ingest) = try externalRun()
        let buffersBefore = engine.twin.bufferSnapshots.map(\.depth)
        for t in 1...1800 { ingest.ingest(line: line(seq: UInt64(t), at: Double(t))) }
        #expect(engine.twin.bufferSnapshots.map(\.depth) == buffersBefore)
        for cell in engine.plant.cells { #expect(engine.twin.counts(of: cell.id)!.produced == 0) }
        #expect(engine.time == 1800)
    }

    @Test func aReplayedRecordingReproducesTheSimulatedCells() throws {
        let plant = try Fixtures.demoPlant()
        let simulated = PlantEngine(plant: plant, scenario: try Fixtures.demoScenario(plant: plant), options: EngineOptions(seed: 3))
        var lines: [String] = []
        let cells = Dictionary(uniqueKeysWithValues: plant.cells.map { ($0.id, $0) })
        simulated.onTelemetry = { frame in
            lines.append(TelemetryMessage(frame: frame, cell: cells[frame.cell]!, source: "sim", sequence: UInt64(lines.count + 1),
                                          epoch: Self.epoch, reason: simulated.twin.reason(of: frame.cell)).jsonLine())
        }
        simulated.run(until: 3600)
        let (engine, ingest) = try externalRun(plant)
        for line in lines { ingest.ingest(line: line) }
        #expect(ingest.rejects.total == 0)
        #expect(engine.time == simulated.time)
        let replayed = Dictionary(uniqueKeysWithValues: ingest.snapshot().cells.map { ($0.id, $0) })
        for cell in simulated.snapshot().cells {
            let other = replayed[cell.id]!
            #expect(other.produced == cell.produced && other.scrap == cell.scrap, "\(cell.id)")
            #expect(other.status == cell.status, "\(cell.id)")
            #expect(other.sensors.count == cell.sensors.count && !cell.sensors.isEmpty, "\(cell.id)")
            #expect(zip(other.sensors, cell.sensors).allSatisfy { abs($0.value - $1.value) < 1e-4 }, "\(cell.id)")
        }
    }

    @Test func linesAreReadFromADescriptorWithoutLosingAny() throws {
        let (_, ingest) = try externalRun()
        var text = ""
        for t in 1...3000 { text += line(seq: UInt64(t), at: Double(t)) + (t.isMultiple(of: 7) ? "\r\n" : "\n") }
        text += "\n   \n" + String(repeating: "x", count: 70_000) + "\n" + line(seq: 3001, at: 3001) // no final newline
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("andon-ingest-\(UUID().uuidString).jsonl")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let fd = open(url.path, O_RDONLY)
        defer { close(fd) }
        #expect(ingest.consume(fileDescriptor: fd) == .endOfInput)
        #expect(ingest.accepted == 3001)
        #expect(ingest.rejects.counts == [.tooLong: 1])
        #expect(ingest.rejects.recent.first?.line == 3003)
        #expect(ingest.lineNumber == 3004)
    }

    /// Cells nobody takes telemetry from (no agents, no planner on their line, no tap) have their frames counted, not
    /// queued for delivery to nobody. Their numbers stay taken: the events that are published carry the same sequence
    /// numbers, and the run counts the same events, as when a tap takes every frame. A tap set during the run gets
    /// every frame from then on.
    @Test func telemetryNobodyTakesIsCountedNotQueued() throws {
        var plant = try Fixtures.demoPlant()
        for l in plant.lines.indices {
            for c in plant.lines[l].cells.indices { plant.lines[l].cells[c].agents = [] }
        }
        var lines: [String] = []
        for n in 1...40 {
            let cell = n % 3 == 0 ? "B2" : "B1"
            let state = n % 10 < 5 ? "Execute" : "Held"
            let vibration = n % 7 == 0 ? 9.5 : 1.5
            lines.append(line(seq: UInt64(n), at: Double(n), cell: cell, state: state, produced: n, scrap: 0, vibration: vibration))
        }
        func run(tapFrom first: Int?) throws -> (events: [String], count: UInt64, frames: Int, forwarded: [Bool]) {
            let (engine, ingest) = try self.externalRun(plant)
            var events: [String] = []
            var frames = 0
            engine.onEvent = { (event: EventEnvelope) in events.append("\(event.sequence) \(event.correlationID) \(event.body)") }
            var forwarded: [Bool] = []
            for (n, text) in lines.enumerated() {
                if n == first { engine.onTelemetry = { (_: TelemetryFrame) in frames += 1 } }
                ingest.ingest(line: text)
                forwarded.append(engine.twin.forwardsTelemetry.allSatisfy { $0 })
            }
            #expect(ingest.accepted == lines.count)
            return (events, engine.events.count, frames, forwarded)
        }
        let tapped = try run(tapFrom: 0)
        let untapped = try run(tapFrom: nil)
        let tappedLate = try run(tapFrom: 25)
        #expect(tapped.frames == lines.count)
        #expect(untapped.forwarded.allSatisfy { !$0 }, "with no agents and no tap, no cell's frames are queued")
        #expect(tappedLate.forwarded == Array(repeating: false, count: 25) + Array(repeating: true, count: 15))
        #expect(tappedLate.frames == 15, "a tap set during the run gets every frame from then on")
        #expect(tapped.events.count > 5, "state changes and alarms were published: \(tapped.events)")
        #expect(untapped.events == tapped.events)
        #expect(tappedLate.events == tapped.events)
        #expect(untapped.count == tapped.count && tappedLate.count == tapped.count)

        // With agents, every cell that has some forwards its frames.
        let (withAgents, _) = try externalRun()
        #expect(withAgents.twin.forwardsTelemetry.allSatisfy { $0 })
    }
}

/// A FIFO's writer may come and go (a bridge restarts): the reader waits for the next one and says so.
struct FIFOTests {
    @Test func aFIFOWhoseWriterClosesIsReadAgainWhenTheNextWriterComes() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("andon-fifo-\(UUID().uuidString)").path
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let chunks = LineReader.chunks(of: path, maxLineBytes: 1024)
        let writer = Task.detached {
            for round in 1...2 {
                let fd = open(path, O_WRONLY)
                let text = "round \(round) line 1\nround \(round) line 2\n"
                _ = text.withCString { write(fd, $0, strlen($0)) }
                close(fd)
                try? await Task.sleep(for: .milliseconds(300))
            }
        }
        var seen: [String] = []
        for await chunk in chunks {
            switch chunk {
            case let .lines(block):
                block.forEachLine { bytes, _ in seen.append(String(decoding: bytes, as: UTF8.self)) }
            case let .source(state, _):
                seen.append("[\(state.rawValue)]")
            }
            if seen.filter({ $0.hasPrefix("round") }).count == 4, seen.last == "[waiting for a writer]" { break }
        }
        await writer.value
        #expect(seen == ["[reading]", "round 1 line 1", "round 1 line 2", "[waiting for a writer]", "[reading]",
                         "round 2 line 1", "round 2 line 2", "[waiting for a writer]"])
    }
}
