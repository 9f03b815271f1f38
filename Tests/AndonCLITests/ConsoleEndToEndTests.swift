import AndonTesting
import Foundation
import Testing

/// The console as a supervisor uses it, in tmux: wait for an approval, approve it with keys, see the
/// outcome on screen and in the audit log, quit, and find the terminal as it was.
@Suite(.serialized)
struct ConsoleEndToEndTests {
    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func approveWithKeysThenQuit() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("e2e.sqlite").path
        let tmux = try TmuxSession(columns: 120, rows: 40, environment: [:], store: store, speed: 20)
        defer { tmux.stop() }

        // The console comes up, then an approval is pending within the first simulated minutes.
        try tmux.waitForConsole()
        let pending = try tmux.wait(for: "a pending approval", timeout: 60) { $0.contains("Approvals 1 pending") }
        #expect(pending.contains("schedule_mainte"))

        // a opens the confirmation with focus on No; y approves a high-risk action.
        _ = try tmux.tmux(["send-keys", "-t", "0", "a"])
        let dialog = try tmux.wait(for: "the confirmation dialog", timeout: 5) { $0.contains("[ No ]") }
        #expect(dialog.contains("HIGH"))
        #expect(dialog.contains("consequence"))
        _ = try tmux.tmux(["send-keys", "-t", "0", "y"])
        try tmux.wait(for: "the outcome", timeout: 10) { $0.contains("approved schedule_maintenance of B2 as supervisor") }

        // Quit: the program exits 0 and the terminal is back in cooked mode with echo.
        let after = try tmux.quit()
        #expect(after.contains("andon exited 0"))
        #expect(after.contains("modes: icanon echo"))

        // The decision is in the audit log, as the person who made it.
        let export = try AndonProcess.run(["audit", "export", "--store", store, "--format", "jsonl"])
        #expect(export.status == 0)
        let approved = export.stdout.split(separator: "\n").filter { $0.contains("\"kind\":\"approval_approved\"") }
        #expect(approved.count == 1)
        #expect(approved.first?.contains("\"role\":\"supervisor\"") == true)
        #expect(approved.first?.contains("schedule_maintenance of B2") == true)
        let verify = try AndonProcess.run(["audit", "verify", "--store", store])
        #expect(verify.status == 0, "audit verify: \(verify.stdout)\(verify.stderr)")
    }
}
