import AndonTesting
import Foundation
import Testing

/// A supervisor's shift in tmux: the abnormal summary at 80×24, the alarm list and acknowledging one alarm (on
/// record), Ctrl-C cancelling a dialog without quitting, and q asking first while approvals wait.
@Suite(.serialized)
struct ShiftEndToEndTests {
    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func alarmListAckCtrlCAndQuit() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("shift.sqlite").path
        let tmux = try TmuxSession(columns: 80, rows: 24, environment: [:], store: store, speed: 20)
        defer { tmux.stop() }
        try tmux.waitForConsole()

        // The header's second row carries the abnormal summary at 80 columns, and soon an unacknowledged alarm.
        let summary = try tmux.wait(for: "an unacknowledged alarm in the header", timeout: 60) { screen in
            screen.split(separator: "\n").prefix(2).joined().contains("unack")
        }
        #expect(summary.split(separator: "\n").prefix(2).joined().contains("/10m"), "\(summary)")

        // The alarm list, and one alarm acknowledged from it.
        try tmux.send("L")
        let list = try tmux.wait(for: "the alarm list", timeout: 5) { $0.contains("P  cell  point") && $0.contains("UNACK") }
        #expect(list.contains("Alarms · priority, then newest"))
        try tmux.send("A")
        let acknowledged = try tmux.wait(for: "the acknowledgement", timeout: 10) { $0.contains("acknowledged ") }
        #expect(!acknowledged.contains("refused"), "\(acknowledged)")
        try tmux.send("Escape")

        // An approval's dialog: Ctrl-C cancels it, and the console runs on.
        try tmux.wait(for: "a pending approval", timeout: 60) { !$0.contains("Approvals 0 pending") && $0.contains("pending") }
        try tmux.send("a")
        try tmux.wait(for: "the dialog", timeout: 5) { $0.contains("time left") }
        try tmux.send("C-c")
        let cancelled = try tmux.wait(for: "the dialog cancelled", timeout: 5) { $0.contains("cancelled; nothing sent") }
        #expect(!cancelled.contains("(end)") && !cancelled.contains("time left"))

        // q asks while approvals wait; n stays; q and y leave, with the terminal restored.
        try tmux.send("q")
        try tmux.wait(for: "the quit question", timeout: 5) { $0.contains("Quit with") }
        try tmux.send("n")
        try tmux.wait(for: "still here", timeout: 5) { $0.contains("still here") }
        let after = try tmux.quit()
        #expect(after.contains("andon exited 0") && after.contains("modes: icanon echo"), "\(after)")

        // The acknowledgement is on record, as the person who made it.
        let export = try AndonProcess.run(["audit", "export", "--store", store, "--format", "jsonl"])
        let acks = export.stdout.split(separator: "\n").filter { $0.contains("\"kind\":\"operator_command\"") && $0.contains("\"command\":\"acknowledge\"") }
        #expect(acks.count == 1, "\(acks)")
    }
}
