import Foundation
import Testing

/// The built `andon` binary: beside the test bundle (SwiftPM puts both in the same folder), else `.build/debug/andon`.
enum AndonBinary {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var path: String? {
        let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [besideTests.appendingPathComponent("andon").path, besideTests.deletingLastPathComponent().appendingPathComponent("andon").path,
                          repositoryRoot.appendingPathComponent(".build/debug/andon").path]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs the binary with `arguments` from the repository root; returns exit status, stdout and stderr.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(path))
        process.arguments = arguments
        process.currentDirectoryURL = repositoryRoot
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile(), err = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}

/// A tmux server of its own (private socket), with one window of a fixed size; killed by `stop()` whatever happened.
final class TmuxSession {
    static var isAvailable: Bool {
        AndonBinary.path != nil && ["/usr/bin/tmux", "/usr/local/bin/tmux", "/bin/tmux"].contains { FileManager.default.isExecutableFile(atPath: $0) }
    }

    nonisolated(unsafe) private static var counter = 0
    let socket: String

    /// Starts `andon demo` in a shell that prints how it ended and the terminal modes afterwards, then waits.
    init(columns: Int, rows: Int, environment: [String: String], arguments: [String] = []) throws {
        Self.counter += 1
        socket = "andon-test-\(getpid())-\(Self.counter)"
        let binary = try #require(AndonBinary.path)
        let settings = ["LANG": "C.UTF-8", "LC_ALL": "", "NO_COLOR": "", "TERM": "xterm-256color"].merging(environment) { $1 }
        let exports = settings.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let demo = ([binary, "demo", "--store", ":memory:", "--speed", "60"] + arguments).joined(separator: " ")
        let modes = "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '"
        let script = "env \(exports) \(demo); echo \"andon exited $?\"; echo \"modes: $(\(modes))(end)\"; sleep 600"
        _ = try tmux(["-f", "/dev/null", "new-session", "-d", "-x", String(columns), "-y", String(rows), "-c", AndonBinary.repositoryRoot.path,
                      "sh", "-c", script])
        _ = try tmux(["set-option", "-g", "window-size", "manual"])
        let pids = try tmux(["display-message", "-p", "-t", "0", "#{pid} #{pane_pid}"]).split(separator: " ").compactMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        serverPID = pids.first ?? 0
        panePID = pids.dropFirst().first ?? 0
    }

    private var serverPID: pid_t = 0
    private var panePID: pid_t = 0

    /// Runs a tmux command on this server; returns its output.
    ///
    /// Spawned directly rather than with Foundation's `Process`: the tmux server that the first command starts would
    /// inherit the descriptors `Process` watches for the child's end, and the wait would never finish. Output goes
    /// through a file for the same reason.
    @discardableResult
    func tmux(_ arguments: [String]) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
        defer { unlink(file) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, arguments.contains("new-session") ? "/dev/null" : file, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let words = ["tmux", "-L", socket] + arguments
        var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let environment = ProcessInfo.processInfo.environment.filter { $0.key != "TMUX" }.map { "\($0.key)=\($0.value)" }
        var envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer { envp.forEach { free($0) } }
        // The test runner's threads block most signals; a tmux server inheriting that mask could never be stopped.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tmux", &actions, &attributes, &argv, &envp)
        try #require(spawned == 0, "could not start tmux: \(spawned)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// The screen as text (`escapes`: with the colour and attribute escapes tmux keeps, as `capture-pane -e`).
    func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "0"] + (escapes ? ["-e"] : []))
    }

    /// Polls the screen until `condition` holds or `timeout` seconds pass; returns the last capture.
    @discardableResult
    func wait(for what: String, timeout: Double = 20, escapes: Bool = false, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture(escapes: escapes)
            if condition(screen) { return screen }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what); screen was:\n\(screen)")
        return screen
    }

    /// Waits for the console's header and approvals pane.
    @discardableResult
    func waitForConsole() throws -> String {
        try wait(for: "the console") { $0.contains("Approvals") && $0.contains("LIVE") }
    }

    /// The process id of `andon` (the shell's child).
    func andonPID() throws -> pid_t? {
        let shell = try tmux(["display-message", "-p", "-t", "0", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }

    /// A tmux format value for the pane (`alternate_on`, `cursor_flag`).
    func paneFlag(_ name: String) throws -> String {
        try tmux(["display-message", "-p", "-t", "0", "#{\(name)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Kills the tmux server and everything in it: asks tmux, then kills the pane's process group and the server by id.
    func stop() {
        _ = try? tmux(["kill-server"])
        if panePID > 0 { kill(-panePID, SIGKILL) }
        if serverPID > 0 { kill(serverPID, SIGKILL) }
        panePID = 0
        serverPID = 0
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"] ?? "/tmp"
        unlink("\(folder)/tmux-\(getuid())/\(socket)")
    }
}

/// SGR sequences in `text` that set a colour (30–38, 40–48, 90–97, 100–107); 39 and 49, back to the default, are not colour.
func colourEscapes(in text: String) -> [String] {
    var found: [String] = []
    var rest = Substring(text)
    while let start = rest.range(of: "\u{1B}[") {
        rest = rest[start.upperBound...]
        guard let end = rest.firstIndex(where: { $0.isLetter }) else { break }
        let parameters = rest[..<end]
        if rest[end] == "m", parameters.split(separator: ";").contains(where: { Int($0).map { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) } ?? false }) {
            found.append(String(parameters))
        }
        rest = rest[rest.index(after: end)...]
    }
    return found
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
        try session.tmux(["send-keys", "-t", "0", "q"])
        let after = try session.wait(for: "andon to quit") { $0.contains("(end)") }
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
        try session.tmux(["send-keys", "-t", "0", "q"])
        #expect(try session.wait(for: "andon to quit") { $0.contains("(end)") }.contains("andon exited 0"))
    }

    @Test(arguments: [SIGTERM, SIGHUP])
    func signalsRestoreTheTerminal(signal: Int32) throws {
        let session = try TmuxSession(columns: 100, rows: 30, environment: [:])
        defer { session.stop() }
        try session.waitForConsole()
        #expect(try session.paneFlag("alternate_on") == "1", "the console uses the alternate screen")
        let pid = try #require(try session.andonPID())
        kill(pid, signal)
        let after = try session.wait(for: "andon to end") { $0.contains("(end)") }
        #expect(after.contains("icanon") && !after.contains("-icanon") && after.contains(" echo") && !after.contains("-echo"), "\(after)")
        #expect(try session.paneFlag("alternate_on") == "0", "back on the normal screen")
        #expect(try session.paneFlag("cursor_flag") == "1", "cursor visible again")
    }
}
