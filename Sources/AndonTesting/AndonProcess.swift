import Foundation

/// Runs the built `andon` executable as a person would, from the repository root.
public enum AndonProcess {
    /// The `andon` binary that `swift build` / `swift test` produced.
    public static var binary: String {
        let candidates = [".build/debug/andon", ".build/x86_64-unknown-linux-gnu/debug/andon", ".build/release/andon"]
        for candidate in candidates {
            let path = Fixtures.path(candidate)
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return Fixtures.path(".build/debug/andon")
    }

    /// What a finished run printed and returned.
    public struct Output: Sendable {
        /// Exit status.
        public var status: Int32
        /// Standard output.
        public var stdout: String
        /// Standard error.
        public var stderr: String

        /// An outcome.
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }
    }

    /// Runs `andon arguments…` to completion in the repository root.
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.root
        process.environment = Self.environment(adding: environment)
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        // Read both pipes while the process runs, so a full pipe never blocks it.
        let group = DispatchGroup()
        let box = OutputBox()
        group.enter()
        DispatchQueue.global().async { box.setOut(out.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        group.enter()
        DispatchQueue.global().async { box.setErr(err.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        process.waitUntilExit()
        group.wait()
        return Output(status: process.terminationStatus, stdout: String(decoding: box.out, as: UTF8.self), stderr: String(decoding: box.err, as: UTF8.self))
    }

    /// A run of `andon` that goes on while the test does something to it (a signal, more input).
    public final class Running {
        private let process = Process()
        private let out = Pipe(), err = Pipe(), input = Pipe()
        private let box = OutputBox()
        private let group = DispatchGroup()

        fileprivate init(_ arguments: [String], environment: [String: String]) throws {
            process.executableURL = URL(fileURLWithPath: AndonProcess.binary)
            process.arguments = arguments
            process.currentDirectoryURL = Fixtures.root
            process.environment = AndonProcess.environment(adding: environment)
            process.standardOutput = out
            process.standardError = err
            process.standardInput = input
            try process.run()
            group.enter()
            DispatchQueue.global().async { [out, box, group] in box.setOut(out.fileHandleForReading.readDataToEndOfFile()); group.leave() }
            group.enter()
            DispatchQueue.global().async { [err, box, group] in box.setErr(err.fileHandleForReading.readDataToEndOfFile()); group.leave() }
        }

        /// The process id.
        public var pid: pid_t { process.processIdentifier }

        /// Writes to its standard input (left open until ``closeInput()``).
        public func write(_ text: String) { input.fileHandleForWriting.write(Data(text.utf8)) }

        /// Closes its standard input.
        public func closeInput() { try? input.fileHandleForWriting.close() }

        /// Sends it a signal.
        public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

        /// Waits for it to end; what it printed and returned.
        public func finish() -> Output {
            process.waitUntilExit()
            group.wait()
            return Output(status: process.terminationStatus, stdout: String(decoding: box.out, as: UTF8.self), stderr: String(decoding: box.err, as: UTF8.self))
        }
    }

    /// Starts `andon arguments…` in the repository root, with its standard input open, and returns at once.
    /// `environment` is added to the test's own for this process only: a test never sets variables process-wide, since
    /// every process another test starts meanwhile would inherit them (a run signing with one folder's key, verified
    /// with another's).
    public static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Running {
        try Running(arguments, environment: environment)
    }

    /// The test process's environment with `extra` added.
    static func environment(adding extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in extra { env[key] = value }
        return env
    }

    /// A fresh temporary directory, removed by the caller.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("andon-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

private final class OutputBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var out = Data()
    private(set) var err = Data()
    func setOut(_ data: Data) { lock.withLock { out = data } }
    func setErr(_ data: Data) { lock.withLock { err = data } }
}
