import AndonStore
import Foundation
import Logging

/// An outside agent the demo starts beside its console (`andon demo --with-agent PATH`): a program run with
/// `--socket SOCKET` once the socket is served (a `.py` file through python3), its output in a log file of its own
/// (the console owns the screen), stopped with the demo.
final class OutsideAgentProcess: @unchecked Sendable {
    private let process = Process()
    private let logger = Logger(label: "andon.demo.agent")
    /// Where the agent's output goes.
    let logPath: String

    /// An agent program at `path`, to be started on `socket`; its output goes to `logPath`.
    init(path: String, socket: String, logPath: String) {
        self.logPath = logPath
        if path.hasSuffix(".py") {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", path, "--socket", socket]
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["--socket", socket]
        }
        var environment = ProcessInfo.processInfo.environment
        environment["ANDON_SOCKET"] = socket
        environment["PYTHONUNBUFFERED"] = "1"
        process.environment = environment
    }

    /// The default log file: beside the plant's default store (`<state>/andon/<plant>-agent.log`).
    static func defaultLog(plantID: String) -> String {
        (AuditStore.defaultPath(plantID: plantID) as NSString).deletingPathExtension + "-agent.log"
    }

    /// Starts the agent once `socket` exists (within 10 s), so its first hello finds the runtime.
    func start(whenServed socket: String) async {
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) {
            try? await Task.sleep(for: .milliseconds(100))
        }
        guard !Task.isCancelled else { return }
        try? FileManager.default.createDirectory(atPath: (logPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        _ = FileManager.default.createFile(atPath: logPath, contents: nil, attributes: [.posixPermissions: 0o600])
        guard let output = FileHandle(forWritingAtPath: logPath) else {
            logger.error("outside agent not started: cannot write its log", metadata: ["log": "\(logPath)"])
            return
        }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
            logger.info("outside agent started", metadata: ["pid": "\(process.processIdentifier)", "log": "\(logPath)"])
        } catch {
            logger.error("outside agent not started", metadata: ["problem": "\(error)"])
        }
    }

    /// Stops the agent: SIGTERM, and SIGKILL when it has not ended within two seconds (a child may inherit the
    /// demo's own handling of SIGTERM, which ignores it for the signal's dispatch source).
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<20 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}
