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
    }

    /// Runs `andon arguments…` to completion in the repository root.
    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = Fixtures.root
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
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
