import AndonCore
import AndonTesting
import Testing

/// Each class of configuration error is reported with its message, line and column.
struct PlantConfigTests {
    private func errors(_ yaml: String) -> [ConfigError] {
        do {
            _ = try PlantSpec.parse(yaml, file: "p.yaml")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func demoPlantLoads() throws {
        let plant = try Fixtures.demoPlant()
        #expect(plant.lines.count == 3)
        #expect(plant.cells.count == 18)
        #expect(plant.cells.allSatisfy { !$0.agents.isEmpty && !$0.sensors.isEmpty })
        #expect(plant.lines.allSatisfy { $0.buffers.count == $0.cells.count - 1 })
    }

    @Test func unknownKeyNamesPositionAndSuggestion() {
        let found = errors(Fixtures.twoCellPlantYAML(cellA: "\n        cycel_time: 30s"))
        #expect(found.count == 1)
        #expect(found[0].kind == .unknownKey)
        #expect(found[0].location == SourceLocation(file: "p.yaml", line: 20, column: 9))
        #expect(found[0].message.contains("did you mean 'cycle_time'"))
    }

    @Test func wrongTypeIsReported() {
        let yaml = Fixtures.twoCellPlantYAML().replacingOccurrences(of: "cycle_time: 40s", with: "cycle_time: fast")
        let found = errors(yaml)
        #expect(found.map(\.kind) == [.wrongType])
        #expect(found[0].location.line == 22)
        #expect(found[0].description.contains("expected a duration"))
    }

    @Test func missingRequiredField() {
        let yaml = Fixtures.twoCellPlantYAML().replacingOccurrences(of: "        mttr: 30m\n        scrap_rate: 1%\n        sensors:", with: "        scrap_rate: 1%\n        sensors:")
        let found = errors(yaml)
        #expect(found.map(\.kind) == [.missingField])
        #expect(found[0].message.contains("missing 'mttr'"))
        #expect(found[0].location.line == 11)
    }

    @Test func duplicateCellID() {
        let yaml = Fixtures.twoCellPlantYAML().replacingOccurrences(of: "      - id: B\n", with: "      - id: A\n")
            .replacingOccurrences(of: "to: B", with: "to: A")
        let found = errors(yaml)
        #expect(found.contains { $0.kind == .duplicateID && $0.message.contains("cell id 'A' is used twice") && $0.location.line == 20 })
    }

    @Test func danglingBufferReference() {
        let yaml = Fixtures.twoCellPlantYAML().replacingOccurrences(of: "to: B,", with: "to: Z,")
        let found = errors(yaml)
        let dangling = found.first { $0.kind == .danglingReference }
        #expect(dangling?.message.contains("'Z'") == true)
        #expect(dangling?.location.line == 27)
        #expect(dangling?.location.column == 32)
    }

    @Test func negativeCapacityIsImpossible() {
        let found = errors(Fixtures.twoCellPlantYAML(bufferCapacity: -3))
        #expect(found.first?.kind == .impossibleValue)
        #expect(found.first?.message.contains("capacity -3 is impossible") == true)
    }

    @Test func digitsGroupedWithUnderscoresAreOneNumber() throws {
        let yaml = Fixtures.twoCellPlantYAML().replacingOccurrences(of: "demand_per_hour: 60", with: "demand_per_hour: 1_200.5")
            .replacingOccurrences(of: "capacity: 4,", with: "capacity: 1_000,")
        let plant = try PlantSpec.parse(yaml, file: "p.yaml")
        #expect(plant.lines.first?.demandPerHour == 1200.5)
        #expect(plant.lines.first?.buffers.first?.capacity == 1000)
        let bad = errors(Fixtures.twoCellPlantYAML().replacingOccurrences(of: "capacity: 4,", with: "capacity: 1_0x,"))
        #expect(bad.first?.kind == .wrongType, "errors: \(bad)")
    }

    @Test func limitsInWrongOrder() {
        let yaml = Fixtures.twoCellPlantYAML().replacingOccurrences(of: "high_alarm: 4.5", with: "high_alarm: 2.0")
        let found = errors(yaml)
        #expect(found.count == 1)
        #expect(found[0].kind == .impossibleValue)
        #expect(found[0].message.contains("wrong order"))
        #expect(found[0].location.line == 18)
    }

    @Test func syntaxErrorHasPosition() {
        let found = errors("plant: {id: x\nlines: [")
        #expect(found.first?.kind == .syntax)
        #expect(found.first?.location.line == 2)
    }

    @Test func severalErrorsAreAllReported() {
        let yaml = Fixtures.twoCellPlantYAML(bufferCapacity: 0, cellA: "\n        colour: red")
            .replacingOccurrences(of: "mode: x", with: "")
            .replacingOccurrences(of: "cycle_time: 40s", with: "cycle_time: -5s")
        let found = errors(yaml)
        #expect(found.count == 3)
        #expect(Set(found.map(\.kind)) == [.unknownKey, .impossibleValue])
        #expect(ConfigErrors(found).description.hasSuffix("3 errors"))
    }

    @Test func agentModeMustBeKnown() {
        let found = errors(Fixtures.twoCellPlantYAML(agentsA: "[{id: A.m, kind: maintenance, version: 1.0.0, mode: sleepy, budget: 5ms}]"))
        #expect(found.first?.kind == .wrongType)
        #expect(found.first?.description.contains("one of active, shadow, off") == true)
    }
}
