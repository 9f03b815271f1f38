import AndonCore
import AndonTesting
import Testing

/// Configuration text written to hurt: refused with its position, never a hang, a trap or raw control characters on a terminal.
struct HostileConfigTests {
    private func plantErrors(_ yaml: String) -> [ConfigError] {
        do {
            _ = try PlantSpec.parse(yaml, file: "p.yaml")
            return []
        } catch {
            return error.errors
        }
    }

    /// A plant whose agents list is ten aliases of ten aliases … of one agent: 10^levels agents from a few hundred bytes.
    static func aliasBomb(levels: Int, asKey: Bool = false) -> String {
        var text = "a0: &a0 {id: B1.x, kind: maintenance}\n"
        for level in 1...levels {
            let previous = Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ")
            text += "a\(level): &a\(level) [\(previous)]\n"
        }
        if asKey { return text + "? *a\(levels)\n: x\n" }
        return "plant: {id: bomb, name: Bomb, shift: 8h}\nanchors:\n" + text.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
            + "\nlines:\n  - id: L1\n    name: L\n    demand_per_hour: 1\n    cells:\n      - id: B1\n        name: B\n        agents: *a\(levels)\n"
    }

    @Test func anAliasBombIsRefusedAtItsLine() {
        let found = plantErrors(Self.aliasBomb(levels: 6))
        let bomb = found.first { $0.message.contains("aliases") }
        #expect(bomb != nil, "errors: \(found)")
        #expect(bomb?.location.file == "p.yaml")
        #expect((bomb?.location.line ?? 0) > 1)
    }

    @Test func anAliasBombUsedAsAKeyIsRefused() {
        let found = plantErrors(Self.aliasBomb(levels: 7, asKey: true))
        #expect(found.contains { $0.message.contains("aliases") }, "errors: \(found)")
    }

    @Test func aFewAliasesAreFine() throws {
        let yaml = Fixtures.twoCellPlantYAML().replacingOccurrences(of: "shift: 8h", with: "shift: &shift 8h\n  extra_shift_not_used: 1")
        #expect(plantErrors(yaml).allSatisfy { !$0.message.contains("aliases") })
    }

    @Test(arguments: ["1e30h", "1e300", "5e15s", "1e400"])
    func aHugeDurationIsRefusedWithItsPosition(_ text: String) throws {
        let plant = try Fixtures.demoPlant()
        let yaml = "scenario: {name: x}\nincidents:\n  - {at: \(text), kind: breakdown, cell: B1, repair: 1m}\n"
        #expect(throws: ConfigErrors.self) { try Scenario.parse(yaml, file: "s.yaml", plant: plant) }
        do {
            _ = try Scenario.parse(yaml, file: "s.yaml", plant: plant)
        } catch {
            #expect(error.errors.count == 1)
            #expect(error.errors.first?.location == SourceLocation(file: "s.yaml", line: 3, column: 10))
            #expect(error.errors.first?.message.contains("longer than") == true, "\(error)")
        }
    }

    @Test(arguments: [1e30, 1e300, .infinity, -.infinity, .nan, -5, 9.2e18])
    func everyDurationCanBeWritten(_ seconds: Double) {
        #expect(!TimeText.duration(seconds).isEmpty)
    }

    @Test func aNulByteIsReportedWhereItIs() {
        let found = plantErrors("plant:\n  id: p\n  name: a\u{0}b\n")
        #expect(found.count == 1)
        #expect(found.first?.location == SourceLocation(file: "p.yaml", line: 3, column: 10))
    }

    /// Every key is text, as the readers read it: two keys spelled alike are one key written twice, whether one of them
    /// is quoted or not (`1` and `'1'`, `true` and `"true"` would otherwise be a number and a word, and both kept).
    @Test(arguments: [("1", "'1'"), ("true", "\"true\""), ("null", "'null'"), ("1.5", "\"1.5\"")])
    func aKeyWrittenTwiceIsRefusedWhateverItsQuoting(_ keys: (String, String)) {
        let found = plantErrors("plant:\n  id: p\n  \(keys.0): a\n  \(keys.1): b\n")
        #expect(found.count == 1, "errors: \(found)")
        #expect(found.first?.kind == .syntax)
        #expect(found.first?.message.contains("duplicate key") == true, "errors: \(found)")
        #expect(found.first?.location.line == 3)
    }

    @Test func controlCharactersInNamesNeverReachTheTerminal() {
        let yaml = Fixtures.twoCellPlantYAML().replacingOccurrences(of: "id: tiny", with: "id: \"\\e]0;owned\\a\\e[2J\\x9b1m\"")
        let found = plantErrors(yaml)
        #expect(!found.isEmpty)
        let text = ConfigErrors(found).description
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }, "\(text.debugDescription)")
    }

    @Test func aScriptedCommandAfterTheLoopIsFlagged() throws {
        let plant = try Fixtures.demoPlant()
        let yaml = "scenario: {name: x, loop: 10m}\ncommands:\n  - {at: 11m, operator: ana, approve: {target: B1}}\n"
        #expect(throws: ConfigErrors.self) { try Scenario.parse(yaml, file: "s.yaml", plant: plant) }
    }

    @Test func aScriptedCommandBySomeoneOffTheRosterIsFlagged() throws {
        let plant = try Fixtures.demoPlant()
        let yaml = "scenario: {name: x}\ncommands:\n  - {at: 1m, operator: mallory, approve: {target: B1}}\n  - {at: 2m, operator: ana, approve: {target: B1}}\n"
        #expect(throws: Never.self) { try Scenario.parse(yaml, file: "s.yaml", plant: plant) }
        do {
            _ = try Scenario.parse(yaml, file: "s.yaml", plant: plant, operators: ["ana", "ben"])
            Issue.record("mallory is not on the roster")
        } catch {
            #expect(error.errors.map(\.location) == [SourceLocation(file: "s.yaml", line: 3, column: 24)])
            #expect(error.errors.first?.message.contains("mallory") == true)
        }
    }
}

/// Durations too short to count are refused like ones too long: a plant shift of 1e-300 s once made the twin's shift
/// number overflow at the first tick.
struct ShortDurationTests {
    @Test(arguments: ["1e-300s", "0.0000001s", "1e-7"])
    func aDurationShorterThanAMicrosecondIsRefused(_ text: String) {
        let yaml = Fixtures.twoCellPlantYAML().replacingOccurrences(of: "shift: 8h", with: "shift: \(text)")
        do {
            _ = try PlantSpec.parse(yaml, file: "p.yaml")
            Issue.record("shift \(text) was taken")
        } catch {
            #expect(error.errors.map(\.location) == [SourceLocation(file: "p.yaml", line: 4, column: 10)])
            #expect(error.errors.first?.message.contains("shorter than a microsecond") == true, "\(error)")
        }
    }

    @Test func zeroIsStillZeroWhereZeroIsAllowed() throws {
        let plant = try Fixtures.demoPlant()
        let scenario = try Scenario.parse("scenario: {name: x}\nincidents:\n  - {at: 0s, kind: breakdown, cell: B1, repair: 1us}\n", plant: plant)
        #expect(scenario.incidents.first?.at == 0)
    }
}
