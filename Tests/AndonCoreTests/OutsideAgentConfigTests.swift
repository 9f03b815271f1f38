import AndonCore
import AndonTesting
import Testing

/// Outside agents in the plant file: what a declaration holds, and each mistake with its position.
struct OutsideAgentConfigTests {
    private static func plant(_ agents: String) -> String {
        Fixtures.twoCellPlantYAML() + "\nagents:\n" + agents
    }

    private static let good = """
      - id: helper
        kind: external
        line: L1
        version: "2.1"
        mode: shadow
        budget: 20ms
        actions: [reduce_speed, schedule_maintenance]
        rate_limit: 12/min
        burst: 4
    """

    private func errors(_ yaml: String) -> [ConfigError] {
        do {
            _ = try PlantSpec.parse(yaml, file: "p.yaml")
            return []
        } catch {
            return error.errors
        }
    }

    @Test func aDeclarationHoldsEverythingTheRuntimeGoverns() throws {
        let plant = try PlantSpec.parse(Self.plant(Self.good))
        let agent = try #require(plant.outsideAgents.first)
        #expect(agent.id == "helper" && agent.version == "2.1" && agent.mode == .shadow)
        #expect(agent.scope == .line("L1") && agent.actions == [.reduceSpeed, .scheduleMaintenance])
        #expect(agent.budgetSeconds == 0.02)
        #expect(agent.rate == ProposalRate(perSecond: 0.2, burst: 4, text: "12/min"))
        #expect(agent.agentSpec.kind == .external && agent.agentSpec.cell == "L1")
    }

    @Test func theDemoPlantDeclaresTheAssistantAndTheTrendAgent() throws {
        let plant = try Fixtures.demoPlant()
        #expect(plant.outsideAgents.map(\.id) == ["assistant", "vibration.trend"])
        let assistant = plant.outsideAgents[0]
        #expect(!assistant.actions.contains(.holdCell), "the safety interlock's act is not an outside agent's")
        #expect(Set(assistant.actions) == Set(ActionKind.allCases).subtracting([.holdCell]))
    }

    @Test(arguments: [
        ("    line: L1", "    cell: Z", ConfigError.Kind.danglingReference, "refers to cell 'Z'"),
        ("    line: L1", "    line: L1\n    cell: A", .impossibleValue, "has both a cell and a line"),
        ("    rate_limit: 12/min", "    rate_limit: lots", .impossibleValue, "is not a rate"),
        ("    actions: [reduce_speed, schedule_maintenance]", "    actions: [reduce_speed, fly]", .wrongType, "action is 'fly'"),
        ("    kind: external", "    kind: maintenance", .impossibleValue, "is maintenance"),
        ("    burst: 4", "    colour: red", .unknownKey, "unknown key 'colour'"),
    ])
    func eachMistakeIsReportedAtItsPlace(replacing old: String, with new: String, kind: ConfigError.Kind, message: String) {
        let found = errors(Self.plant(Self.good.replacingOccurrences(of: old, with: new)))
        let hit = found.first { $0.kind == kind && $0.message.contains(message) }
        #expect(hit != nil, "\(found.map(\.description))")
        // Positioned inside the agents list, which starts after the two-cell plant's lines.
        let agentsStart = Fixtures.twoCellPlantYAML().split(separator: "\n", omittingEmptySubsequences: false).count + 2
        #expect((hit?.location.line ?? 0) >= agentsStart, "\(String(describing: hit))")
    }

    @Test func anOutsideAgentUnderACellIsRefusedAndIdsAreUniqueAcrossBoth() {
        let inCell = errors(Fixtures.twoCellPlantYAML(agentsA: "[{id: x, kind: external, version: 1, mode: active, budget: 5ms}]"))
        #expect(inCell.contains { $0.message.contains("a cell's agents are built in") && $0.location.line == 19 }, "\(inCell)")
        let duplicate = errors(Fixtures.twoCellPlantYAML(agentsA: "[{id: helper, kind: maintenance, version: 1, mode: active, budget: 5ms}]") + "\nagents:\n" + Self.good)
        #expect(duplicate.contains { $0.kind == .duplicateID && $0.message.contains("agent id 'helper' is used twice") }, "\(duplicate)")
        let neither = errors(Self.plant(Self.good.replacingOccurrences(of: "    line: L1\n", with: "")))
        #expect(neither.contains { $0.kind == .missingField && $0.message.contains("neither a cell nor a line") }, "\(neither)")
    }
}
