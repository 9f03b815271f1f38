import AndonCore
import AndonStore
import AndonTesting
import Foundation
import PostgresNIO
@testable import AndonStorePostgres

/// The PostgreSQL server the tests use: `ANDON_TEST_POSTGRES` (a `postgres://` URL; the password from `PGPASSWORD`)
/// when set, else one throwaway cluster for the whole test process, started on first use (`initdb` in a temporary
/// folder, a loopback port) and stopped when the process exits. The PostgreSQL tests are skipped only when neither a
/// server is named nor PostgreSQL is installed, and never in CI (`CI` set), where a missing server fails them.
enum TestPostgres {
    /// The named server, if any.
    static var namedURL: String? { ProcessInfo.processInfo.environment["ANDON_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 } }

    /// The URL the tests use: the named server, or the process's throwaway cluster.
    static var url: String? {
        if let namedURL { return namedURL }
        return (try? shared.get())?.url
    }

    /// True when the PostgreSQL tests run: a server is named or can be started, or this is CI.
    static var isEnabled: Bool {
        namedURL != nil || ThrowawayPostgres.isInstalled || ProcessInfo.processInfo.environment["CI"] != nil
    }

    /// The process's own cluster, started once; stopped at exit.
    private static let shared: Result<ThrowawayPostgres, any Error> = {
        let result = Result { try ThrowawayPostgres() }
        if case .success = result { atexit { TestPostgres.stopShared() } }
        return result
    }()

    private static func stopShared() {
        if case .success(let cluster) = shared { cluster.remove() }
    }

    /// The server's address in a fresh schema of its own, so tests running at once never meet.
    static func freshAddress() throws -> SharedStoreAddress {
        if namedURL == nil, case .failure(let error) = shared { throw TestSetupError("no PostgreSQL for the tests: \(error)") }
        guard let url else { throw TestSetupError("no PostgreSQL for the tests") }
        var address = try SharedStoreAddress(url: url).withPassword(file: nil)
        address.schema = "andon_t_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        return address
    }

    /// A plain connection as the login user (not the runtimes' role): what an administrator, or someone tampering, has.
    static func admin(_ address: SharedStoreAddress) throws -> StoreConnection {
        let connection = try StoreConnection.open(address)
        try connection.execute("SET search_path TO \(SharedSchema.quote(address.schema))")
        return connection
    }

    /// Runs `sql` as the login user with the append-only and fencing triggers of `table` disabled.
    static func tamper(_ address: SharedStoreAddress, table: String = "andon_audit", _ sql: PostgresQuery) throws {
        let connection = try admin(address)
        defer { connection.close() }
        try connection.execute("ALTER TABLE \(table) DISABLE TRIGGER USER")
        try connection.query(sql)
        try connection.execute("ALTER TABLE \(table) ENABLE TRIGGER USER")
    }

    /// Drops the test's schema.
    static func drop(_ address: SharedStoreAddress) {
        guard let connection = try? StoreConnection.open(address) else { return }
        try? connection.execute("DROP SCHEMA IF EXISTS \(SharedSchema.quote(address.schema)) CASCADE")
        connection.close()
    }
}

/// A test that cannot be set up, saying why.
struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
