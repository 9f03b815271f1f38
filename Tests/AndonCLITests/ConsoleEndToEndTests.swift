import AndonTesting
import Foundation
import Testing

/// The console as a supervisor uses it, in tmux: wait for an approval, approve it with keys, see the
/// outcome on screen and in the audit log, quit, and find the terminal as it was.
@Suite(.serialized)
struct ConsoleEndToEndTests {
    private func stty(_ screen: String) -> Set<String> {
        Set(screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
    func approveWithKeysThenQuit() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("e2e.sqlite").path
        let command = "'\(AndonProcess.binary)' demo --store '\(store)' --speed 20; echo EXITED $?; stty -a; sleep 30"
        let tmux = try TmuxSession(command: command, width: 120, height: 40, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        defer { tmux.kill() }

        // The header comes up, then an approval is pending within the first simulated minutes.
        #expect(tmux.wait(for: "Riverside Assembly", timeout: 30).matched)
        let pending = tmux.wait(timeout: 60) { $0.contains("Approvals 1 pending") || $0.contains("pending ─") && !$0.contains("0 pending") }
        #expect(pending.matched, "no approval pending:\n\(pending.screen)")
        #expect(pending.screen.contains("schedule_mainte"))

        // a opens the confirmation with focus on No; y approves a high-risk action.
        tmux.send("a")
        let dialog = tmux.wait(for: "[ No ]", timeout: 5)
        #expect(dialog.matched, "no confirmation dialog:\n\(dialog.screen)")
        #expect(dialog.screen.contains("risk"))
        #expect(dialog.screen.contains("HIGH"))
        #expect(dialog.screen.contains("consequence"))
        tmux.send("y")
        let outcome = tmux.wait(for: "approved schedule_maintenance of B2 as supervisor", timeout: 10)
        #expect(outcome.matched, "no outcome on screen:\n\(outcome.screen)")

        // Quit: the program exits 0 and the terminal is back in cooked mode with echo.
        tmux.send("q")
        let exited = tmux.wait(for: "EXITED 0", timeout: 10)
        #expect(exited.matched, "did not exit cleanly:\n\(exited.screen)")
        let flags = stty(exited.screen)
        #expect(flags.contains("icanon"))
        #expect(flags.contains("echo"))

        // The decision is in the audit log, as the person who made it.
        let export = try AndonProcess.run(["audit", "export", "--store", store, "--format", "jsonl"])
        #expect(export.status == 0)
        let approved = export.stdout.split(separator: "\n").filter { $0.contains("\"kind\":\"approval_approved\"") }
        #expect(approved.count == 1)
        #expect(approved.first?.contains("\"role\":\"supervisor\"") == true)
        #expect(approved.first?.contains("schedule_maintenance of B2") == true)
        #expect(try AndonProcess.run(["audit", "verify", "--store", store]).status == 0)
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "tmux is not installed"))
    func ctrlCRestoresTheTerminal() throws {
        let command = "'\(AndonProcess.binary)' demo --store :memory:; echo EXITED $?; stty -a; sleep 30"
        let tmux = try TmuxSession(command: command, width: 80, height: 24, environment: ["TERM": "xterm-256color", "LANG": "C.UTF-8"])
        defer { tmux.kill() }
        #expect(tmux.wait(for: "Riverside", timeout: 30).matched)
        tmux.send("C-c")
        let exited = tmux.wait(for: "EXITED", timeout: 10)
        #expect(exited.matched)
        #expect(stty(exited.screen).contains("icanon"))
        #expect(stty(exited.screen).contains("echo"))
    }
}
