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
        try tmux(["new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", "-c", Fixtures.root.path, "\(exports) \(command)"])
        _ = try? tmux(["set-option", "-t", name, "remain-on-exit", "on"])
    }

    /// True when tmux is installed.
    public static var isAvailable: Bool {
        FileManager.default.isExecutableFile(atPath: "/usr/bin/tmux") || FileManager.default.isExecutableFile(atPath: "/usr/local/bin/tmux")
    }

    @discardableResult
    private func tmux(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tmux", "-L", socket] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
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
