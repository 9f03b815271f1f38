import AndonTesting
import Foundation
import Testing

/// Hostile text through the command line: refused with exit 2 and its position, or shown neutralised; never a crash.
@Suite(.serialized)
struct HostileInputTests {
    /// Runs python3 with `script` against `store`, failing the test when it fails.
    private func tamper(_ store: String, _ script: String) throws {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", """
        import sqlite3; c = sqlite3.connect('\(store)')
        for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall(): c.execute(f"DROP TRIGGER {name}")
        \(script)
        c.commit()
        """]
        try python.run()
        python.waitUntilExit()
        #expect(python.terminationStatus == 0, "the tamper step failed")
    }

    private func recordedStore(_ dir: URL) throws -> String {
        let store = dir.appendingPathComponent("audit.sqlite").path
        let run = try AndonProcess.run(["demo", "--headless", "--for", "5m", "--store", store, "--scenario", "demo/scenarios/scripted.yaml"])
        #expect(run.status == 0)
        return store
    }

    @Test func oneTelemetryLineFromTheFarFutureIsCountedNotACrash() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rejects = dir.appendingPathComponent("rejects.jsonl").path
        let output = try AndonProcess.run(["run", "--plant", "demo/plant.yaml", "--headless", "--store", ":memory:", "--rejects", rejects,
                                           "--report", "json", "--telemetry", "-"],
                                          stdin: #"{"schema":1,"source":"x","seq":1,"ts":1e19,"cell":"B1"}"# + "\n")
        #expect(output.status == 0, "\(output.stderr)")
        let kept = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(kept.contains("future_timestamp"))
    }

    @Test func theReportCountsSourcesAndKeepsTheirHighestNumbers() throws {
        let lines = [#"{"schema":1,"source":"a","seq":7,"ts":1767592801,"cell":"B1"}"#, #"{"schema":1,"source":"b","seq":3,"ts":1767592802,"cell":"B2"}"#]
        let output = try AndonProcess.run(["run", "--plant", "demo/plant.yaml", "--headless", "--store", ":memory:", "--rejects", "none",
                                           "--report", "json", "--telemetry", "-"], stdin: lines.joined(separator: "\n") + "\n")
        #expect(output.status == 0, "\(output.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
        let telemetry = try #require(json["telemetry"] as? [String: Any])
        #expect(telemetry["sources"] as? Int == 2)
        #expect(telemetry["highest_seq_by_source"] as? [String: Int] == ["a": 7, "b": 3])
    }

    @Test func policyExplainRefusesAHugeShiftTime() throws {
        let output = try AndonProcess.run(["policy", "explain", "demo/policies.yaml", "--request",
                                           #"{"action":"stop_cell","target":"B1","risk":"high","agent":"maintenance","shift_elapsed":1e300}"#])
        #expect(output.status == 2)
        #expect(output.stderr.contains("<request>:1:"))
        #expect(output.stderr.contains("shift_elapsed"))
    }

    @Test func aPolicyTimeoutOfAgesIsRefusedByCheck() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let policy = dir.appendingPathComponent("policies.yaml")
        let text = try String(contentsOfFile: "demo/policies.yaml", encoding: .utf8)
        let changed = text.replacingOccurrences(of: "timeout: 5m", with: "timeout: 1e30h")
        #expect(changed != text)
        try changed.write(to: policy, atomically: true, encoding: .utf8)
        let output = try AndonProcess.run(["policy", "check", policy.path])
        #expect(output.status == 2)
        #expect(output.stderr.contains("\(policy.path):"))
        #expect(output.stderr.contains("1e30h"))
    }

    @Test func aScenarioAtTheEndOfTimeExitsTwo() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let scenario = dir.appendingPathComponent("s.yaml")
        try "scenario: {name: x}\nincidents:\n  - {at: 1e30s, kind: breakdown, cell: B1, repair: 1m}\n".write(to: scenario, atomically: true, encoding: .utf8)
        let output = try AndonProcess.run(["demo", "--headless", "--for", "1m", "--store", ":memory:", "--scenario", scenario.path])
        #expect(output.status == 2)
        #expect(output.stderr.contains("\(scenario.path):3:10: error:"))
    }

    @Test func aBadRosterAddsNoQuorumErrors() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let roster = dir.appendingPathComponent("operators.yaml")
        try "operators:\n  - {name: ana, role: captain}\n".write(to: roster, atomically: true, encoding: .utf8)
        let output = try AndonProcess.run(["demo", "--headless", "--for", "1m", "--store", ":memory:", "--operators", roster.path])
        #expect(output.status == 2)
        #expect(output.stderr.contains("\(roster.path):2:"))
        #expect(!output.stderr.contains("distinct approvers"), "\(output.stderr)")
        #expect(output.stderr.contains("1 error"))
    }

    @Test func auditTailNeutralisesRecordedControlCharacters() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try recordedStore(dir)
        try tamper(store, #"c.execute("UPDATE audit SET actor_name = 'x' || char(27) || ']0;owned' || char(7) || char(27) || '[2J' || char(155) WHERE sequence = 2")"#)
        let output = try AndonProcess.run(["audit", "tail", "--store", store, "-n", "5000"])
        #expect(output.status == 0)
        #expect(output.stdout.contains("#2 "))
        #expect(!output.stdout.unicodeScalars.contains { $0.properties.generalCategory == .control && $0 != "\n" }, "\(output.stdout.debugDescription.prefix(400))")
    }

    @Test func verifyRefusesASimTimeThatIsText() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try recordedStore(dir)
        try tamper(store, #"c.execute("UPDATE audit SET sim_time = CAST(sim_time AS TEXT) || 'x' WHERE sequence = 3")"#)
        let output = try AndonProcess.run(["audit", "verify", "--store", store])
        #expect(output.status == 1, "\(output.stdout)")
        #expect(output.stdout.contains("#3"))
    }
}
