import AndonTesting
import Foundation
import Testing

/// Outside agents on a served runtime, as someone else's program talks to it: raw sockets in Python (standard library).
/// Each bad agent is refused, dropped or throttled, on record, and the plant and the other agents carry on.
@Suite(.serialized)
struct OutsideAgentTests {
    static func agent(_ socket: String, _ arguments: String...) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.path("Tests/AndonCLITests/Clients/bad_agent.py"), socket] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    static func outcome(_ result: [String: Any], _ key: String = "outcome") -> [String: Any] { result[key] as? [String: Any] ?? [:] }

    @Test(.enabled(if: TmuxSession.isAvailable, "the andon binary is missing"))
    func badAgentsAreRefusedCountedAndRecordedWhileThePlantCarriesOn() throws {
        let served = try ServiceEndToEndTests.Served(speed: 10)
        let undeclared = try Self.agent(served.socket, "undeclared")
        #expect((undeclared["refused"] as? String)?.contains("no outside agent 'rogue.agent' is declared") == true, "\(undeclared)")
        #expect(undeclared["closed"] as? Bool == true)

        let malformed = try Self.agent(served.socket, "malformed")
        #expect(malformed["welcome"] as? Bool == true)
        #expect(malformed["closed"] as? Bool == true, "a request that is not one drops the agent")

        for (name, reason) in [("unknown-action", "unknown action 'launch_rocket'"), ("unknown-target", "the plant has no cell 'Z9'"),
                               ("out-of-range", "parameter 'percent' 95 is out of range: 1 to 50"),
                               ("non-numeric-evidence", "is text \"rather high\": evidence is figures")] {
            let answer = Self.outcome(try Self.agent(served.socket, name, "bad-\(name)"))
            #expect(answer["state"] as? String == "refused", "\(name): \(answer)")
            #expect((answer["message"] as? String)?.contains(reason) == true, "\(name): \(answer)")
            #expect(answer["proposalID"] == nil, "\(name) never became a proposal")
        }

        let huge = try Self.agent(served.socket, "huge-rationale")
        #expect(huge["closed"] as? Bool == true, "a 10 MB rationale is a frame over the limit: the agent is dropped before it is read")

        let command = try Self.agent(served.socket, "command")
        #expect((command["refused"] as? String)?.contains("never approves") == true, "\(command)")
        #expect(command["plant"] as? String == "Riverside Assembly", "the agent may still read")

        let cut = try Self.agent(served.socket, "disconnect-mid-request", "cut-\(getpid())")
        let retried = Self.outcome(cut, "retry")
        #expect(retried["state"] as? String == "executed", "the proposal sent before the disconnect was made once: \(cut)")
        #expect(retried["isReplay"] as? Bool == true, "asked again after reconnecting, it is a replay: \(cut)")

        let replayed = try Self.agent(served.socket, "replayed-key", "replay-\(getpid())")
        let first = Self.outcome(replayed, "first"), same = Self.outcome(replayed, "same"), different = Self.outcome(replayed, "different")
        #expect(first["state"] as? String == "executed", "\(replayed)")
        #expect(same["isReplay"] as? Bool == true && same["proposalID"] as? String == first["proposalID"] as? String, "\(replayed)")
        #expect(different["state"] as? String == "refused", "\(replayed)")
        #expect((different["message"] as? String)?.contains("with different content") == true, "\(replayed)")

        let flood = try Self.agent(served.socket, "flood", "flood-\(getpid())")
        let states = flood["states"] as? [String: Int] ?? [:]
        #expect((states["refused"] ?? 0) + (states["request-refused"] ?? 0) > 0, "a flood is refused past the rates: \(flood)")
        #expect((flood["refusals"] as? [String])?.contains("throttled") == true, "past its declared rate an agent's proposals are refused as throttled: \(flood)")

        // The plant and a well-behaved agent carry on (another one: the flood spent this agent's rate, as it should).
        let fine = Self.outcome(try Self.agent(served.socket, "other-agent", "fine-\(getpid())"))
        #expect(fine["state"] as? String == "pending", "\(fine)")
        let who = try served.run(["who", "--socket", served.socket])
        #expect(who.stdout.contains("refused 1"), "the undeclared agent is counted: \(who.stdout)")
        #expect(who.stdout.contains("malformed 1") && who.stdout.contains("oversize 1"), "\(who.stdout)")

        #expect(served.stop()?.status == 0)
        let export = try served.run(["audit", "export", "--store", served.store, "--format", "jsonl"]).stdout
        let agentRecords = export.split(separator: "\n").filter { $0.contains("\"kind\":\"agent_request\"") }
        #expect(agentRecords.contains { $0.contains("rogue.agent") && $0.contains("no outside agent") }, "the undeclared agent's refusal is on record")
        #expect(agentRecords.contains { $0.contains("unknown action") }, "a refused proposal is on record")
        #expect(agentRecords.contains { $0.contains("with different content") }, "a key reused with other content is on record")
        #expect(agentRecords.contains { $0.contains("throttled") }, "throttling is on record")
        #expect(export.contains("\"agentKind\":\"external\""), "outside proposals are recorded as external")
        #expect(try served.run(["audit", "verify", "--store", served.store]).status == 0)
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "the andon binary is missing"))
    func theSameKeyHasEffectOnceAcrossARestartOfTheRuntime() throws {
        // Slow enough that the approval (3 plant minutes) is still pending after the restart.
        let served = try ServiceEndToEndTests.Served(speed: 2)
        let key = "restart-\(getpid())"
        let first = Self.outcome(try Self.agent(served.socket, "propose", key))
        #expect(first["state"] as? String == "pending", "\(first)")
        let cut = try Self.agent(served.socket, "disconnect-mid-request", "ran-\(getpid())")
        #expect(Self.outcome(cut, "retry")["state"] as? String == "executed", "\(cut)")
        #expect(served.stop()?.status == 0)

        try served.start(speed: 2)
        let again = try Self.agent(served.socket, "outcome", key)
        let asked = Self.outcome(again), retry = Self.outcome(again, "retry")
        #expect(asked["state"] as? String == "pending" && asked["proposalID"] as? String == first["proposalID"] as? String,
                "the pending proposal survived the restart: \(again)")
        #expect(retry["isReplay"] as? Bool == true && retry["proposalID"] as? String == first["proposalID"] as? String,
                "proposed again after the restart, it is the same proposal: \(again)")
        let ran = Self.outcome(try Self.agent(served.socket, "disconnect-mid-request", "ran-\(getpid())"), "retry")
        #expect(ran["state"] as? String == "executed" && ran["isReplay"] as? Bool == true, "an applied key stays spent: \(ran)")
        #expect(served.stop()?.status == 0)
        let export = try served.run(["audit", "export", "--store", served.store, "--format", "jsonl"]).stdout
        let executions = export.split(separator: "\n").filter { $0.contains("\"kind\":\"action_executed\"") && $0.contains("ran-\(getpid())") }
        #expect(executions.count == 1, "the action ran once: \(executions.count)")
    }
}
