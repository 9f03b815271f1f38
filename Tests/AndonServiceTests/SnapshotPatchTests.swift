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
            let patch = SnapshotPatch.between(previous.json, next.json)
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
