import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of a test's own, in a temporary folder on a loopback port, that the test may stop and start:
/// `initdb` and `pg_ctl` from the PATH or Debian's `/usr/lib/postgresql/<version>/bin`, run as the `postgres` user
/// when the tests run as root (PostgreSQL refuses to run as root). Logins are trusted, from loopback only. Tests run it
/// with `fsync=off`; a benchmark of synced commits asks for a durable one (``isDurable``), which flushes as a server should.
public final class ThrowawayPostgres: @unchecked Sendable {
    /// The folder holding the cluster (data, log, socket).
    public let folder: String
    /// The loopback port it listens on.
    public let port: Int
    /// True when the server flushes its WAL to disk (`fsync=on`, PostgreSQL's default); false for tests (`fsync=off`).
    public let isDurable: Bool
    private let bin: String

    /// Creates the cluster and starts it; throws saying why when PostgreSQL is not installed or does not start.
    /// `durable` keeps PostgreSQL's own `fsync=on`, so that a synced commit waits for the disk.
    public init(durable: Bool = false) throws {
        guard let bin = Self.findBin() else { throw ThrowawayPostgresError("no initdb/pg_ctl on PATH or under /usr/lib/postgresql") }
        self.bin = bin
        isDurable = durable
        folder = "/tmp/andon-cluster-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if getuid() == 0 { try Self.run(["/bin/chown", "postgres", folder]) }
        try Self.runAsOwner([bin + "/initdb", "-D", folder + "/data", "-U", "andon", "--auth=trust", "-E", "UTF8", "--no-sync"])
        var started: Int?
        for _ in 0..<5 {
            let candidate = Int.random(in: 20_000...60_000)
            if (try? Self.start(bin: bin, folder: folder, port: candidate, durable: durable)) != nil { started = candidate; break }
        }
        guard let started else {
            try? FileManager.default.removeItem(atPath: folder)
            throw ThrowawayPostgresError("the cluster in \(folder) did not start (see its log)")
        }
        port = started
    }

    deinit { remove() }

    /// The path of PostgreSQL's program `name` (psql, pg_dump…) beside `pg_ctl`, if there is one.
    public static func binary(_ name: String) -> String? {
        findBin().map { $0 + "/" + name }.flatMap { FileManager.default.isExecutableFile(atPath: $0) ? $0 : nil }
    }

    /// True when `initdb` and `pg_ctl` can be found.
    public static var isInstalled: Bool { findBin() != nil }

    /// A `postgres://` URL for its `postgres` database, as the cluster's superuser `andon`.
    public var url: String { "postgres://andon@127.0.0.1:\(port)/postgres?connect_timeout=2" }

    /// Starts the server (again) and waits until it takes connections.
    public func start() throws { try Self.start(bin: bin, folder: folder, port: port, durable: isDurable) }

    private static func start(bin: String, folder: String, port: Int, durable: Bool) throws {
        try runAsOwner([bin + "/pg_ctl", "-D", folder + "/data", "-w", "-t", "30", "-l", folder + "/log", "-o",
                "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=\(durable ? "on" : "off") -c max_connections=200", "start"])
    }

    /// Stops the server (fast: sessions are ended, as when plant IT restarts it).
    public func stop() throws {
        try run(bin + "/pg_ctl", "-D", folder + "/data", "-w", "-m", "fast", "stop")
    }

    /// Stops the server at once and deletes its folder.
    public func remove() {
        try? run(bin + "/pg_ctl", "-D", folder + "/data", "-w", "-m", "immediate", "stop")
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func run(_ arguments: String...) throws { try Self.runAsOwner(arguments) }

    private static func runAsOwner(_ arguments: [String]) throws {
        try run(getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + arguments : arguments)
    }

    /// Runs a command to its end, its output discarded. Spawned directly rather than with Foundation's `Process`: the
    /// server `pg_ctl start` leaves running would inherit the descriptors `Process` watches, and the wait would never end.
    private static func run(_ arguments: [String]) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The test runner's threads block most signals; a server inheriting that mask could not be stopped.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        guard spawned == 0 else { throw ThrowawayPostgresError("could not start \(arguments[0]): \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw ThrowawayPostgresError("\(arguments.joined(separator: " ")) failed (status \(status))") }
    }

    private static func findBin() -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for folder in path.split(separator: ":").map(String.init) where FileManager.default.isExecutableFile(atPath: folder + "/pg_ctl") {
            let resolved = (try? FileManager.default.destinationOfSymbolicLink(atPath: folder + "/pg_ctl")).map { ($0 as NSString).deletingLastPathComponent }
            return resolved.map { $0.hasPrefix("/") ? $0 : folder + "/" + $0 } ?? folder
        }
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        return versions.sorted().last.map { "/usr/lib/postgresql/\($0)/bin" }
    }
}

/// A throwaway cluster that cannot be set up, saying why.
public struct ThrowawayPostgresError: Error, CustomStringConvertible {
    /// What went wrong.
    public var description: String
    init(_ description: String) { self.description = description }
}
