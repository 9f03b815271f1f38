import AndonTesting
import Foundation
import Testing

/// The built `andon` binary, run from the repository root.
enum AndonBinary {
    static var path: String? {
        FileManager.default.isExecutableFile(atPath: AndonProcess.binary) ? AndonProcess.binary : nil
    }

    /// Runs the binary with `arguments`; returns exit status, stdout and stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, errors: String) {
        let output = try AndonProcess.run(arguments, environment: environment)
        return (output.status, output.stdout, output.stderr)
    }
}


/// The console started in tmux, as CI runs it: colour, TERM values, locale, resizes and signals.
@Suite(.serialized, .enabled(if: TmuxSession.isAvailable, "needs tmux and the built andon binary"))
struct TerminalTests {
    @Test func noColorMeansNoColourEscapes() throws {
        let coloured = try TmuxSession(columns: 120, rows: 40, environment: [:])
        defer { coloured.stop() }
        try coloured.waitForConsole()
        let withColour = try coloured.capture(escapes: true)
        #expect(!colourEscapes(in: withColour).isEmpty, "isa101 on xterm-256color uses colour (the control)")
        coloured.stop()

        let plain = try TmuxSession(columns: 120, rows: 40, environment: ["NO_COLOR": "1"])
        defer { plain.stop() }
        try plain.waitForConsole()
        let screen = try plain.capture(escapes: true)
        #expect(colourEscapes(in: screen).isEmpty, "NO_COLOR=1 still coloured: \(colourEscapes(in: screen).prefix(5))")
        #expect(screen.contains("\u{1B}[7m") || screen.contains(";7m") || screen.contains("\u{1B}[1m"), "attributes still carry the look")
    }

    @Test(arguments: ["xterm-256color", "tmux-256color", "screen", "xterm", "vt100", "linux"])
    func eachTerminalTypeStartsAndQuits(term: String) throws {
        let session = try TmuxSession(columns: 100, rows: 30, environment: ["TERM": term])
        defer { session.stop() }
        try session.waitForConsole()
        let after = try session.quit()
        #expect(after.contains("andon exited 0"), "\(term):\n\(after)")
        #expect(after.contains("icanon") && !after.contains("-icanon") && after.contains(" echo"), "\(term): terminal modes restored:\n\(after)")
    }

    @Test func dumbTerminalIsRefusedClearly() throws {
        let session = try TmuxSession(columns: 100, rows: 30, environment: ["TERM": "dumb"])
        defer { session.stop() }
        let after = try session.wait(for: "andon to refuse") { $0.contains("(end)") }
        #expect(after.contains("can't position the cursor") && after.contains("--headless"), "\(after)")
        #expect(after.contains("andon exited 1"), "\(after)")
    }

    @Test func cLocaleDrawsASCII() throws {
        let session = try TmuxSession(columns: 100, rows: 30, environment: ["LANG": "C", "LC_ALL": "C"])
        defer { session.stop() }
        let screen = try session.waitForConsole()
        let isASCII = screen.unicodeScalars.allSatisfy { $0.isASCII }
        #expect(isASCII, "non-ASCII under LANG=C:\n\(screen)")
        #expect(screen.contains("+-") && screen.contains("|"), "ASCII boxes:\n\(screen)")
    }

    @Test func aHundredResizesThenTheRightScreen() throws {
        let session = try TmuxSession(columns: 120, rows: 40, environment: [:])
        defer { session.stop() }
        try session.waitForConsole()
        var generator = SystemRandomNumberGenerator()
        let start = Date()
        for _ in 0..<100 {
            let columns = Int.random(in: 20...200, using: &generator), rows = Int.random(in: 5...60, using: &generator)
            try session.tmux(["resize-window", "-t", "0", "-x", String(columns), "-y", String(rows)])
        }
        try session.tmux(["resize-window", "-t", "0", "-x", "100", "-y", "30"])
        #expect(Date().timeIntervalSince(start) < 10)
        let screen = try session.wait(for: "the 100×30 layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return lines.count >= 30 && lines[0].contains("LIVE") && lines[29].contains("? help")
                && lines.contains { $0.hasPrefix("┌") && $0.hasSuffix("┐") && $0.count == 100 } && lines[28].hasPrefix("└") && lines[28].count == 100
        }
        #expect(!screen.contains("terminal too small"))
        #expect(try session.quit().contains("andon exited 0"))
    }

    @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
    func signalsRestoreTheTerminal(signal: Int32) throws {
        let session = try TmuxSession(columns: 100, rows: 30, environment: [:])
        defer { session.stop() }
        try session.waitForConsole()
        #expect(try session.paneFlag("alternate_on") == "1", "the console uses the alternate screen")
        let pid = try #require(try session.andonPID())
        kill(pid, signal)
        var after = try session.wait(for: "andon to end") { $0.contains("(end)") || $0.contains("Quit with") }
        if signal == SIGINT, after.contains("Quit with") {
            // Ctrl-C is q: with approvals pending the console asks first.
            try session.send("y")
            after = try session.wait(for: "andon to end") { $0.contains("(end)") }
        }
        #expect(after.contains("icanon") && !after.contains("-icanon") && after.contains(" echo") && !after.contains("-echo"), "\(after)")
        #expect(try session.paneFlag("alternate_on") == "0", "back on the normal screen")
        #expect(try session.paneFlag("cursor_flag") == "1", "cursor visible again")
    }
}
