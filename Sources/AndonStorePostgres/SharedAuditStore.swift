import AndonCore
import AndonStore
import Foundation
import PostgresNIO

/// One runtime's audit stream in the shared PostgreSQL store, behind the same ``AuditLog`` interface as the SQLite
/// store: hash-chained records, signed checkpoints, saved recovery states, verification and export.
///
/// A store opened for appending creates or migrates the schema, takes its session into the runtimes' role (read and
/// insert only), and takes the leases of its stream and of its lines (advisory locks with a fencing number stamped on
/// every write); a second runtime for the same stream or line is refused at open. Every commit also anchors the heads of
/// all streams in the shared anchor chain, so that a stream cut short shows against what the others anchored.
///
/// When the server goes away, appends throw ``AuditStoreError`` (`unreachable`) and the runtime's store-down mode takes
/// over; the next append reconnects, takes the leases back only if nobody took them meanwhile (else `leaseLost`, for
/// good), and finds out from the table whether the commit that failed landed, so nothing is written twice or lost.
public final class SharedAuditStore: AuditLog, @unchecked Sendable {
    /// How a store is opened.
    public enum Access: Sendable, Hashable {
        /// Migrates the schema, takes the leases, and appends.
        case append
        /// Reads; never creates, leases or writes anything.
        case read
    }

    /// The server and schema.
    public let address: SharedStoreAddress
    /// The stream this store writes or reads.
    public let runtimeID: String
    /// The lines whose leases it holds.
    public let lines: [String]
    /// How it was opened.
    public let access: Access
    let signingKey: SigningKey?
    let checkpointEvery: Int
    let now: @Sendable () -> Date
    /// Whether the shared approvals may have changed since this runtime last read them (LISTEN/NOTIFY).
    let approvalNews = ApprovalNews()
    private let mutex = NSLock()
    private var state: State

    /// What the writer keeps between appends.
    struct State {
        var connection: StoreConnection?
        var headSequence: Int64 = 0
        var headHash = AuditChain.genesisHash
        var problem: String?
        /// Set after a failed append: the next one reads the head from the table first.
        var needsReconcile = false
        var isClosed = false
        var sinceCheckpoint = 0
        var openingNote: String?
        /// Lease name → the fencing number this store holds.
        var leases: [String: Int64] = [:]
        /// Why this store may never write again (a lease another runtime took over).
        var lost: AuditStoreError?

        /// Puts back the head as it was before a transaction that did not commit (`saved`, taken before it began).
        mutating func rewind(to saved: State) {
            headSequence = saved.headSequence
            headHash = saved.headHash
            sinceCheckpoint = saved.sinceCheckpoint
        }
    }

    /// Where the stream is, without a password: the server URL and the stream.
    public var location: String { "\(address.description.components(separatedBy: "&runtime=")[0])&runtime=\(runtimeID)" }

    /// Opens `runtimeID`'s stream. For `.append`, migrates the schema, takes the leases of the stream and of `lines`
    /// (throws `leaseLost` naming the holder when another runtime has one) and checks the stream against its signed
    /// checkpoints and the shared anchors before writing anything (throws `untrusted` when it does not agree).
    public init(address: SharedStoreAddress, runtimeID: String, lines: [String] = [], access: Access = .append, signingKey: SigningKey? = nil,
                checkpointEvery: Int = 1000, now: @escaping @Sendable () -> Date = { Date() }) throws {
        self.address = address
        self.runtimeID = runtimeID
        self.lines = lines
        self.access = access
        self.signingKey = access == .append ? signingKey : nil
        self.checkpointEvery = max(1, checkpointEvery)
        self.now = now
        state = State()
        let location = "\(address.description.components(separatedBy: "&runtime=")[0])&runtime=\(runtimeID)"
        guard SharedStoreAddress.isStreamID(runtimeID) else {
            throw AuditStoreError.notAnAuditStore(location, detail: "'\(runtimeID)' is not a stream id (1 to 64 letters, digits, '.', '_', '-')")
        }
        let connection = try StoreConnection.open(address)
        do {
            switch access {
            case .append:
                try SharedMigrator.migrate(connection)
                try SharedMigrator.takeRuntimeRole(connection)
                state.leases = try takeLeases(connection)
            case .read:
                try SharedMigrator.checkReadable(connection)
            }
            let head = try Self.readHead(connection, runtimeID: runtimeID)
            state.headSequence = head.sequence
            state.headHash = head.hash
            state.connection = connection
            if access == .append {
                let opening = try verifyAtOpen(connection)
                state.sinceCheckpoint = opening.sinceCheckpoint
                state.openingNote = opening.note
                if opening.needsAnchor, signingKey != nil { try anchor() }
            }
        } catch {
            connection.close()
            state.connection = nil
            throw StoreConnection.storeError(error, address: address)
        }
    }

    /// The store's health: unhealthy, with the reason, after a failed commit until the next one succeeds.
    public var health: AuditHealth {
        withState {
            AuditHealth(isHealthy: $0.problem == nil, records: Int($0.headSequence), location: location, problem: $0.problem, headHash: $0.headHash)
        }
    }

    /// The last committed record's sequence and hash as this store knows them.
    public var head: (sequence: Int64, hash: String) { withState { ($0.headSequence, $0.headHash) } }

    /// What opening found about the stream's tail, or nil.
    public var openingNote: String? { withState { $0.openingNote } }

    /// The fencing number of each lease this store holds (`stream:<id>`, `line:<id>`).
    public var fences: [String: Int64] { withState { $0.leases } }

    /// Closes the connection, which releases the leases; later appends throw `closed`.
    public func close() {
        approvalNews.stop()
        let connection = withState { state -> StoreConnection? in
            state.isClosed = true
            defer { state.connection = nil }
            return state.connection
        }
        connection?.close()
    }

    deinit { state.connection?.close() }

    func withState<T>(_ body: (inout State) throws -> T) rethrows -> T {
        mutex.lock()
        defer { mutex.unlock() }
        return try body(&state)
    }

    /// Runs `body` with the store's connection, serialised with every other use; reconnects first when the last one
    /// was lost (taking the leases back only if nobody took them meanwhile). A failure marks the store unhealthy and,
    /// when the connection is gone, drops it for the next call to replace.
    func withConnection<T>(writing: Bool, _ body: (StoreConnection, inout State) throws -> T) throws -> T {
        mutex.lock()
        defer { mutex.unlock() }
        guard !state.isClosed else { throw AuditStoreError.closed(location) }
        if writing, access != .append { throw AuditStoreError.appendRefused(location, detail: "the store was opened for reading") }
        if writing, let lost = state.lost { throw lost }
        do {
            if state.connection == nil || state.connection?.isClosed == true {
                state.connection?.close()
                state.connection = nil
                let connection = try StoreConnection.open(address)
                do {
                    try SharedMigrator.useSchema(connection)
                    if access == .append {
                        try SharedMigrator.takeRuntimeRole(connection)
                        try retakeLeases(connection)
                    }
                } catch {
                    connection.close()
                    throw error
                }
                state.connection = connection
            }
            return try body(state.connection!, &state)
        } catch {
            let failure = StoreConnection.storeError(error, address: address)
            if writing {
                state.problem = failure.message
                state.needsReconcile = true
            }
            if failure.code == .leaseLost { state.lost = failure }
            if failure.code == .unreachable || state.connection?.isClosed == true {
                state.connection?.close()
                state.connection = nil
            }
            throw failure
        }
    }

    /// Takes the leases of the stream and the lines; throws `leaseLost` naming who holds one.
    private func takeLeases(_ connection: StoreConnection) throws -> [String: Int64] {
        var taken: [String: Int64] = [:]
        let host = ProcessInfo.processInfo.hostName
        for name in ["stream:\(runtimeID)"] + lines.map({ "line:\($0)" }) {
            // A holder that has just closed its session lets go of the lock only when its server process has ended,
            // a moment later: a restart straight after a stop waits that moment (up to 2 s) before it is refused.
            var fence: Int64?
            for attempt in 0..<20 {
                if attempt > 0 { Thread.sleep(forTimeInterval: 0.1) }
                fence = try connection.query("SELECT andon_take_lease(\(name), \(runtimeID), \(host))").first?.decode(Int64?.self) ?? nil
                if fence != nil { break }
            }
            guard let fence else {
                throw AuditStoreError.leaseLost(location, detail: try holderSentence(of: name, connection))
            }
            taken[name] = fence
        }
        return taken
    }

    /// Who holds the lease `name`, in a sentence for the refusal.
    private func holderSentence(of name: String, _ connection: StoreConnection) throws -> String {
        let rows = try connection.query("""
            SELECT runtime_id, fence, host, to_char(granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
              FROM andon_lease WHERE name = \(name) ORDER BY fence DESC LIMIT 1
            """)
        let what = name.hasPrefix("line:") ? "line \(name.dropFirst(5))" : "stream \(name.dropFirst(7))"
        guard let (holder, fence, host, since) = try rows.first?.decode((String, Int64, String, String).self) else {
            return "\(what) is held by another session"
        }
        return "\(what) belongs to runtime '\(holder)' on \(host) (lease #\(fence), since \(since)); a second runtime for the same "
            + (name.hasPrefix("line:") ? "line" : "stream") + " is refused"
    }

    /// Takes every lease back after a reconnect; `leaseLost`, for good, when another runtime took one meanwhile.
    private func retakeLeases(_ connection: StoreConnection) throws {
        for (name, fence) in state.leases.sorted(by: { $0.key < $1.key }) {
            let rows = try connection.query("SELECT andon_retake_lease(\(name), \(fence))")
            guard try rows.first?.decode(Bool.self) == true else {
                let detail = (try? holderSentence(of: name, connection)) ?? "another runtime holds \(name)"
                throw AuditStoreError.leaseLost(location, detail: "lease #\(fence) of \(name) was taken over while the server was out of reach: \(detail)")
            }
        }
    }

    /// The last record of `runtimeID`'s stream (0 and 64 zeros when it has none).
    static func readHead(_ connection: StoreConnection, runtimeID: String) throws -> (sequence: Int64, hash: String) {
        let rows = try connection.query("SELECT sequence, hash FROM andon_audit WHERE runtime_id = \(runtimeID) ORDER BY sequence DESC LIMIT 1")
        guard let row = rows.first else { return (0, AuditChain.genesisHash) }
        return try row.decode((Int64, String).self)
    }
}
