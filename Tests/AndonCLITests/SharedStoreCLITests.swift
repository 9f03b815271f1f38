import AndonTesting
import Foundation
import Testing

/// `--store postgres://…` end to end, on a throwaway PostgreSQL cluster: two runtimes' streams in one database, a
/// second runtime for a line that is served refused, `andon audit` over every stream or one, and no password on the
/// command line.
@Suite("andon with a shared PostgreSQL store", .serialized, .enabled(if: ThrowawayPostgres.isInstalled || ProcessInfo.processInfo.environment["CI"] != nil))
struct SharedStoreCLITests {
    final class Place {
        let cluster: ThrowawayPostgres
        let dir: URL
        let environment: [String: String]

        init() throws {
            cluster = try ThrowawayPostgres()
            dir = try AndonProcess.temporaryDirectory()
            environment = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
                           "XDG_RUNTIME_DIR": dir.appendingPathComponent("run").path]
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("run"), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }

        deinit { try? FileManager.default.removeItem(at: dir) }

        var url: String { cluster.url }

        func andon(_ arguments: [String]) throws -> AndonProcess.Output {
            try AndonProcess.run(arguments, environment: environment)
        }

        /// A headless run of the recorded demo telemetry as runtime `id`.
        func run(as id: String) throws -> AndonProcess.Output {
            try andon(["run", "--telemetry", "demo/telemetry/riverside-10m.jsonl", "--headless", "--store", url, "--runtime", id])
        }
    }

    @Test func twoRuntimesWriteTheirOwnStreamsAndAuditVerifiesEveryStreamAndTheAnchors() throws {
        let place = try Place()
        #expect(try place.run(as: "line-a").status == 0)
        #expect(try place.run(as: "line-b").status == 0)

        let verify = try place.andon(["audit", "verify", "--store", place.url])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("stream line-a: ok:"))
        #expect(verify.stdout.contains("stream line-b: ok:"))
        #expect(verify.stdout.contains("the latest names the head of each of the 2 stream(s)"))

        let one = try place.andon(["audit", "export", "--store", place.url, "--runtime", "line-b", "--format", "jsonl"])
        let all = try place.andon(["audit", "export", "--store", place.url, "--format", "jsonl"])
        #expect(one.status == 0 && all.status == 0)
        let oneLines = one.stdout.split(separator: "\n")
        let allLines = all.stdout.split(separator: "\n")
        #expect(!oneLines.isEmpty && !oneLines[0].hasPrefix(#"{"runtime""#))
        #expect(allLines.count > oneLines.count)
        #expect(allLines.filter { $0.hasPrefix(#"{"runtime":"line-b","#) }.count == oneLines.count)

        let tail = try place.andon(["audit", "tail", "--store", place.url, "-n", "1"])
        #expect(tail.stdout.split(separator: "\n").map { String($0.prefix(9)) } == ["[line-a] ", "[line-b] "])
    }

    @Test func tailFollowsAStreamAsTheStoreAnnouncesItsCommits() throws {
        let place = try Place()
        #expect(try place.run(as: "line-a").status == 0)
        // Polling once a minute: only the store's notice can bring the next run's records in time.
        let follower = try AndonProcess.start(["audit", "tail", "--store", place.url, "-n", "0", "--follow", "--poll-interval", "60"],
                                              environment: place.environment)
        sleep(2)
        #expect(try place.run(as: "line-a").status == 0)
        sleep(3)
        follower.signal(SIGTERM)
        let output = follower.finish()
        #expect(output.stdout.contains("[line-a] "), "the second run's records were shown: \(output.stdout)\(output.stderr)")
    }

    @Test func aSecondRuntimeForALineThatIsServedIsRefusedNamingTheHolder() throws {
        let place = try Place()
        let socket = place.dir.appendingPathComponent("run/riverside.sock").path
        let served = try AndonProcess.start(["serve", "--store", place.url, "--runtime", "line-a", "--socket", socket,
                                             "--log", place.dir.appendingPathComponent("serve.log").path], environment: place.environment)
        defer {
            served.signal(SIGTERM)
            _ = served.finish()
        }
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(100_000) }
        try #require(FileManager.default.fileExists(atPath: socket), "the service's socket appeared")

        let second = try place.run(as: "line-b")
        #expect(second.status == 3)
        #expect(second.stderr.contains("belongs to runtime 'line-a'"))
        #expect(second.stderr.contains("a second runtime for the same line is refused"))
    }

    @Test func aServedRuntimeKilledAndRestartedTakesItsLineBackAndADeletedTailIsFound() throws {
        let place = try Place()
        let socket = place.dir.appendingPathComponent("run/riverside.sock").path
        func serve() throws -> AndonProcess.Running {
            let served = try AndonProcess.start(["serve", "--store", place.url, "--runtime", "line-a", "--socket", socket, "--speed", "50",
                                                 "--log", place.dir.appendingPathComponent("serve.log").path], environment: place.environment)
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(100_000) }
            try #require(FileManager.default.fileExists(atPath: socket), "the service's socket appeared")
            return served
        }
        let first = try serve()
        sleep(2)
        first.signal(SIGKILL)
        _ = first.finish()
        unlink(socket)
        // The killed runtime's session went with it, and its leases with the session: a restart takes them back.
        let second = try serve()
        sleep(1)
        second.signal(SIGTERM)
        let stopped = second.finish()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        let verify = try place.andon(["audit", "verify", "--store", place.url])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")

        // An administrator deletes the stream's last records behind its back: the anchors still name its head.
        let psql = ThrowawayPostgres.binary("psql")
        try #require(psql != nil, "psql is installed with PostgreSQL")
        let sql = "SET search_path TO andon; ALTER TABLE andon_audit DISABLE TRIGGER USER; "
            + "DELETE FROM andon_audit WHERE runtime_id = 'line-a' AND sequence > (SELECT max(sequence) - 3 FROM andon_audit WHERE runtime_id = 'line-a');"
        let tampered = try SharedStoreCLITests.run([psql!, "-h", "127.0.0.1", "-p", String(place.cluster.port), "-U", "andon", "-d", "postgres", "-c", sql])
        #expect(tampered == 0)
        let found = try place.andon(["audit", "verify", "--store", place.url])
        #expect(found.status == 1, "\(found.stdout)")
        #expect(found.stdout.contains("line-a"))
    }

    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test func thePasswordNeverComesFromTheCommandLineNorAFileOthersCanRead() throws {
        let place = try Place()
        let inURL = try place.andon(["audit", "verify", "--store", "postgres://andon:hunter2@127.0.0.1:\(place.cluster.port)/postgres"])
        #expect(inURL.status == 2)
        #expect(inURL.stderr.contains("never on the command line"))
        #expect(!inURL.stderr.contains("hunter2"))

        let file = place.dir.appendingPathComponent("pgpass").path
        try "hunter2\n".write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o644)
        let open = try place.andon(["audit", "verify", "--store", place.url, "--store-password-file", file])
        #expect(open.status == 2)
        #expect(open.stderr.contains("can be read by others"))
        #expect(!open.stderr.contains("hunter2"))
    }
}
