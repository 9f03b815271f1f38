import Foundation

/// A tmux server of its own running one command in a pane of a fixed size: type with ``send(_:)``,
/// read the screen with ``capture(colours:)``, and always ``kill()`` it.
public final class TmuxSession: @unchecked Sendable {
    /// The private socket name.
    public let socket: String
    /// The session name.
    public let name = "andon"

    /// Starts `command` (run by `sh -c`) in a new detached session of `width`×`height`.
    public init(command: String, width: Int, height: Int, environment: [String: String] = [:]) throws {
        socket = "andon-test-\(UUID().uuidString.prefix(8))"
        let exports = environment.map { "export \($0.key)='\($0.value)';" }.joined(separator: " ")
        // The server forked by new-session keeps any pipe it inherits open: give it none to hold.
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "-c", Fixtures.root.path, "\(exports) \(command)"], output: false)
        _ = try? tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    /// True when tmux is installed.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    @discardableResult
    private func tmux(_ arguments: [String], output: Bool = true) throws -> String {
        try Spawn.run(["tmux", "-L", socket] + arguments, captureOutput: output)
    }

    /// The visible screen; with `colours`, including escape sequences for attributes and colours.
    public func capture(colours: Bool = false) -> String {
        (try? tmux(["capture-pane", "-p", "-t", name] + (colours ? ["-e"] : []))) ?? ""
    }

    /// Types keys (tmux key names such as `Enter`, `Tab`, `C-c`, or literal text).
    public func send(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", name] + keys)
    }

    /// Types text literally.
    public func type(_ text: String) {
        _ = try? tmux(["send-keys", "-t", name, "-l", text])
    }

    /// Resizes the window.
    public func resize(width: Int, height: Int) {
        _ = try? tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// The process id of the program in the pane.
    public var panePID: Int32? {
        Int32(((try? tmux(["display-message", "-p", "-t", name, "#{pane_pid}"])) ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Waits until the screen satisfies `condition`, polling; returns the last screen and whether it matched.
    @discardableResult
    public func wait(timeout: Double, for condition: (String) -> Bool) -> (screen: String, matched: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while Date() < deadline {
            if condition(screen) { return (screen, true) }
            Thread.sleep(forTimeInterval: 0.2)
            screen = capture()
        }
        return (screen, condition(screen))
    }

    /// Waits until `text` is on screen.
    @discardableResult
    public func wait(for text: String, timeout: Double = 20) -> (screen: String, matched: Bool) {
        wait(timeout: timeout) { $0.contains(text) }
    }

    /// Stops the tmux server and everything in it.
    public func kill() {
        _ = try? tmux(["kill-server"])
    }

    deinit { kill() }
}

/// Runs a program with posix_spawn and waits for it with waitpid: no run loop, no inherited pipes beyond
/// the one captured (a daemon it forks, such as a tmux server, then holds nothing of ours open).
enum Spawn {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(_ arguments: [String], captureOutput: Bool) throws -> String {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var fds: [Int32] = [-1, -1]
        if captureOutput {
            guard pipe(&fds) == 0 else { throw Failure(description: "pipe failed") }
            posix_spawn_file_actions_adddup2(&actions, fds[1], 1)
            posix_spawn_file_actions_addclose(&actions, fds[0])
            posix_spawn_file_actions_addclose(&actions, fds[1])
        } else {
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = (["/usr/bin/env"] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, environ)
        if captureOutput { close(fds[1]) }
        guard status == 0 else {
            if captureOutput { close(fds[0]) }
            throw Failure(description: "cannot start \(arguments.first ?? "?"): \(status)")
        }
        var data = Data()
        if captureOutput {
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = read(fds[0], &buffer, buffer.count)
                if n <= 0 { break }
                data.append(buffer, count: n)
            }
            close(fds[0])
        }
        var exitStatus: Int32 = 0
        while waitpid(pid, &exitStatus, 0) == -1, errno == EINTR {}
        return String(decoding: data, as: UTF8.self)
    }
}
