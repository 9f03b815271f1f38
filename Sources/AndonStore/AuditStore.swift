import AndonCore
import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#endif

/// The durable, append-only, hash-chained audit log of one plant, kept in SQLite.
///
/// A store opened for appending holds an exclusive `flock` on the database file itself until it is closed, so only one
/// Andon process writes a log, and before each commit it checks that its path still leads to that file (a store
/// deleted or replaced under it goes down loudly instead of writing to a file nobody can read). With a signing key it
/// anchors its head in signed checkpoints (in the log, and in `<store>.head` beside it) and, when it opens, checks the
/// log against them before writing anything. Stores opened for reading (verify, export, tail) take no lock.
/// `":memory:"` gives a store that lives as long as the value, for tests and demos. Files are private to the user
/// (folder 0700; database, WAL, head 0600) whatever the umask.
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
    let isFile: Bool
    let now: @Sendable () -> Date
    /// Signs checkpoints; nil for stores in memory and stores opened for reading.
    let signingKey: SigningKey?
    /// Writes the head file beside the store (with a signing key).
    private(set) var headWriter: AuditHeadWriter?
    /// A checkpoint record is added once this many records have been committed since the last one (and at every
    /// synced commit).
    let checkpointEvery: Int
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
        /// Records committed since the last checkpoint record.
        var sinceCheckpoint = 0
        /// Commits since the WAL was last folded into the database file.
        var sinceWALCheckpoint = 0
        /// What the last open found about the log's tail, in words (for the run's log and report).
        var openingNote: String?
        /// Why the head file beside the store could not be written last time, if it could not.
        var headFileProblem: String?
        /// What the whole walk of a long log found, if it found the log edited.
        var tamperFound: String?
    }

    /// Opens the store at `path` (`":memory:"` for one in memory); throws ``AuditStoreError`` when it can't
    /// (read-only or uncreatable directory, another writer holding it, not an audit store, missing when reading, or,
    /// with a signing key, a log that does not agree with its signed head). `now` gives the wall time stamped on each
    /// commit.
    public convenience init(path: String, access: Access = .append, signingKey: SigningKey? = nil, checkpointEvery: Int = 1000,
                            now: @escaping @Sendable () -> Date = { Date() }) throws {
        try self.init(path: path, access: access, busyTimeout: 1, signingKey: signingKey, checkpointEvery: checkpointEvery, now: now)
    }

    /// Opens a store, waiting at most `busyTimeout` seconds for SQLite locks held by other connections.
    init(path: String, access: Access, busyTimeout: TimeInterval, signingKey: SigningKey? = nil, checkpointEvery: Int = 1000,
         now: @escaping @Sendable () -> Date) throws {
        location = path
        self.access = access
        self.now = now
        self.checkpointEvery = max(1, checkpointEvery)
        isFile = path != ":memory:"
        self.signingKey = access == .append && isFile ? signingKey : nil
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
        if let signingKey = self.signingKey {
            do {
                let opening = try verifyAtOpen(key: signingKey.publicKey)
                headWriter = try AuditHeadWriter(storePath: path)
                withState {
                    $0.sinceCheckpoint = opening.sinceCheckpoint
                    $0.openingNote = opening.note
                }
                if opening.needsAnchor { try anchor(sync: true) }
                verifyWholeInBackground()
            } catch {
                close()
                throw AuditStoreError.wrapping(error, path: path)
            }
        }
    }

    /// A sink for the runtime: the store at `path`, or, when it cannot be opened for a reason that may pass (read-only,
    /// locked, full), an ``UnavailableAuditSink`` whose health carries the reason and whose appends throw it. A store
    /// that cannot be trusted or read completely is not a reason that passes: that throws, and the runtime does not start.
    public static func makeSink(path: String, signingKey: SigningKey? = nil, now: @escaping @Sendable () -> Date = { Date() }) throws -> any AuditSink {
        do {
            return try AuditStore(path: path, signingKey: signingKey, now: now)
        } catch {
            let failure = AuditStoreError.wrapping(error, path: path)
            if failure.isIntegrityFailure { throw failure }
            return UnavailableAuditSink(error: failure)
        }
    }

    /// The store's health: unhealthy, with the message, after any failure to commit, until the next commit succeeds.
    public var health: AuditHealth {
        withState {
            AuditHealth(isHealthy: $0.problem == nil, records: Int($0.headSequence), location: location, problem: $0.problem ?? $0.headFileProblem,
                        headHash: $0.headHash)
        }
    }

    /// The last committed record's sequence and hash as this store knows them (0 and 64 zeros when empty): worth
    /// keeping outside the log (shift report, ticket), since the chain alone can't show records cut off its end.
    public var head: (sequence: Int64, hash: String) {
        withState { ($0.headSequence, $0.headHash) }
    }

    /// What opening found about the log's tail (records after the last checkpoint of a run that did not close
    /// cleanly, a first anchor), or nil.
    public var openingNote: String? { withState { $0.openingNote } }

    /// Folds the WAL into the database file (so the `.sqlite` alone holds every record), releases the writer lock and
    /// closes; later appends throw `closed`. Write a closing checkpoint first (``checkpoint(recoveryState:closing:)``)
    /// so the next start knows the log was closed cleanly.
    public func close() {
        let wasOpen = withState { state in
            defer { state.isClosed = true }
            return !state.isClosed
        }
        if wasOpen, access == .append, isFile {
            _ = try? database.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        }
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

    /// Throws unless the store's path still leads to the file this writer holds and its log was found whole.
    func checkStillInPlace() throws {
        if let tamper = withState({ $0.tamperFound }) {
            throw AuditStoreError.untrusted(location, detail: "a walk of the whole log found \(tamper)")
        }
        guard let lock, let reason = lock.displacement() else { return }
        throw AuditStoreError.io(location, detail: reason)
    }

    /// The last record's sequence and hash (0 and the genesis hash when empty).
    static func readHead(_ db: Database) throws -> (sequence: Int64, hash: String) {
        let row = try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1")
        guard let row else { return (0, AuditChain.genesisHash) }
        return (try row.decode(atIndex: 0), try row.decode(atIndex: 1))
    }

    /// Creates the directory that will hold `path` (0700), mapping permission failures to `readOnly`.
    private static func makeDirectory(containing path: String) throws {
        do {
            try PrivateFiles.makeFolder((path as NSString).deletingLastPathComponent)
        } catch let error as POSIXFileError {
            switch error.code {
            case EACCES, EPERM, EROFS: throw AuditStoreError.readOnly(path, detail: error.description)
            default: throw AuditStoreError.io(path, detail: error.description)
            }
        }
    }
}
