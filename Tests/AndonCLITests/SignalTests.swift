import AndonTesting
import Foundation
import Testing

/// A headless run ended by a signal stops cleanly: what it holds is committed, its report is printed, stderr says
/// what happened, and the exit status is 128 + the signal (143 for SIGTERM), as a shell reports a killed command.
@Suite(.serialized)
struct SignalTests {
    @Test func sigtermEndsAHeadlessDemoWithItsReportAnd143() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("signal.sqlite").path
        let run = try AndonProcess.start(["demo", "--headless", "--for", "80000h", "--store", store])
        usleep(1_500_000)
        run.signal(SIGTERM)
        let output = run.finish()
        #expect(output.status == 143)
        #expect(output.stderr.contains("SIGTERM"), "\(output.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        #expect((report?["simulated_seconds"] as? Double ?? 0) > 0, "the report covers the run so far")
        let verify = try AndonProcess.run(["audit", "verify", "--store", store])
        #expect(verify.status == 0, "audit verify: \(verify.stdout)\(verify.stderr)")
    }

    @Test func sigtermEndsAHeadlessRunWaitingForTelemetry() throws {
        let run = try AndonProcess.start(["run", "--plant", "demo/plant.yaml", "--headless", "--store", ":memory:", "--rejects", "none",
                                          "--telemetry", "-"])
        let lines = try String(contentsOfFile: Fixtures.path("demo/telemetry/riverside-10m.jsonl"), encoding: .utf8).split(separator: "\n").prefix(200)
        run.write(lines.joined(separator: "\n") + "\n")
        usleep(1_000_000)
        // Standard input stays open: the run waits for more lines until the signal.
        run.signal(SIGTERM)
        let output = run.finish()
        run.closeInput()
        #expect(output.status == 143)
        #expect(output.stderr.contains("SIGTERM"))
        let report = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
        let telemetry = report?["telemetry"] as? [String: Any]
        #expect(telemetry?["accepted"] as? Int == 200)
    }
}
