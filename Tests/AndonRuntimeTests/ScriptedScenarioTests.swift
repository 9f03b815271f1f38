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
        var options = EngineOptions(seed: 1)
        options.signatureVerifier = DemoSignatures(known: roster.demoPassphrases)
        let engine = PlantEngine(plant: plant, scenario: try Scenario.load(path: Fixtures.path("demo/scenarios/scripted.yaml"), plant: plant),
                                 options: options, judge: try PolicyEngine.load(path: Fixtures.path("demo/policies.yaml")),
                                 audit: audit, roster: { roster.person(named: $0) })
        var results: [(person: String, command: OperatorCommand, result: CommandResult)] = []
        engine.onScriptedResult = { command, person, result in results.append((person.name, command, result)) }
        engine.run(until: 2400)
        let said = results.map { "\($0.person): \($0.result.isAccepted ? "" : "REFUSED ")\($0.result.message)" }
        #expect(said == [
            "ana: approved schedule_maintenance of B2 as supervisor",
            "dana: rejected schedule_maintenance of F5 as supervisor",
            "ana: approval 1/2 (signed) for stop_cell of F5 recorded; waiting for 1 more",
            "ana: REFUSED refused: ana has already approved \(results[3].command.approvalID ?? ""); four-eyes needs a different person",
            "dana: approved stop_cell of F5 as supervisor (signed)",
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

/// The demo roster's passphrases, as the demo's verifier knows them: scripted people sign with theirs.
private struct DemoSignatures: SignatureVerifier {
    let known: [String: String]

    func check(name: String, passphrase: Passphrase) -> SignatureCheck {
        guard let text = known[name] else { return .notSet }
        return Passphrase(text) == passphrase ? .valid : .wrong(triesLeft: 4)
    }

    func scriptedPassphrase(for name: String) -> Passphrase? { known[name].map(Passphrase.init) }
}

extension OperatorCommand {
    /// The approval an approve or reject is about.
    var approvalID: String? {
        switch self {
        case let .approve(id), let .reject(id, _), let .sign(id, _): id
        default: nil
        }
    }
}
