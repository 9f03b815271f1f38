import Foundation

/// A Mosquitto broker started for one test on a free loopback port, and the clients beside it.
final class MqttBroker {
    /// Where the Debian packages put the programs, after `PATH`.
    static let searchPaths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        + ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin", "/opt/homebrew/sbin", "/opt/homebrew/bin"]

    /// The full path of `program`, if it is installed.
    static func find(_ program: String) -> String? {
        searchPaths.map { ($0 as NSString).appendingPathComponent(program) }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// True when the broker and both clients are installed.
    static var isAvailable: Bool { ["mosquitto", "mosquitto_sub", "mosquitto_pub"].allSatisfy { find($0) != nil } }

    let port: Int
    let folder: URL
    private let process: Process
    private let pidFile: URL

    /// Starts the broker on 127.0.0.1 and waits until it accepts connections.
    init() throws {
        port = try Self.freeLoopbackPort()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("andon-mqtt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let config = folder.appendingPathComponent("mosquitto.conf")
        // Loopback only; queued messages for the test's offline session are not capped.
        try """
        listener \(port) 127.0.0.1
        allow_anonymous true
        persistence false
        max_queued_messages 0
        max_inflight_messages 0

        """.write(to: config, atomically: true, encoding: .utf8)
        // Processes started from a test inherit its threads' blocked signals, so SIGTERM may never arrive: the broker
        // is stopped with SIGKILL. A watcher beside it kills it too if the test process itself dies.
        let brokerPID = folder.appendingPathComponent("mosquitto.pid")
        pidFile = brokerPID
        let script = """
            \(Self.find("mosquitto")!) -c '\(config.path)' & b=$!
            echo $b > '\(brokerPID.path)'
            ( while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done; kill -9 $b 2>/dev/null ) & w=$!
            wait $b
            kill -9 $w 2>/dev/null
            """
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        process.standardError = try FileHandle(forWritingTo: Self.touch(folder.appendingPathComponent("mosquitto.log")))
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while !Self.accepts(port: port) {
            guard process.isRunning, Date() < deadline else {
                stop()
                throw BrokerError(message: "mosquitto did not start on 127.0.0.1:\(port): \(log)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    /// What the broker logged.
    var log: String { (try? String(contentsOf: folder.appendingPathComponent("mosquitto.log"), encoding: .utf8)) ?? "" }

    /// Stops the broker (idempotent) and removes its folder.
    func stop() {
        if let text = try? String(contentsOf: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
            kill(pid, SIGKILL)
        }
        if process.isRunning {
            let deadline = Date().addingTimeInterval(5)
            while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        try? FileManager.default.removeItem(at: folder)
    }

    deinit { stop() }

    struct BrokerError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    private static func touch(_ url: URL) throws -> URL {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }

    /// A port the kernel just handed out on 127.0.0.1.
    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BrokerError(message: "socket failed") }
        defer { close(fd) }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard bound == 0 else { throw BrokerError(message: "bind failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } } == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
