import AndonCore
import AndonPolicy
import AndonTesting
import Testing
@testable import AndonRuntime

/// `demo/scenarios/scripted.yaml` does what its comments say (seed 1, the first 40-minute loop).
@Suite struct ScriptedScenarioTests {
    @Test func theScriptedShiftDoesWhatItsCommentsSay() throws {
        let plant = try Fixtures.demoPlant()
        let roster = try OperatorRoster.load(path: Fixtures.path("demo/operators.yaml"))
        let audit = MemoryAuditSink()
        let engine = PlantEngine(plant: plant, scenario: try Scenario.load(path: Fixtures.path("demo/scenarios/scripted.yaml"), plant: plant),
                                 options: EngineOptions(seed: 1), judge: try PolicyEngine.load(path: Fixtures.path("demo/policies.yaml")),
                                 audit: audit, roster: { roster.person(named: $0) })
        var results: [(person: String, command: OperatorCommand, result: CommandResult)] = []
        engine.onScriptedResult = { command, person, result in results.append((person.name, command, result)) }
        engine.run(until: 2400)
        let said = results.map { "\($0.person): \($0.result.isAccepted ? "" : "REFUSED ")\($0.result.message)" }
        #expect(said == [
            "ana: approved schedule_maintenance of B2 as supervisor",
            "dana: rejected schedule_maintenance of F5 as supervisor",
            "ana: approval 1/2 for stop_cell of F5 recorded; waiting for 1 more",
            "ana: REFUSED refused: ana has already approved \(results[3].command.approvalID ?? ""); four-eyes needs a different person",
            "dana: approved stop_cell of F5 as supervisor",
            "ben: REFUSED refused: operators may not decide this; it needs supervisor",
            "dana: approved adjust_line_rate of final as supervisor",
            "eve: REFUSED refused: observers may not decide this; it needs supervisor",
            "ana: approved schedule_maintenance of M2 as supervisor",
        ], "\(said)")
        let commands = audit.records(.operatorCommand).filter { $0.actor.name == "eve" }
        #expect(commands.count == 1, "eve's refused attempt is on record")
        let expired = audit.records(.approvalExpired).map(\.payload)
        #expect(expired.contains { $0.contains("expired at 00:3") }, "the other line-rate changes run out")
    }
}

extension OperatorCommand {
    /// The approval an approve or reject is about.
    var approvalID: String? {
        switch self {
        case let .approve(id), let .reject(id, _): id
        default: nil
        }
    }
}
