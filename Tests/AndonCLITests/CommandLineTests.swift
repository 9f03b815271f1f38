import AndonTesting
import Foundation
import Testing

/// The `andon` command as a person runs it: exit codes and messages.
@Suite(.serialized)
struct CommandLineTests {
    @Test func badPlantExitsTwoWithEveryErrorAndItsPosition() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let plant = dir.appendingPathComponent("plant.yaml")
        let text = Fixtures.twoCellPlantYAML(bufferCapacity: -1, cellA: "\n        colour: red")
        try text.write(to: plant, atomically: true, encoding: .utf8)
        let output = try AndonProcess.run(["demo", "--headless", "--plant", plant.path, "--for", "1m"])
        #expect(output.status == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("\(plant.path):20:9: error: unknown key 'colour'"))
        #expect(output.stderr.contains("capacity -1 is impossible"))
        #expect(output.stderr.contains("2 errors"))
    }

    @Test func headlessReportIsByteIdenticalOutsideMeasured() throws {
        func run() throws -> String {
            let output = try AndonProcess.run(["demo", "--headless", "--seed", "9", "--for", "30m", "--store", ":memory:"])
            #expect(output.status == 0)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
            #expect(json["measured"] != nil)
            // Cut the measured block out of the text itself, so the rest is compared byte for byte.
            let text = output.stdout
            let start = try #require(text.range(of: "  \"measured\" : {"))
            let end = try #require(text.range(of: "\n  },\n", range: start.upperBound..<text.endIndex))
            return String(text[..<start.lowerBound]) + String(text[end.upperBound...])
        }
        let first = try run(), second = try run()
        #expect(first == second)
        #expect(first.contains("\"approvals_by_state\""))
    }

    @Test func policyCheckAndCases() throws {
        let check = try AndonProcess.run(["policy", "check", "demo/policies.yaml"])
        #expect(check.status == 0)
        #expect(check.stdout.hasPrefix("ok: "))
        let cases = try AndonProcess.run(["policy", "test", "demo/policies.yaml", "--cases", "demo/policies.cases.yaml"])
        #expect(cases.status == 0)
        #expect(cases.stdout.contains(" passed, 0 failed"))
    }

    @Test func auditVerifyDetectsTampering() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("audit.sqlite").path
        // A signing key of its own: tests that share the machine's default key can replace it between the run and
        // the verify.
        let environment = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path]
        let run = try AndonProcess.run(["demo", "--headless", "--for", "20m", "--store", store, "--scenario", "demo/scenarios/scripted.yaml"],
                                       environment: environment)
        #expect(run.status == 0)
        let ok = try AndonProcess.run(["audit", "verify", "--store", store], environment: environment)
        #expect(ok.status == 0)
        #expect(ok.stdout.hasPrefix("ok: "))
        let sqlite = Process()
        sqlite.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        sqlite.arguments = ["python3", "-c", """
        import sqlite3; c = sqlite3.connect('\(store)')
        for (name,) in c.execute("SELECT name FROM sqlite_master WHERE type='trigger'").fetchall(): c.execute(f"DROP TRIGGER {name}")
        c.execute("UPDATE audit SET payload = payload || ' ' WHERE sequence = 5")
        c.commit()
        """]
        try sqlite.run()
        sqlite.waitUntilExit()
        #expect(sqlite.terminationStatus == 0, "the tamper step failed")
        let bad = try AndonProcess.run(["audit", "verify", "--store", store], environment: environment)
        #expect(bad.status == 1)
        #expect((bad.stdout + bad.stderr).contains("#5"))
    }
}
