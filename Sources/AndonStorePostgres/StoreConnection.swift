import AndonStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// One connection to the shared store, used synchronously from the caller's own thread (the runtime's, a test's, the
/// CLI's), never from an event loop. Every query has a deadline: a server that stops answering fails the query and
/// closes the connection, as one that went away does, instead of holding the runtime.
final class StoreConnection: @unchecked Sendable {
    let connection: PostgresConnection
    let address: SharedStoreAddress
    /// Seconds a query may take before the connection is given up.
    let queryTimeout: Double

    private static let logger = Logger(label: "andon.store.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private init(connection: PostgresConnection, address: SharedStoreAddress, queryTimeout: Double) {
        self.connection = connection
        self.address = address
        self.queryTimeout = queryTimeout
    }

    /// Connects, and sets the session's schema (and, with `role`, the runtimes' role when the user may take it).
    static func open(_ address: SharedStoreAddress, queryTimeout: Double = 10) throws -> StoreConnection {
        var configuration = PostgresConnection.Configuration(host: address.host, port: address.port, username: address.user,
                                                             password: address.password, database: address.database, tls: .disable)
        configuration.options.connectTimeout = .milliseconds(Int64(address.connectTimeout * 1000))
        let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
        do {
            let connection = try PostgresConnection.connect(on: eventLoop, configuration: configuration, id: 1, logger: logger).wait()
            return StoreConnection(connection: connection, address: address, queryTimeout: queryTimeout)
        } catch {
            throw StoreConnection.storeError(error, address: address)
        }
    }

    deinit {
        // Every path closes its connection; this only keeps one that was dropped on an error from lingering.
        if !connection.isClosed {
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
        }
    }

    /// Runs one statement and returns its rows.
    @discardableResult
    func query(_ query: PostgresQuery) throws -> [PostgresRow] {
        let future = connection.query(query, logger: Self.logger)
        let deadline = connection.eventLoop.scheduleTask(in: .milliseconds(Int64(queryTimeout * 1000))) { [connection] in
            let closing: EventLoopFuture<Void> = connection.close()
            _ = closing
        }
        defer { deadline.cancel() }
        do {
            return try future.wait().rows
        } catch {
            throw StoreConnection.storeError(error, address: address)
        }
    }

    /// Runs SQL without parameters (schema changes, BEGIN, COMMIT), one statement after the other.
    func execute(_ sql: String) throws {
        for statement in SQLScript.statements(sql) { try query(PostgresQuery(unsafeSQL: statement)) }
    }

    /// True once the connection is gone (closed by either side).
    var isClosed: Bool { connection.isClosed }

    /// Closes the connection, waiting briefly.
    func close() {
        let closing: EventLoopFuture<Void> = connection.close()
        _ = try? closing.wait()
    }

    /// Maps a PostgreSQL or connection failure to the store's error, naming the store (never its password).
    static func storeError(_ error: any Error, address: SharedStoreAddress) -> AuditStoreError {
        if let error = error as? AuditStoreError { return error }
        let location = address.description
        guard let error = error as? PSQLError else {
            return .unreachable(location, detail: "\(error)")
        }
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        switch error.code {
        case .server:
            switch error.serverInfo?[.sqlState] ?? "" {
            case SharedSchema.leaseLostState: return .leaseLost(location, detail: message, cause: error)
            case SharedSchema.appendOnlyState: return .appendRefused(location, detail: message, cause: error)
            case "42501": return .appendRefused(location, detail: "permission denied: \(message)", cause: error)
            case "53100": return .diskFull(location, cause: error)
            case "25006": return .readOnly(location, detail: message, cause: error)
            case "28P01", "28000": return .unreachable(location, detail: "the server refused the login: \(message)", cause: error)
            case "3D000": return .missing(location)
            case let state where state.hasPrefix("08") || state.hasPrefix("57P"):
                return .unreachable(location, detail: message, cause: error)
            default: return .io(location, detail: message, cause: error)
            }
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown:
            let underlying = error.underlying.map { " (\($0))" } ?? ""
            return .unreachable(location, detail: "\(error.code)\(underlying)", cause: error)
        default:
            return .io(location, detail: "\(error.code)", cause: error)
        }
    }
}
