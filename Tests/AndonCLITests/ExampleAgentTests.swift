import AndonTesting
import Foundation
import Testing

/// The example outside agent (demo/agents/vibration_trend.py) started by the demo (`andon demo --with-agent`), in tmux:
/// it reads the plant over the socket, sees B2's bearing going and proposes reduce_speed with evidence; the policy lets
/// the small cut run and sends the larger one to the approvals pane, and the log has both.
@Suite(.serialized)
struct ExampleAgentTests {
    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func theVibrationTrendAgentProposesThroughThePolicyIntoTheApprovalsPane() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let socket = dir.appendingPathComponent("run/riverside.sock").path
        let store = dir.appendingPathComponent("state/riverside.sqlite").path
        let environment = ["XDG_STATE_HOME": dir.appendingPathComponent("state").path, "XDG_CONFIG_HOME": dir.appendingPathComponent("config").path]
        let demo = try TmuxSession(columns: 140, rows: 45, environment: environment,
                                   arguments: ["--socket", socket, "--with-agent", "demo/agents/vibration_trend.py"], store: store, speed: 20)
        defer { demo.stop() }
        try demo.wait(for: "the console", timeout: 30) { $0.contains("Approvals") }
        let screen = try demo.wait(for: "the outside agent's proposal in the event log", timeout: 90) { $0.contains("vibration.trend proposes reduce_speed B2") }
        #expect(!screen.contains("andon exited"), "the demo runs on")
        try demo.wait(for: "its larger cut waiting in the approvals pane", timeout: 90) { $0.contains("MED  reduce_speed         B2") }
        _ = try demo.quit()

        let log = (try? String(contentsOfFile: dir.appendingPathComponent("state/andon/riverside-agent.log").path, encoding: .utf8)) ?? ""
        #expect(log.contains("attached to Riverside Assembly as vibration.trend 0.3.0"), "\(log)")
        #expect(log.contains("B2 5%: executed") || log.contains("B2 5%: refused"), "the small cut was allowed and ran (or another agent's cut was first): \(log)")
        #expect(log.contains("B2 15%: pending"), "\(log)")
        let export = try AndonProcess.run(["audit", "export", "--store", store, "--format", "jsonl"], environment: environment).stdout
        let proposals = export.split(separator: "\n").filter { $0.contains("\"kind\":\"proposal\"") && $0.contains("\"agentID\":\"vibration.trend\"") }
        #expect(proposals.contains { $0.contains("\"agentKind\":\"external\"") && $0.contains("B2 vibration") && $0.contains("\"correlationID\":{\"rawValue\":\"read-") },
                "recorded with its rationale, evidence and the read it was based on: \(proposals.first ?? "none")")
        #expect(export.contains("\"command\":\"attach\"") || export.contains("\"request\":\"attach\""), "the agent's attach is on record")
    }
}
