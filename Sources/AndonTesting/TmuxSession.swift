import Foundation
import Testing

/// A tmux server of its own (private socket), with one window of a fixed size; killed by `stop()` whatever happened.
public final class TmuxSession {
    /// True when tmux and the built binary are both there.
    public static var isAvailable: Bool {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return FileManager.default.isExecutableFile(atPath: AndonProcess.binary)
            && path.contains { FileManager.default.isExecutableFile(atPath: "\($0)/tmux") }
    }

    nonisolated(unsafe) private static var counter = 0
    /// The private socket name.
    public let socket: String

    /// Starts `andon demo` in a shell that prints how it ended and the terminal modes afterwards, then waits.
    public convenience init(columns: Int, rows: Int, environment: [String: String], arguments: [String] = [], store: String = ":memory:", speed: Int = 60) throws {
        let demo = ([AndonProcess.binary, "demo", "--store", store, "--speed", String(speed)] + arguments).joined(separator: " ")
        try self.init(columns: columns, rows: rows, environment: environment, shell: demo)
    }

    /// Starts a shell command line (`shell`, in which `andon` is spelled as the built binary's path) the same way:
    /// the exit status and the terminal modes afterwards are printed when it ends.
    public init(columns: Int, rows: Int, environment: [String: String], shell command: String) throws {
        Self.counter += 1
        socket = "andon-test-\(getpid())-\(Self.counter)"
        let settings = ["LANG": "C.UTF-8", "LC_ALL": "", "NO_COLOR": "", "TERM": "xterm-256color"].merging(environment) { $1 }
        let exports = settings.sorted { $0.key < $1.key }.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let modes = "stty -a | tr ' ;' '\\n\\n' | grep -x -e icanon -e -icanon -e echo -e -echo | tr '\\n' ' '"
        // Ctrl-C typed into the pane reaches the whole foreground group, this shell too: it carries on (as an
        // interactive shell would) and reports how andon ended.
        let script = "trap : INT; export \(exports); \(command); echo \"andon exited $?\"; echo \"modes: $(\(modes))(end)\"; sleep 600"
        _ = try tmux(["-f", "/dev/null", "new-session", "-d", "-x", String(columns), "-y", String(rows), "-c", Fixtures.root.path,
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
    public func tmux(_ arguments: [String]) throws -> String {
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
        guard spawned == 0 else { throw TmuxFailure(description: "could not start tmux: \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// The screen as text (`escapes`: with the colour and attribute escapes tmux keeps, as `capture-pane -e`).
    public func capture(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", "0"] + (escapes ? ["-e"] : []))
    }

    /// Polls the screen until `condition` holds or `timeout` seconds pass; returns the last capture.
    @discardableResult
    public func wait(for what: String, timeout: Double = 20, escapes: Bool = false, _ condition: (String) -> Bool) throws -> String {
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
    public func waitForConsole() throws -> String {
        try wait(for: "the console") { $0.contains("Approvals") && $0.contains("LIVE") }
    }

    /// Types `keys` (tmux key names: `q`, `C-c`, `Enter`).
    public func send(_ keys: String...) throws {
        try tmux(["send-keys", "-t", "0"] + keys)
    }

    /// Quits with `q`, answering `y` when the console asks first because approvals are pending; returns the screen
    /// once the program has ended.
    @discardableResult
    public func quit() throws -> String {
        try send("q")
        let screen = try wait(for: "andon to quit or ask") { $0.contains("(end)") || $0.contains("Quit with") }
        guard !screen.contains("(end)") else { return screen }
        try send("y")
        return try wait(for: "andon to quit", timeout: 60) { $0.contains("(end)") }
    }

    /// Quits the console with `q`, answering `y` when it asks (approvals are waiting), and waits for the shell to report
    /// how andon ended; returns that screen.
    @discardableResult
    public func quit(timeout: Double = 30) throws -> String {
        _ = try tmux(["send-keys", "-t", "0", "q"])
        let screen = try wait(for: "the exit or the question", timeout: timeout) { $0.contains("(end)") || $0.contains("Quit") || $0.contains("quit?") }
        if !screen.contains("(end)") { _ = try tmux(["send-keys", "-t", "0", "y"]) }
        return try wait(for: "the exit", timeout: timeout) { $0.contains("(end)") }
    }

    /// The process id of `andon` (the shell's child).
    public func andonPID() throws -> pid_t? {
        let shell = try tmux(["display-message", "-p", "-t", "0", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }

    /// A tmux format value for the pane (`alternate_on`, `cursor_flag`).
    public func paneFlag(_ name: String) throws -> String {
        try tmux(["display-message", "-p", "-t", "0", "#{\(name)}"]).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Kills the tmux server and everything in it: asks tmux, then kills the pane's process group and the server by id.
    public func stop() {
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
public func colourEscapes(in text: String) -> [String] {
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

/// tmux could not be started.
public struct TmuxFailure: Error, CustomStringConvertible {
    /// What went wrong.
    public let description: String
}
