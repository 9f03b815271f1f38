import AndonTesting
import Foundation
import Testing

/// The plant file's `store:` block end to end: it selects PostgreSQL (a throwaway cluster), every bad value in it is a
/// configuration error at its place (exit 2), the command line wins over it, and the password is in no output or log.
@Suite("A store: block in the plant file", .serialized, .enabled(if: ThrowawayPostgres.isInstalled || ProcessInfo.processInfo.environment["CI"] != nil))
struct StoreBlockCLITests {
    /// The demo plant with a block after it; the block's first line is `base + 1` of the file.
    final class Place {
        let dir: URL
        let environment: [String: String]
        let secret = "pw-\(UUID().uuidString)"
        static let demo = try! String(contentsOf: Fixtures.root.appendingPathComponent("demo/plant.yaml"), encoding: .utf8)
        static let base = demo.filter { $0 == "\n" }.count

        init() throws {
            dir = try AndonProcess.temporaryDirectory()
            environment = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path,
                           "XDG_RUNTIME_DIR": dir.appendingPathComponent("run").path, "PGPASSWORD": ""]
            try FileManager.default.createDirectory(at: dir.appendingPathComponent("run"), withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
            try passwordFile(mode: 0o600)
        }

        deinit { try? FileManager.default.removeItem(at: dir) }

        var plantPath: String { dir.appendingPathComponent("plant.yaml").path }

        /// Writes the password file `pgpass` beside the plant with `mode`.
        func passwordFile(mode: mode_t) throws {
            let path = dir.appendingPathComponent("pgpass").path
            try (secret + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, mode)
        }

        /// Writes the plant file with `block` after the demo plant.
        func plant(_ block: String) throws {
            try (Self.demo + block + "\n").write(toFile: plantPath, atomically: true, encoding: .utf8)
        }

        /// `andon run --headless` of the recorded demo telemetry on the plant file, with `more` arguments.
        func run(_ more: [String] = []) throws -> AndonProcess.Output {
            try AndonProcess.run(["run", "--plant", plantPath, "--policies", "demo/policies.yaml", "--operators", "demo/operators.yaml",
                                  "--telemetry", "demo/telemetry/riverside-10m.jsonl", "--headless"] + more, environment: environment)
        }

        func andon(_ arguments: [String]) throws -> AndonProcess.Output { try AndonProcess.run(arguments, environment: environment) }

        /// `file:line:column: error: ` for line `n` of the block.
        func at(_ n: Int, _ column: Int) -> String { "\(plantPath):\(Self.base + n):\(column): error: " }

        /// Every file the runs left under the place (logs, state), but the password file, as text.
        func everythingWritten() -> String {
            let files = FileManager.default.enumerator(atPath: dir.path)?.compactMap { $0 as? String } ?? []
            return files.filter { $0 != "pgpass" }.compactMap { FileManager.default.contents(atPath: dir.appendingPathComponent($0).path) }
                .map { String(decoding: $0, as: UTF8.self) }.joined()
        }
    }

    @Test func theBlockSelectsPostgreSQLAndThePasswordIsInNoOutputOrLog() throws {
        let cluster = try ThrowawayPostgres()
        let place = try Place()
        try place.plant("store:\n  url: \(cluster.url)\n  password_file: pgpass\n  runtime: line-a")
        let run = try place.run()
        #expect(run.status == 0, "\(run.stderr)")
        let verify = try place.andon(["audit", "verify", "--store", cluster.url])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("stream line-a: ok:"), "the run wrote stream line-a in PostgreSQL: \(verify.stdout)")

        // Served, with a log file: the store is named in it, its password nowhere.
        let socket = place.dir.appendingPathComponent("run/riverside.sock").path
        let log = place.dir.appendingPathComponent("serve.log").path
        let served = try AndonProcess.start(["serve", "--plant", place.plantPath, "--policies", "demo/policies.yaml", "--operators", "demo/operators.yaml",
                                             "--socket", socket, "--log", log, "--metrics", "0"], environment: place.environment)
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(100_000) }
        #expect(FileManager.default.fileExists(atPath: socket), "the service's socket appeared")
        served.signal(SIGTERM)
        let serve = served.finish()
        #expect(serve.status == 0, "\(serve.stderr)")
        let logged = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(FileManager.default.fileExists(atPath: log), "the service logged to its file")
        for text in [run.stdout, run.stderr, verify.stdout, verify.stderr, serve.stdout, serve.stderr, logged, place.everythingWritten()] {
            #expect(!text.contains(place.secret), "the password is in no output, log or file")
        }
    }

    @Test func everyBadValueIsAConfigurationErrorAtItsPlace() throws {
        let place = try Place()
        try place.plant("store:\n  url: postgres://andon:hunter2@127.0.0.1:5432/postgres\n  runtime: line a!\n  password: hunter2\n  host: db")
        let first = try place.run()
        #expect(first.status == 2)
        #expect(first.stderr.contains(place.at(2, 8) + "the store url carries a password, and a password is never written in the plant file"), "\(first.stderr)")
        #expect(first.stderr.contains(place.at(3, 12) + "store runtime 'line a!' is not a stream id"))
        #expect(first.stderr.contains(place.at(4, 3) + "a password is never written in the plant file"))
        #expect(first.stderr.contains(place.at(5, 3) + "unknown key 'host' in 'store'"))
        #expect(!first.stderr.contains("hunter2"))

        try place.plant("store:\n  url: mysql://db.plant/andon\n  password_file: nowhere/pgpass")
        let second = try place.run()
        #expect(second.status == 2)
        #expect(second.stderr.contains(place.at(2, 8) + "store url 'mysql://db.plant/andon' is not a postgres:// URL"), "\(second.stderr)")

        try place.plant("store:\n  url: postgres://andon@127.0.0.1:1/postgres\n  password_file: nowhere/pgpass")
        let missing = try place.run()
        #expect(missing.status == 2)
        #expect(missing.stderr.contains(place.at(3, 18) + "the password file \(place.dir.path)/nowhere/pgpass cannot be read"), "\(missing.stderr)")

        try place.passwordFile(mode: 0o644)
        try place.plant("store:\n  url: postgres://andon@127.0.0.1:1/postgres?sslmode=require\n  password_file: pgpass")
        let third = try place.run()
        #expect(third.status == 2)
        #expect(third.stderr.contains(place.at(2, 8) + "store url: the store URL's parameter 'sslmode' is not one Andon knows"), "\(third.stderr)")
        #expect(third.stderr.contains(place.at(3, 18) + "the password file \(place.dir.path)/pgpass can be read by others (mode 644)"))
        #expect(!third.stderr.contains(place.secret))
    }

    @Test func theCommandLineWinsOverTheBlock() throws {
        let cluster = try ThrowawayPostgres()
        let place = try Place()
        // Nothing listens on port 1: a run that used the block's URL could not start.
        try place.plant("store:\n  url: postgres://andon@127.0.0.1:1/postgres?connect_timeout=1\n  password_file: pgpass\n  runtime: from-file")
        let blocked = try place.run()
        #expect(blocked.status == 3, "the block's unreachable store stops the run: \(blocked.stderr)")
        #expect(blocked.stderr.contains("127.0.0.1:1"))

        let overridden = try place.run(["--store", cluster.url, "--runtime", "from-cli"])
        #expect(overridden.status == 0, "\(overridden.stderr)")
        let verify = try place.andon(["audit", "verify", "--store", cluster.url])
        #expect(verify.stdout.contains("stream from-cli: ok:"), "\(verify.stdout)")
        #expect(!verify.stdout.contains("from-file"))

        let memory = try place.run(["--store", ":memory:"])
        #expect(memory.status == 0, "a store that is not a postgres:// URL leaves the block unused: \(memory.stderr)")
    }
}
