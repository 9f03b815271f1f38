import AndonTesting
import Foundation
import Testing

/// Kills a headless run with SIGKILL at random moments, many times, restarting it on the same store each
/// time; then the chain must verify, every decision acknowledged before a kill must be on record, and no
/// action may have run twice.
@Suite(.serialized)
struct CrashTests {
    @Test func sigkillAtRandomMomentsLosesNothingAndRunsNothingTwice() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("crash.sqlite").path
        // Its own signing key and journal: the default ones are shared with every other run on the machine.
        let environment = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path]
        var generator = SystemRandomNumberGenerator()
        var acknowledged: Set<String> = []
        let rounds = 12
        var killed = 0
        for round in 0..<rounds {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: AndonProcess.binary)
            // Rounds to be killed run long enough (two simulated days, seconds of wall time) that the kill lands mid-run.
            let isKilled = round < rounds - 2
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.arguments = ["demo", "--headless", "--store", store, "--scenario", "demo/scenarios/scripted.yaml", "--for", isKilled ? "48h" : "45m",
                                 "--seed", "\(round + 1)", "--print-decisions"]
            process.currentDirectoryURL = Fixtures.root
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Let it run for a random moment, then kill it without warning (the last rounds run to the end).
            if isKilled {
                Thread.sleep(forTimeInterval: Double.random(in: 0.3...2.5, using: &generator))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    killed += 1
                }
            }
            process.waitUntilExit()
            let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in printed.split(separator: "\n") where line.hasPrefix("decided ") { acknowledged.insert(String(line)) }
        }
        #expect(killed >= 5)

        let verify = try AndonProcess.run(["audit", "verify", "--store", store], environment: environment)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        let export = try AndonProcess.run(["audit", "export", "--store", store, "--format", "jsonl"], environment: environment)
        #expect(export.status == 0)
        var onRecord: Set<String> = []
        var executions: [String: Int] = [:]
        for line in export.stdout.split(separator: "\n") {
            guard let record = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let kind = record["kind"] as? String, let payload = record["payload"] as? [String: Any] else { continue }
            let actor = (record["actor"] as? [String: Any])?["name"] as? String ?? ""
            switch kind {
            case "approval_signed":
                onRecord.insert("decided \(payload["approvalID"] as? String ?? "") approve by \(actor)")
            case "approval_rejected":
                onRecord.insert("decided \(payload["approvalID"] as? String ?? "") reject by \(actor)")
            case "action_executed":
                if let execution = payload["execution"] as? [String: Any], execution["applied"] as? Bool == true,
                   let key = execution["idempotencyKey"] as? String {
                    executions[key, default: 0] += 1
                }
            default:
                break
            }
        }
        #expect(!acknowledged.isEmpty)
        let lost = acknowledged.subtracting(onRecord)
        #expect(lost.isEmpty, "acknowledged but not on record: \(lost.sorted())")
        let twice = executions.filter { $0.value > 1 }
        #expect(twice.isEmpty, "ran more than once: \(twice)")
        #expect(executions.count > 10)
    }
}
