import AndonCore
import AndonPolicy
import AndonRuntime
import AndonTesting
import AndonWire
import Foundation
import PropertyBased
import Testing

/// Patches between documents: applied to the old one they give the new one exactly, through their JSON form too;
/// rolling histories travel as their new samples; the demo plant's patches are a small part of its snapshot.
@Suite struct SnapshotPatchTests {
    /// A document grown from a seed, and a changed copy of it: values changed, keys added and removed, arrays grown,
    /// cut, rolled on by a few samples, or replaced.
    struct Documents {
        var random: SplitMix

        init(seed: UInt64) { random = SplitMix(seed) }

        mutating func value(depth: Int) -> JSONValue {
            switch random.next(depth > 2 ? 4 : 7) {
            case 0: return .null
            case 1: return .bool(random.next(2) == 0)
            case 2: return .number(Double(random.next(2000)) / 8 - 100)
            case 3: return .string(String(repeating: "x", count: random.next(4)) + String(random.next(50)))
            case 4, 5:
                return .array((0..<random.next(12)).map { _ in value(depth: depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for _ in 0..<random.next(6) { members["k\(random.next(9))"] = value(depth: depth + 1) }
                return .object(members)
            }
        }

        mutating func changed(_ value: JSONValue) -> JSONValue {
            switch value {
            case var .object(members):
                for key in members.keys.sorted() where random.next(3) == 0 { members[key] = changed(members[key]!) }
                if random.next(4) == 0 { members["k\(random.next(12))"] = self.value(depth: 2) }
                if random.next(4) == 0, let key = members.keys.sorted().first { members[key] = nil }
                return .object(members)
            case var .array(items):
                switch random.next(6) {
                case 0 where items.count > 3:
                    let k = 1 + random.next(min(3, items.count - 1))
                    items.removeFirst(k)
                    for _ in 0..<k { items.append(self.value(depth: 3)) }
                case 1: items.append(self.value(depth: 3))
                case 2 where !items.isEmpty: items.removeLast(1 + random.next(items.count))
                case 3: items = items.map { random.next(2) == 0 ? changed($0) : $0 }
                default:
                    for index in items.indices where random.next(4) == 0 { items[index] = changed(items[index]) }
                }
                return .array(items)
            default:
                return random.next(3) == 0 ? value : self.value(depth: 3)
            }
        }
    }

    @Test func aPatchTurnsTheOldDocumentIntoTheNewOne() async {
        await propertyCheck(count: 500, input: Gen<UInt64>.value()) { seed in
            var documents = Documents(seed: seed)
            let old = documents.value(depth: 0)
            let new = documents.changed(documents.changed(old))
            let patch = SnapshotPatch.between(old, new)
            #expect(try patch.applied(to: old) == new)
            let wire = try JSONDecoder().decode(SnapshotPatch.self, from: JSONEncoder().encode(patch))
            #expect(try wire.applied(to: old) == new, "the same through its JSON form")
        }
    }

    @Test func aTreeReadsAsItsJSONTextReads() async {
        await propertyCheck(count: 300, input: Gen<UInt64>.value()) { seed in
            var documents = Documents(seed: seed)
            let document = documents.value(depth: 0)
            let decoded = try JSONValueDecoder.decode(JSONValue.self, from: document)
            #expect(decoded == document)
        }
    }

    /// Optionals, absent keys, integers, floats, dictionaries and nested enums read as `JSONDecoder` reads them; a value
    /// of the wrong kind is refused as it refuses it.
    @Test func theTreeDecoderReadsWhatJSONDecoderReads() throws {
        struct Sample: Codable, Equatable {
            enum Kind: Codable, Equatable { case plain, tagged(String, count: Int) }
            var name: String
            var count: Int
            var small: UInt8
            var ratio: Double
            var history: [Float]
            var note: String?
            var absent: Int?
            var tally: [String: Int]
            var kinds: [Kind]
            var nested: [[Bool?]]
        }
        let sample = Sample(name: "c-1", count: 42, small: 7, ratio: 0.8125, history: [0.1, 2.5, -3], note: nil, absent: nil,
                            tally: ["a": 1, "b": 2], kinds: [.plain, .tagged("x", count: 3)], nested: [[true, nil], []])
        let text = try JSONEncoder().encode(sample)
        let tree = try JSONDecoder().decode(JSONValue.self, from: text)
        #expect(try JSONValueDecoder.decode(Sample.self, from: tree) == JSONDecoder().decode(Sample.self, from: text))
        #expect(try JSONValueDecoder.decode(Sample.self, from: tree) == sample)
        guard case var .object(members) = tree else { Issue.record("not an object"); return }
        members["count"] = .number(4.5)
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Sample.self, from: .object(members)) }
        members["count"] = .string("42")
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Sample.self, from: .object(members)) }
        members["count"] = nil
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Sample.self, from: .object(members)) }
        members["count"] = .null
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Sample.self, from: .object(members)) }
    }

    @Test func theTreeEncoderWritesWhatJSONEncoderWrites() throws {
        struct Sample: Codable {
            enum Kind: Codable { case plain, tagged(String, count: Int) }
            enum Side: String, Codable { case left, right }
            var name: String
            var count: Int
            var small: UInt8
            var large: UInt64
            var negative: Int32
            var ratio: Double
            var history: [Float]
            var note: String?
            var absent: Int?
            var explicitNil: Int??
            var tally: [String: Int]
            var byNumber: [Int: String]
            var bySide: [Side: Double]
            var kinds: [Kind]
            var nested: [[Bool?]]
            var when: Date
            var bytes: Data
            var link: URL
            var empty: [String]
        }
        let sample = Sample(name: "c-1 \"quoted\" é", count: 42, small: 7, large: 1 << 60, negative: -5, ratio: 0.8125, history: [0.1, 2.5, -3],
                            note: nil, absent: nil, explicitNil: .some(nil), tally: ["a": 1, "b": 2], byNumber: [3: "three", -1: "minus"],
                            bySide: [.left: 0.25], kinds: [.plain, .tagged("x", count: 3)], nested: [[true, nil], []],
                            when: Date(timeIntervalSinceReferenceDate: 812_345_678.125), bytes: Data([0, 1, 254]),
                            link: URL(string: "https://example.com/a?b=c")!, empty: [])
        #expect(try JSONValueEncoder.encode(sample) == tree(of: sample))
        #expect(try JSONValueEncoder.encode([1.5, 2]) == tree(of: [1.5, 2]), "a list at the root")
        #expect(try JSONValueEncoder.encode("plain") == tree(of: "plain"), "a value at the root")
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode(["x": Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder.encode([Double.infinity]) }

        // A snapshot of the demo plant after ten minutes: approvals, alarms, histories, sparklines.
        let plant = try Fixtures.demoPlant()
        let engine = PlantEngine(plant: plant, scenario: try Scenario.load(path: Fixtures.path("demo/scenarios/demo.yaml"), plant: plant),
                                 options: EngineOptions(seed: 1), judge: try PolicyEngine.load(path: Fixtures.path("demo/policies.yaml")))
        engine.start(recovering: Recovery())
        engine.run(until: 600)
        let snapshot = engine.snapshot()
        #expect(!snapshot.approvals.isEmpty && snapshot.cells.contains { !$0.alarms.isEmpty })
        #expect(try JSONValueEncoder.encode(snapshot) == tree(of: snapshot))
        let cut = try JSONValueEncoder.encode(snapshot, significantDigits: SnapshotDocument.significantDigits)
        #expect(cut == (try tree(of: snapshot)).rounded(to: SnapshotDocument.significantDigits))
        let text = try JSONEncoder().encode(snapshot).count
        let estimate = try SnapshotDocument(snapshot).encodedBytes ?? 0
        #expect(estimate > text * 8 / 10 && estimate < text * 12 / 10, "estimated \(estimate) bytes, written \(text)")
    }

    /// In a plant of 300 cells run for two minutes, each snapshot's patch is worked out from the snapshots' lists, and
    /// read back into a snapshot element by element: both give what the whole trees give, a simulated second apart, and
    /// when an outside agent joins (the agents' list grows, so it is read whole).
    @Test func aLargePlantsPatchesAreWorkedOutAndReadElementByElement() throws {
        func cell(_ i: Int) -> String {
            """
                  - {id: C\(i), name: Cell \(i), kind: press, cycle_time: \(40 + i % 20)s, mtbf: 2h, mttr: 10m, scrap_rate: 2%,
                     sensors: [{id: vibration, kind: vibration, nominal: 1.4, noise: 0.05, wear_per_hour: 0.5, limits: {high_warn: 1.6, high_alarm: 4.5, trip: 7.1}}],
                     agents: [{id: C\(i).maint, kind: maintenance, version: 1.0.0, mode: active, budget: 5ms}]}
            """
        }
        let lines = (0..<150).map { l in
            """
              - id: L\(l)
                name: Line \(l)
                demand_per_hour: 50
                cells:
            \(cell(2 * l))
            \(cell(2 * l + 1))
                buffers: [{id: B\(l), from: C\(2 * l), to: C\(2 * l + 1), capacity: 8, initial: 4}]
            """
        }
        let text = "plant: {id: big, name: Big plant, shift: 8h, stale_after: 10s}\nlines:\n" + lines.joined(separator: "\n")
        let plant = try PlantSpec.parse(text, file: "big.yaml")
        let engine = PlantEngine(plant: plant, options: EngineOptions(seed: 3))
        engine.start(recovering: Recovery())
        engine.run(until: 120)
        var previous = try SnapshotDocument(engine.snapshot())
        for step in 0..<6 {
            engine.run(until: engine.time + 1)
            var snapshot = engine.snapshot()
            if step == 4 {
                var outside = snapshot.agents[0]
                outside.id = "outside.1"
                snapshot.agents.append(outside)
            }
            let next = try SnapshotDocument(snapshot)
            // Made from the one before, taking the trees of what did not change: the same document.
            let after = try SnapshotDocument(snapshot, after: previous)
            #expect(after.json == next.json)
            let patch = after.patch(from: previous)
            #expect(try patch.applied(to: previous.json) == next.json)
            #expect(try patch.applied(to: previous.json) == SnapshotPatch.between(previous.json, next.json).applied(to: previous.json))
            if step < 4 {
                #expect(patch.changes.contains { $0.path.first == .key("agents") } && patch.changes.contains { $0.path.first == .key("cells") })
            }
            let applied = try SnapshotDocument(applying: patch, to: previous)
            #expect(applied.json == next.json)
            let whole = try JSONValueDecoder.decode(PlantSnapshot.self, from: applied.json)
            #expect(try tree(of: applied.snapshot) == tree(of: whole), "step \(step)")
            #expect(applied.snapshot.worstAgents == AgentOrder.worstFirst(whole.agents, first: min(whole.agents.count, PlantSnapshot.worstAgentsKept)))
            #expect(applied.snapshot.cellKeys?.count == whole.cells.count)
            previous = applied
        }
    }

    /// Texts a JSON writer must escape, or pass as they are.
    static let trickyTexts = ["say \"hi\"", "back\\slash", "tab\tnew\nline\r", "\u{0}\u{1}\u{1F}\u{7F}", "a/b", "🏭 é e\u{301}", "\u{2028}\u{2029}", ""]

    @Test func jsonTextWritesAndReadsWhatJSONEncoderAndDecoderDo() async {
        await propertyCheck(count: 300, input: Gen<UInt64>.value()) { seed in
            var documents = Documents(seed: seed)
            var document = documents.value(depth: 0)
            if case var .object(members) = document {
                for (i, text) in Self.trickyTexts.enumerated() { members[text] = .string(Self.trickyTexts[(i + 1) % Self.trickyTexts.count]) }
                members["numbers"] = .array([0.1, -2.5e-7, 1e21, 123_456_789_012_345, -0.0, 0.30000000000000004, Double.leastNonzeroMagnitude, 1.7976931348623157e308].map { .number($0) })
                document = .object(members)
            }
            var text: [UInt8] = []
            JSONText.write(document, into: &text)
            #expect(try JSONDecoder().decode(JSONValue.self, from: Data(text)) == document, "JSONDecoder reads the written text as the tree")
            let read = try JSONText.read(text)
            #expect(read == document)
            let encoded = try JSONEncoder().encode(document)
            let readEncoded = try JSONText.read(encoded)
            #expect(readEncoded == document, "the reader reads JSONEncoder's text as the tree")
        }
    }

    @Test func jsonTextRefusesWhatIsNotJSON() throws {
        let refused = ["", " ", "01", "1.", "-", ".5", "1e", "+1", "[1,]", "[1 2]", #"{"a":1,}"#, #"{"a" 1}"#, "{1:2}", #""\ud800""#, #""\udc00x""#,
                       #""\x""#, #""\u12g4""#, "\"a\u{1}b\"", #""open"#, "tru", "nul", "[1] x", "1e999", "-1e999", "[" + String(repeating: "[", count: 300) + "]",
                       "NaN", "Infinity"]
        for text in refused {
            #expect(throws: JSONText.ReadError.self, "\(text.debugDescription)") { try JSONText.read(Array(text.utf8)) }
        }
        #expect(throws: JSONText.ReadError.self, "bytes that are not UTF-8") { try JSONText.read([0x22, 0xFF, 0xFE, 0x22]) }
        let sample = try JSONText.read(Array(#" [1, 2.5e3, -0, true, false, null, "\u00e9\ud83c\udfed\/\b\f", {"k": []}] "#.utf8))
        #expect(sample == .array([.number(1), .number(2500), .number(0), .bool(true), .bool(false), .null, .string("é🏭/\u{8}\u{C}"), .object(["k": .array([])])]))
    }

    @Test func aPatchFrameIsWhatJSONEncoderWritesAndReadsAsJSONDecoderReads() throws {
        let patch = SnapshotPatch(changes: [
            SnapshotPatch.Change(path: [.key("cells"), .index(3), .key("oee")], value: .number(0.8125)),
            SnapshotPatch.Change(path: [.key("approvals")], value: .null),
            SnapshotPatch.Change(path: [.key("gone")], value: nil),
            SnapshotPatch.Change(path: [.key("agents"), .index(0), .key("recentP99")], drop: 2, append: [.number(0.001), .number(2)]),
            SnapshotPatch.Change(path: [.key("lines")], value: nil, length: 4),
            SnapshotPatch.Change(path: [.key(Self.trickyTexts[0]), .key("3"), .index(1_000_000)], value: .object(["a": .array([.string(Self.trickyTexts[3])])])),
        ])
        let fast = try FrameCodec.frame(ServerMessage.patch(number: 42, base: 41, patch))
        func genericFrame(_ message: some Encodable) throws -> [UInt8] { try FrameCodec.frame(message) }
        let generic = try genericFrame(ServerMessage.patch(number: 42, base: 41, patch))
        #expect(fast.count < generic.count + 64 && fast.count > generic.count - 64, "\(fast.count) bytes against \(generic.count)")
        for frame in [fast, generic] {
            let length = Int(frame[0]) << 24 | Int(frame[1]) << 16 | Int(frame[2]) << 8 | Int(frame[3])
            #expect(length == frame.count - 4)
            for message in [try JSONDecoder().decode(ServerMessage.self, from: Data(frame.dropFirst(4))), try FrameCodec.decode(ServerMessage.self, from: frame.dropFirst(4))] {
                guard case let .patch(number, base, read) = message else {
                    Issue.record("not a patch: \(message)")
                    continue
                }
                #expect(number == 42 && base == 41 && read == patch)
            }
        }
        // Other messages read through the tree as JSONDecoder reads them.
        let snapshot = try SnapshotDocument(PlantEngine(plant: try Fixtures.demoPlant(), options: EngineOptions(seed: 1)).snapshot()).snapshot
        let whole = try FrameCodec.frame(ServerMessage.snapshot(number: 7, snapshot))
        guard case let .snapshot(number, read) = try FrameCodec.decode(ServerMessage.self, from: whole.dropFirst(4)) else {
            Issue.record("not a snapshot")
            return
        }
        #expect(number == 7)
        #expect(try tree(of: read) == tree(of: snapshot))
        // The service writes a whole snapshot from its document: read by JSONDecoder, it is the document's snapshot.
        let document = try SnapshotDocument(snapshot)
        let written = FrameCodec.snapshotFrame(number: 8, document: document.json)
        guard case let .snapshot(eight, fromDocument) = try JSONDecoder().decode(ServerMessage.self, from: Data(written.dropFirst(4))) else {
            Issue.record("not a snapshot")
            return
        }
        #expect(eight == 8 && Int(written[3]) | Int(written[2]) << 8 | Int(written[1]) << 16 == written.count - 4)
        #expect(try SnapshotDocument(fromDocument).json == document.json, "a console's document of it is the service's")
        #expect(throws: FrameError.self) { try FrameCodec.decode(ServerMessage.self, from: Array(#"{"patch":{"number":1,"base":0,"_2":{"changes":[{"p":[true]}]}}}"#.utf8)) }
        #expect(throws: FrameError.self) { try FrameCodec.decode(ServerMessage.self, from: Array(#"{"patch":{"number":-1,"base":0,"_2":{"changes":[]}}}"#.utf8)) }
        #expect(throws: FrameError.self) { try FrameCodec.decode(ServerMessage.self, from: Array(#"{"patch":"#.utf8)) }
    }

    @Test func aRollingHistoryTravelsAsItsNewSamples() throws {
        let old = JSONValue.object(["history": .array((0..<60).map { .number(Double($0)) })])
        let new = JSONValue.object(["history": .array((2..<62).map { .number(Double($0)) })])
        let patch = SnapshotPatch.between(old, new)
        #expect(patch.changes == [SnapshotPatch.Change(path: [.key("history")], drop: 2, append: [.number(60), .number(61)])])
        #expect(try patch.applied(to: old) == new)
        let text = String(decoding: try JSONEncoder().encode(patch), as: UTF8.self)
        #expect(text.count < 80, "\(text)")
    }

    @Test func aPatchThatDoesNotFitIsRefused() {
        let patch = SnapshotPatch.between(.object(["a": .array([.number(1), .number(2)])]), .object(["a": .array([.number(1)])]))
        #expect(throws: PatchError.self) { try patch.applied(to: .object(["b": .null])) }
        let shift = SnapshotPatch(changes: [SnapshotPatch.Change(path: [], drop: 5, append: [])])
        #expect(throws: PatchError.self) { try shift.applied(to: .array([.null])) }
    }

    @Test func theDemoPlantsPatchesAreASmallPartOfItsSnapshot() throws {
        let plant = try Fixtures.demoPlant()
        let engine = PlantEngine(plant: plant, scenario: try Scenario.load(path: Fixtures.path("demo/scenarios/demo.yaml"), plant: plant),
                                 options: EngineOptions(seed: 1), judge: try PolicyEngine.load(path: Fixtures.path("demo/policies.yaml")))
        engine.start(recovering: Recovery())
        engine.run(until: 600)
        var previous = try SnapshotDocument(engine.snapshot())
        var wholeBytes = 0
        var patchBytes = 0
        var deflatedBytes = 0
        let deflater = try DeflateStream()
        let inflater = try InflateStream()
        for _ in 0..<40 {
            // A console at 4 snapshots a second on the demo's ×5 clock: a snapshot every 1.25 simulated seconds.
            engine.run(until: engine.time + 1.25)
            let next = try SnapshotDocument(engine.snapshot())
            let patch = next.patch(from: previous)
            #expect(try patch.applied(to: previous.json) == SnapshotPatch.between(previous.json, next.json).applied(to: previous.json))
            let applied = try SnapshotDocument(applying: patch, to: previous)
            #expect(applied.json == next.json)
            // The snapshot read straight from the tree is the one its JSON text gives.
            let throughText = try JSONDecoder().decode(PlantSnapshot.self, from: JSONEncoder().encode(applied.json))
            #expect(try tree(of: throughText) == tree(of: applied.snapshot))
            let frame = try FrameCodec.frame(ServerMessage.patch(number: 2, base: 1, patch))
            patchBytes += frame.count
            wholeBytes += try FrameCodec.frame(ServerMessage.snapshot(number: 2, next.snapshot)).count
            let packed = deflater.compress(frame)
            deflatedBytes += packed.count
            #expect(try inflater.decompress(packed, limit: WireProtocol.maxServerFrame) == frame)
            previous = next
        }
        #expect(patchBytes * 3 < wholeBytes, "patches \(patchBytes) bytes against whole snapshots \(wholeBytes)")
        // Compressed, a patch is a fortieth of the snapshot or less. (The console's bar, 5 KB/s at 4 snapshots a second,
        // is 1,280 bytes a snapshot; docs/PERFORMANCE.md has what an attached console reads.)
        #expect(deflatedBytes * 40 < wholeBytes, "compressed patches average \(deflatedBytes / 40) bytes (whole \(wholeBytes / 40), plain patches \(patchBytes / 40))")
    }

    /// A snapshot decoded from a patch keeps the cells' texts of the one before while no cell or line is renamed or
    /// moved, and has new ones, finding the new name, when one is.
    @Test func theCellsTextsTravelWithPatchesUntilACellIsRenamed() throws {
        let plant = try Fixtures.demoPlant()
        let engine = PlantEngine(plant: plant, options: EngineOptions(seed: 1))
        engine.start(recovering: Recovery())
        engine.run(until: 30)
        let base = try SnapshotDocument(engine.snapshot())
        engine.run(until: 40)
        let moved = try SnapshotDocument(engine.snapshot())
        let applied = try SnapshotDocument(applying: SnapshotPatch.between(base.json, moved.json), to: base)
        #expect(applied.snapshot.cellTexts != nil)
        #expect(applied.snapshot.cellTexts === base.snapshot.cellTexts, "nothing a text is made of changed")
        var renamed = moved.snapshot
        renamed.cells[0].name = "Zebra press"
        let renamedDocument = try SnapshotDocument(renamed)
        let afterRename = try SnapshotDocument(applying: SnapshotPatch.between(base.json, renamedDocument.json), to: base)
        let texts = try #require(afterRename.snapshot.currentCellTexts)
        #expect(texts !== base.snapshot.cellTexts)
        #expect(texts.cellsHolding(Array("zebra".utf8))[0], "the new name is found")
    }

    /// A value's JSON form as a tree, its numbers as they are.
    private func tree(of value: some Encodable) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
    }

    @Test func aCompressedStreamRefusesGarbageAndBombs() throws {
        let inflater = try InflateStream()
        #expect(throws: DeflateError.self) { try inflater.decompress([0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x12], limit: 1000) }
        let bomb = try DeflateStream().compress([UInt8](repeating: 0, count: 10_000_000))
        #expect(bomb.count < 20_000)
        #expect(throws: DeflateError.tooLarge(limit: 1_000_000)) { try InflateStream().decompress(bomb, limit: 1_000_000) }
    }
}

/// A small seeded generator (SplitMix64), so a failing seed reproduces.
struct SplitMix {
    private var state: UInt64

    init(_ seed: UInt64) { state = seed }

    /// A number in 0..<bound.
    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return bound <= 1 ? 0 : Int(z % UInt64(bound))
    }
}
