import AndonTesting
import Foundation
import Testing

/// `andon mcp` driven by the PyPI `mcp` client library over stdio (Tests/AndonCLITests/Clients/mcp_session.py): a
/// session initializes, lists the tools, reads the plant and proposes what the policy allows, what it denies and what
/// needs approval; a person approves that one at an attached console; a later session sees the outcome.
@Suite(.serialized)
struct MCPEndToEndTests {
    /// True when python3 has the `mcp` package (CI installs it: .ci/run).
    static let hasMCPClient: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import mcp"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    static func session(_ socket: String, _ arguments: String...) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.path("Tests/AndonCLITests/Clients/mcp_session.py"), AndonProcess.binary, socket] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let report = (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
        #expect(process.terminationStatus == 0 && !report.isEmpty, "the MCP session ran: \(problems.suffix(2000))")
        return report
    }

    @Test(.enabled(if: TmuxSession.isAvailable && hasMCPClient, "needs tmux and python3 with the mcp package (pip install mcp)"))
    func aRealMCPClientProposesAndSeesAPersonApprove() throws {
        // A plant with no incidents, so the only approval waiting is the one the MCP client asked for.
        let folder = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let scenario = folder.appendingPathComponent("quiet.yaml")
        try "scenario:\n  name: Quiet\nincidents: []\n".write(to: scenario, atomically: true, encoding: .utf8)
        let served = try ServiceEndToEndTests.Served(arguments: ["--scenario", scenario.path], speed: 2)
        let dana = try served.attach(["--as", "dana"])
        defer { dana.stop() }
        try dana.wait(for: "the console", timeout: 30) { $0.contains("Approvals") }

        let report = try Self.session(served.socket, "propose")
        #expect(report["server"] as? String == "andon")
        #expect((report["instructions"] as? String)?.contains("pending approval") == true)
        let tools = report["tools"] as? [String: [String: Any]] ?? [:]
        #expect(Set(tools.keys) == ["list_cells", "get_cell", "propose_action", "get_proposal", "list_my_proposals", "withdraw_proposal", "recent_events"])
        #expect(tools["propose_action"]?["required"] as? [String] == ["action", "target", "risk", "rationale", "idempotency_key"])
        #expect(tools["propose_action"]?["readOnly"] as? Bool == false && tools["list_cells"]?["readOnly"] as? Bool == true)
        #expect((tools["propose_action"]?["description"] as? String)?.contains("does NOT run unless they approve") == true)
        #expect((report["cells"] as? [String])?.count == 18)
        #expect(((report["cell"] as? [String: Any])?["text"] as? String)?.contains("high_warn") == true)

        let allowed = report["allowed"] as? [String: Any] ?? [:], denied = report["denied"] as? [String: Any] ?? [:]
        let pending = report["pending"] as? [String: Any] ?? [:], retried = report["retried"] as? [String: Any] ?? [:]
        let bad = report["bad"] as? [String: Any] ?? [:]
        #expect(allowed["state"] as? String == "executed", "\(allowed)")
        #expect(denied["state"] as? String == "denied" && denied["rules"] as? [String] == ["outside-agent-no-stop"], "\(denied)")
        #expect(pending["state"] as? String == "pending" && pending["deadline"] != nil, "\(pending)")
        #expect((pending["text"] as? String)?.contains("nothing happens until then") == true, "the tool text says what pending means")
        #expect(retried["replay"] as? Bool == true && retried["id"] as? String == pending["id"] as? String, "a retry is the same proposal: \(retried)")
        #expect(bad["isError"] as? Bool == true && bad["state"] as? String == "refused", "evidence in words is refused: \(bad)")
        #expect((report["events"] as? String)?.contains("by assistant (external)") == true)
        let id = try #require(pending["id"] as? String)

        // The console says who proposed it, and a person approves it there.
        let screen = try dana.wait(for: "the outside agent's approval", timeout: 20) { $0.contains("1 pending") }
        #expect(screen.contains("a bigger cut need"), "the rationale as sent")
        _ = try dana.tmux(["send-keys", "-t", "0", "Tab"])
        usleep(200_000)
        _ = try dana.tmux(["send-keys", "-t", "0", "Enter"])
        let detail = try dana.wait(for: "the approval's detail", timeout: 10) { $0.contains("outside agent assistant, version 1.0.0") }
        #expect(detail.contains("vibration"), "the evidence as sent")
        _ = try dana.tmux(["send-keys", "-t", "0", "a"])
        try dana.wait(for: "the approve dialog", timeout: 10) { $0.contains("y or Enter on Yes") }
        _ = try dana.tmux(["send-keys", "-t", "0", "y"])
        try dana.wait(for: "the approval taking effect", timeout: 10) { $0.contains("approved reduce_speed of B4") }

        let later = try Self.session(served.socket, "outcome", id)
        let outcome = later["outcome"] as? [String: Any] ?? [:]
        #expect(outcome["state"] as? String == "approved", "the client sees the outcome: \(outcome)")
        try dana.quit()
        #expect(served.stop()?.status == 0)
        let export = try served.run(["audit", "export", "--store", served.store, "--format", "jsonl"]).stdout
        #expect(export.split(separator: "\n").contains { $0.contains("\"kind\":\"approval_approved\"") && $0.contains(id) })
    }
}
