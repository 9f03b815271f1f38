import AndonTesting
import Foundation
import Testing

/// Two lines, two `andon serve` runtimes on one PostgreSQL, a console at each: a critical stop that line-b asks for is
/// seen at line-a's console too, signed there by one supervisor and at line-b's by another, and runs once, at line-b.
@Suite("Approvals shared by two served runtimes", .serialized,
       .enabled(if: TmuxSession.isAvailable && (ThrowawayPostgres.isInstalled || ProcessInfo.processInfo.environment["CI"] != nil)))
struct SharedApprovalsEndToEndTests {
    /// One served runtime in a folder of its own.
    final class Runtime {
        let dir: URL
        let socket: String
        let environment: [String: String]
        let process: AndonProcess.Running

        init(id: String, url: String, plant: [String], speed: Int) throws {
            dir = try AndonProcess.temporaryDirectory()
            chmod(dir.path, 0o755)
            socket = dir.appendingPathComponent("run/\(id).sock").path
            let environment = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path]
            self.environment = environment
            process = try AndonProcess.start(["serve", "--store", url, "--runtime", id, "--socket", socket, "--speed", String(speed),
                                              "--log", dir.appendingPathComponent("serve.log").path] + plant, environment: environment)
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(100_000) }
            try #require(FileManager.default.fileExists(atPath: socket), "the socket of \(id) appeared")
        }

        func attach(as name: String) throws -> TmuxSession {
            let exports = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
            return try TmuxSession(columns: 160, rows: 48, environment: [:],
                                   shell: "env \(exports) \(AndonProcess.binary) attach --socket \(socket) --as \(name)")
        }

        /// The public half of the key this runtime signs its checkpoints with.
        func publicKey() throws -> String {
            let config = dir.appendingPathComponent("config")
            let found = FileManager.default.enumerator(atPath: config.path)?.compactMap { $0 as? String }.first { $0.hasSuffix(".pub") }
            return config.appendingPathComponent(try #require(found, "a public key in \(config.path)")).path
        }

        func stop() -> AndonProcess.Output {
            process.signal(SIGTERM)
            return process.finish()
        }

        deinit {
            process.signal(SIGKILL)
            try? FileManager.default.removeItem(at: dir)
        }
    }

    /// The first critical stop's approval row on screen: its target.
    static func criticalStop(_ screen: String) -> String? { ServiceEndToEndTests.criticalStopTarget(screen) }

    @Test func aCriticalStopAskedAtOneLineIsSignedAtBothLinesConsolesAndRunsOnce() throws {
        let cluster = try ThrowawayPostgres()
        defer { cluster.remove() }
        let plantFolder = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: plantFolder) }
        let plantA = plantFolder.appendingPathComponent("line-a.yaml")
        try Fixtures.twoCellPlantYAML().write(to: plantA, atomically: true, encoding: .utf8)
        // line-b is the demo plant (its scenario brings the critical stop); line-a a small plant of its own line.
        let lineB = try Runtime(id: "line-b", url: cluster.url, plant: [], speed: 10)
        let lineA = try Runtime(id: "line-a", url: cluster.url,
                                plant: ["--plant", plantA.path, "--policies", "demo/policies.yaml", "--operators", "demo/operators.yaml"], speed: 10)
        let ana = try lineA.attach(as: "ana")
        defer { ana.stop() }
        let dana = try lineB.attach(as: "dana")
        defer { dana.stop() }

        // line-a's console shows line-b's critical stop among its approvals.
        let seen = try ana.wait(for: "line-b's critical stop at line-a's console", timeout: 120) { Self.criticalStop($0) != nil }
        let target = try #require(Self.criticalStop(seen))
        try ServiceEndToEndTests.approve(ana, target: target, passphrase: "demo-ana")
        try ana.wait(for: "ana's signature for line-b", timeout: 15) { $0.contains("approval 1/2 (signed)") && $0.contains("runtime line-b") }

        // line-b takes ana's signature; dana's completes it there.
        try dana.wait(for: "ana's signature at line-b", timeout: 15) { $0.contains("1/2") }
        try ServiceEndToEndTests.approve(dana, target: target, passphrase: "demo-dana")
        try dana.wait(for: "dana's signature completing it", timeout: 15) { $0.contains("approved stop_cell of \(target)") }

        try ana.quit()
        try dana.quit()
        #expect(lineA.stop().status == 0)
        #expect(lineB.stop().status == 0)

        // Each runtime signs its checkpoints with its own key: verify is given both.
        let verify = try AndonProcess.run(["audit", "verify", "--store", cluster.url, "--public-key", "line-a=\(try lineA.publicKey())",
                                           "--public-key", "line-b=\(try lineB.publicKey())"], environment: lineB.environment)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let atA = try AndonProcess.run(["audit", "export", "--store", cluster.url, "--runtime", "line-a", "--format", "jsonl"], environment: lineA.environment)
        let atB = try AndonProcess.run(["audit", "export", "--store", cluster.url, "--runtime", "line-b", "--format", "jsonl"], environment: lineB.environment)
        let signedAtA = atA.stdout.split(separator: "\n").filter { $0.contains("\"kind\":\"approval_signed\"") }
        #expect(signedAtA.count == 1 && signedAtA[0].contains("\"name\":\"ana\"") && signedAtA[0].contains("for runtime line-b"))
        let linesB = atB.stdout.split(separator: "\n")
        #expect(linesB.contains { $0.contains("\"kind\":\"approval_signed\"") && $0.contains("\"name\":\"ana\"") && $0.contains("at runtime line-a") })
        #expect(linesB.contains { $0.contains("\"kind\":\"approval_approved\"") && $0.contains("\"name\":\"dana\"") && $0.contains("(2/2)") })
        let stops = linesB.filter { $0.contains("\"kind\":\"action_executed\"") && $0.contains("stop_cell") && $0.contains("\"target\":\"\(target)\"") }
        #expect(stops.count == 1, "the stop ran once, at line-b: \(stops)")
    }
}
