import AndonTesting
import Foundation
import Testing

/// Two lines, two runtimes, one PostgreSQL, and plant-wide consoles attached to both: a four-eyes approval signed at
/// two consoles across a runtime killed and restarted mid-approval, a second runtime for a line refused, every stream
/// verified, and a deleted tail found.
@Suite("plant-wide consoles on two runtimes sharing PostgreSQL", .serialized,
       .enabled(if: ThrowawayPostgres.isInstalled && TmuxSession.isAvailable, "PostgreSQL, tmux or the andon binary is missing"))
struct PlantWideSharedStoreTests {
    /// The demo plant cut in two: the body shop (with its press's bearing going) and final assembly, each a plant file
    /// of its own, as two lines' runtimes have them.
    static func writePlants(into dir: URL) throws -> (body: String, final: String, scenario: String) {
        let demo = try String(contentsOfFile: "demo/plant.yaml", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = Array(demo.prefix { $0 != "lines:" })
        func block(_ id: String) -> [String] {
            let start = demo.firstIndex(of: "  - id: \(id)")!
            let end = demo[(start + 1)...].firstIndex { $0.hasPrefix("  - id: ") || (!$0.hasPrefix(" ") && !$0.isEmpty) }!
            return Array(demo[start..<end])
        }
        func plant(_ id: String, line: String) -> String {
            (header.map { $0 == "  id: riverside" ? "  id: riverside-\(id)" : $0 } + ["lines:"] + block(line)).joined(separator: "\n") + "\n"
        }
        let body = dir.appendingPathComponent("body.yaml").path, final = dir.appendingPathComponent("final.yaml").path
        let scenario = dir.appendingPathComponent("body-scenario.yaml").path
        try plant("body", line: "body").write(toFile: body, atomically: true, encoding: .utf8)
        try plant("final", line: "final").write(toFile: final, atomically: true, encoding: .utf8)
        try """
        scenario:
          name: The body shop's press
          loop: 40m
        incidents:
          - {at: 10s, kind: sensor_drift, cell: B2, sensor: vibration, per_minute: 1.3, for: 7m}

        """.write(toFile: scenario, atomically: true, encoding: .utf8)
        return (body, final, scenario)
    }

    /// A runtime serving `plant` as `runtime` on the shared store; waits for its socket.
    static func serve(_ place: SharedStoreCLITests.Place, plant: String, runtime: String, scenario: String? = nil) throws -> AndonProcess.Running {
        let socket = place.dir.appendingPathComponent("run/\(runtime).sock").path
        let served = try AndonProcess.start(["serve", "--plant", plant, "--policies", "demo/policies.yaml", "--operators", "demo/operators.yaml",
                                             "--store", place.url, "--runtime", runtime, "--socket", socket, "--speed", "8",
                                             "--log", place.dir.appendingPathComponent("\(runtime).log").path] + (scenario.map { ["--scenario", $0] } ?? []),
                                            environment: place.environment)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(100_000) }
        try #require(FileManager.default.fileExists(atPath: socket), "\(runtime)'s socket appeared")
        return served
    }

    /// A plant-wide console on both runtimes as `person`.
    static func attach(_ place: SharedStoreCLITests.Place, as person: String) throws -> TmuxSession {
        let exports = place.environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        let run = place.dir.appendingPathComponent("run").path
        return try TmuxSession(columns: 120, rows: 40, environment: [:],
                               shell: "env \(exports) \(AndonProcess.binary) attach --socket body=\(run)/body.sock --socket final=\(run)/final.sock --as \(person)")
    }

    /// Signs body's critical stop of B2 at `console`: moves to its row, types the qualified target, then the passphrase.
    static func sign(_ console: TmuxSession, passphrase: String) throws {
        let screen = try console.wait(for: "body's critical stop", timeout: 30) { $0.contains("CRIT body  stop_cell            B2") }
        let rows = screen.split(separator: "\n").filter { $0.range(of: #"│.(LOW|MED|HIGH|CRIT) +(body|final) "#, options: .regularExpression) != nil }
        let index = try #require(rows.firstIndex { $0.contains("CRIT body  stop_cell            B2") })
        _ = try console.tmux(["send-keys", "-t", "0", "Tab"])
        usleep(200_000)
        _ = try console.tmux(["send-keys", "-t", "0", "g"])
        for _ in 0..<index { _ = try console.tmux(["send-keys", "-t", "0", "j"]) }
        usleep(300_000)
        _ = try console.tmux(["send-keys", "-t", "0", "a"])
        try console.wait(for: "the approve dialog", timeout: 5) { $0.contains("type body/B2") }
        _ = try console.tmux(["send-keys", "-t", "0", "-l", "body/B2"])
        _ = try console.tmux(["send-keys", "-t", "0", "Enter"])
        try ServiceEndToEndTests.sign(console, passphrase: passphrase)
    }

    @Test func twoLinesTwoRuntimesOneStoreAndAFourEyesStopSignedAtTwoPlantWideConsoles() throws {
        let place = try SharedStoreCLITests.Place()
        let plants = try Self.writePlants(into: place.dir)
        var body = try Self.serve(place, plant: plants.body, runtime: "body", scenario: plants.scenario)
        let final = try Self.serve(place, plant: plants.final, runtime: "final")
        defer {
            body.signal(SIGKILL)
            final.signal(SIGKILL)
        }

        // A second runtime for the body line is refused, naming the one that holds it.
        let second = try AndonProcess.run(["serve", "--plant", plants.body, "--policies", "demo/policies.yaml", "--operators", "demo/operators.yaml",
                                           "--store", place.url, "--runtime", "body-2", "--socket", place.dir.appendingPathComponent("run/body-2.sock").path], environment: place.environment)
        #expect(second.status == 3, "\(second.stderr)")
        #expect(second.stderr.contains("belongs to runtime 'body'"), "\(second.stderr)")

        let ana = try Self.attach(place, as: "ana")
        defer { ana.stop() }
        let dana = try Self.attach(place, as: "dana")
        defer { dana.stop() }
        try ana.wait(for: "both lines in ana's console", timeout: 60) { $0.contains("body ok final ok") && $0.contains("│final ") }

        // Ana signs first; the body runtime dies before dana does, and comes back on the same store.
        try ana.wait(for: "body's critical stop", timeout: 180) { $0.contains("CRIT body  stop_cell            B2") }
        try Self.sign(ana, passphrase: "demo-ana")
        try ana.wait(for: "ana's signature, 1 of 2", timeout: 15) { $0.contains("body: approval 1/2 (signed)") }
        try dana.wait(for: "the first signature on dana's console", timeout: 15) { $0.contains("CRIT body  stop_cell            B2") && $0.contains("1/2") }
        body.signal(SIGKILL)
        _ = body.finish()
        try dana.wait(for: "body out of reach, final going on", timeout: 20) { $0.contains("body reconnecting final ok") || $0.contains("body DOWN final ok") }
        unlink(place.dir.appendingPathComponent("run/body.sock").path)
        body = try Self.serve(place, plant: plants.body, runtime: "body", scenario: plants.scenario)
        try dana.wait(for: "body back with the approval at 1/2", timeout: 30) {
            $0.contains("body ok final ok") && $0.contains("CRIT body  stop_cell            B2") && $0.contains("1/2")
        }
        try Self.sign(dana, passphrase: "demo-dana")
        try dana.wait(for: "dana's signature completing it", timeout: 15) { $0.contains("body: approved stop_cell of B2") }

        // The consoles go with their terminals (quitting is the business of the console's own tests).
        for console in [ana, dana] { console.stop() }
        body.signal(SIGTERM)
        final.signal(SIGTERM)
        #expect(body.finish().status == 0)
        #expect(final.finish().status == 0)

        let export = try place.andon(["audit", "export", "--store", place.url, "--runtime", "body", "--format", "jsonl"])
        let lines = export.stdout.split(separator: "\n")
        #expect(lines.filter { $0.contains("\"kind\":\"approval_signed\"") }.count == 2, "two signatures, one kept across the restart")
        #expect(lines.filter { $0.contains("\"kind\":\"approval_approved\"") && $0.contains("stop_cell of B2") }.count == 1)
        let verify = try place.andon(["audit", "verify", "--store", place.url])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("stream body: ok:") && verify.stdout.contains("stream final: ok:"), "\(verify.stdout)")

        // An administrator deletes body's last records: the anchors of both streams still name its head.
        let psql = try #require(ThrowawayPostgres.binary("psql"), "psql is installed with PostgreSQL")
        let sql = "SET search_path TO andon; ALTER TABLE andon_audit DISABLE TRIGGER USER; "
            + "DELETE FROM andon_audit WHERE runtime_id = 'body' AND sequence > (SELECT max(sequence) - 3 FROM andon_audit WHERE runtime_id = 'body');"
        #expect(try SharedStoreCLITests.run([psql, "-h", "127.0.0.1", "-p", String(place.cluster.port), "-U", "andon", "-d", "postgres", "-c", sql]) == 0)
        let found = try place.andon(["audit", "verify", "--store", place.url])
        #expect(found.status == 1 && found.stdout.contains("body"), "\(found.stdout)")
    }
}
