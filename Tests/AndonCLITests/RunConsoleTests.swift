import AndonTesting
import Foundation
import Testing

/// `andon run` with its console, as the README shows it: telemetry from a file, and from a pipe on standard input.
@Suite(.serialized)
struct RunConsoleTests {
    private static let recording = "demo/telemetry/riverside-10m.jsonl"

    /// A command refused at the console is logged, but never onto the screen the console owns.
    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func operatorCommandsLogToAFileNotOntoTheScreen() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = "\(AndonProcess.binary) run --plant demo/plant.yaml --store :memory: --rejects none --telemetry \(Self.recording)"
        let tmux = try TmuxSession(columns: 120, rows: 40, environment: ["XDG_STATE_HOME": dir.path], shell: command)
        defer { tmux.stop() }
        try tmux.wait(for: "the console") { $0.contains("Approvals") }
        for keys in [[":pause", "Enter"], ["K"], ["y"], [":resume", "Enter"]] {
            _ = try tmux.tmux(["send-keys", "-t", "0"] + keys)
            // Every screen for a while after each command: a stray line is drawn over at the next change.
            for _ in 0..<10 {
                let screen = try tmux.capture()
                #expect(!screen.contains("andon.runtime") && !screen.contains("accepted="), "a log line reached the screen:\n\(screen)")
                if screen.contains("andon.runtime") || screen.contains("accepted=") { break }
                usleep(50_000)
            }
        }
        try tmux.quit()
    }

    /// `mosquitto_sub … | andon run --telemetry -`: standard input carries telemetry, so the keys come from the terminal.
    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func telemetryOnStandardInputStillOpensTheConsole() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let command = "cat \(Self.recording) | \(AndonProcess.binary) run --plant demo/plant.yaml --store :memory: --rejects none --telemetry -"
        let tmux = try TmuxSession(columns: 120, rows: 40, environment: ["XDG_STATE_HOME": dir.path], shell: command)
        defer { tmux.stop() }
        let screen = try tmux.wait(for: "the console", timeout: 20) { $0.contains("Approvals") || $0.contains("(end)") }
        #expect(screen.contains("Approvals"), "the console did not open:\n\(screen)")
        #expect(!screen.contains("needs a terminal"))
        _ = try tmux.tmux(["send-keys", "-t", "0", "?"])
        try tmux.wait(for: "the help, opened by a key read from the terminal", timeout: 20) { $0.contains("help") || $0.contains("Help") }
        _ = try tmux.tmux(["send-keys", "-t", "0", "Escape"])
        let after = try tmux.quit()
        #expect(after.contains("andon exited 0"))
        #expect(after.contains("modes: icanon echo"))
    }

    /// Without a terminal to take keys from, the console says so and what to do instead.
    @Test func noTerminalForKeysIsSaidClearly() throws {
        let result = try AndonProcess.run(["run", "--plant", "demo/plant.yaml", "--store", ":memory:", "--rejects", "none", "--telemetry", "-"],
                                          stdin: "")
        #expect(result.status != 0)
        #expect(result.stderr.contains("--headless"), "\(result.stderr)")
    }
}
