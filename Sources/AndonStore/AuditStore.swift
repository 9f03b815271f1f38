import AndonCore
import Foundation
import GRDB

/// The durable, append-only, hash-chained audit log of one plant, kept in SQLite.
///
/// A store opened for appending holds an exclusive lock on `<path>.lock` until it is closed, so only one Andon
/// process writes a log; stores opened for reading (verify, export, tail) take no lock and see every commit.
/// `":memory:"` gives a store that lives as long as the value, for tests and demos.
public final class AuditStore: AuditSink, @unchecked Sendable {
    /// How a store is opened.
    public enum Access: Sendable, Hashable {
        /// Creates the store (and its directory) when missing, takes the writer lock, and appends.
        case append
        /// Reads an existing store; never creates, locks or writes anything.
        case read
    }

    /// The path the store was opened at, or `:memory:`.
    public let location: String
    /// How the store was opened.
    public let access: Access

    let database: any DatabaseWriter
    private let lock: StoreLock?
    private let isFile: Bool
    let now: @Sendable () -> Date
    private let mutex = NSLock()
    private var state: State

    /// What the writer keeps in memory between appends.
    struct State {
        var headSequence: Int64
        var headHash: String
        var problem: String?
        var isSynchronousFull = false
        var needsHeadReload = false
        var isClosed = false
    }

    /// Opens the store at `path` (`":memory:"` for one in memory); throws ``AuditStoreError`` when it can't
    /// (read-only or uncreatable directory, another writer holding it, not an audit store, missing when reading).
    /// `now` gives the wall time stamped on each commit.
    public convenience init(path: String, access: Access = .append, now: @escaping @Sendable () -> Date = { Date() }) throws {
        try self.init(path: path, access: access, busyTimeout: 1, now: now)
    }

    /// Opens a store, waiting at most `busyTimeout` seconds for SQLite locks held by other connections.
    init(path: String, access: Access, busyTimeout: TimeInterval, now: @escaping @Sendable () -> Date) throws {
        location = path
        self.access = access
        self.now = now
        isFile = path != ":memory:"
        var configuration = Configuration()
        configuration.label = "andon.audit"
        configuration.busyMode = .timeout(busyTimeout)
        do {
            switch (access, isFile) {
            case (_, false):
                lock = nil
                database = try DatabaseQueue(configuration: configuration)
                try AuditSchema.migrator.migrate(database)
            case (.append, true):
                try Self.makeDirectory(containing: path)
                lock = try StoreLock(storePath: path)
                configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
                database = try DatabasePool(path: path, configuration: configuration)
                try database.write { try AuditSchema.checkWritable($0, path: path) }
                try AuditSchema.migrator.migrate(database)
            case (.read, true):
                lock = nil
                database = try Self.openReader(path: path, configuration: configuration)
            }
            let head = try database.read(Self.readHead)
            state = State(headSequence: head.sequence, headHash: head.hash)
        } catch {
            throw AuditStoreError.wrapping(error, path: path)
        }
    }

    /// A sink for the runtime that never fails to exist: the store at `path`, or, when it cannot be opened, an
    /// ``UnavailableAuditSink`` whose health carries the reason and whose appends throw it.
    public static func makeSink(path: String, now: @escaping @Sendable () -> Date = { Date() }) -> any AuditSink {
        do {
            return try AuditStore(path: path, now: now)
        } catch {
            return UnavailableAuditSink(error: AuditStoreError.wrapping(error, path: path))
        }
    }

    /// The store's health: unhealthy, with the message, after any failure to commit, until the next commit succeeds.
    public var health: AuditHealth {
        withState { AuditHealth(isHealthy: $0.problem == nil, records: Int($0.headSequence), location: location, problem: $0.problem) }
    }

    /// The last committed record's sequence and hash as this store knows them (0 and 64 zeros when empty): worth
    /// keeping outside the log (shift report, ticket), since the chain alone can't show records cut off its end.
    public var head: (sequence: Int64, hash: String) {
        withState { ($0.headSequence, $0.headHash) }
    }

    /// Closes the database and releases the writer lock; later appends throw `closed`.
    public func close() {
        withState { $0.isClosed = true }
        try? database.close()
        lock?.release()
    }

    deinit {
        try? database.close()
        lock?.release()
    }

    func withState<T>(_ body: (inout State) throws -> T) rethrows -> T {
        mutex.lock()
        defer { mutex.unlock() }
        return try body(&state)
    }

    /// The last record's sequence and hash (0 and the genesis hash when empty).
    static func readHead(_ db: Database) throws -> (sequence: Int64, hash: String) {
        let row = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1")
        guard let row else { return (0, AuditChain.genesisHash) }
        return (try row.decode(atIndex: 0), try row.decode(atIndex: 1))
    }

    /// Creates the directory that will hold `path`, mapping permission failures to `readOnly`.
    private static func makeDirectory(containing path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        var prefix = directory.hasPrefix("/") ? "" : "."
        for component in directory.split(separator: "/") {
            prefix += "/" + component
            guard !FileManager.default.fileExists(atPath: prefix), mkdir(prefix, 0o755) != 0 else { continue }
            let code = errno
            if code == EEXIST { continue }
            let reason = "cannot create directory \(prefix): \(String(cString: strerror(code)))"
            switch code {
            case EACCES, EPERM, EROFS: throw AuditStoreError.readOnly(path, detail: reason)
            default: throw AuditStoreError.io(path, detail: reason)
            }
        }
    }
}
