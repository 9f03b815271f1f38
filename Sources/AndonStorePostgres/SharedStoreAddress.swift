import Foundation

/// Where the shared store is and who this runtime is in it, from `--store postgres://user@host:port/database?…`.
///
/// The password never comes from the URL (it would sit in the shell's history, the process list and the run's log): it
/// comes from a file (`--store-password-file`, or `password_file` in a `store:` block), which must be readable by its
/// owner only, or from `PGPASSWORD`. Query parameters: `runtime` (this runtime's stream id; default: the plant id),
/// `schema` (default `andon`), `connect_timeout` in seconds (default 5).
public struct SharedStoreAddress: Sendable, Hashable {
    /// The server's host name or address.
    public var host: String
    /// Its port.
    public var port: Int
    /// The user to log in as.
    public var user: String
    /// The database.
    public var database: String
    /// The schema holding Andon's tables.
    public var schema: String
    /// This runtime's stream id, when the URL names one.
    public var runtimeID: String?
    /// The password, when one was given through a file or the environment (never printed).
    public var password: String?
    /// Seconds to wait for a connection.
    public var connectTimeout: Double

    /// True when `text` names a PostgreSQL store rather than a SQLite file.
    public static func isShared(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses a `postgres://` URL; throws a plain sentence when it is not one Andon takes.
    public init(url text: String) throws(SharedStoreAddressError) {
        guard Self.isShared(text), let components = URLComponents(string: text) else {
            throw SharedStoreAddressError("'\(Self.redacted(text))' is not a postgres:// URL")
        }
        if components.password != nil {
            throw SharedStoreAddressError("the store URL carries a password; give it in a file (--store-password-file, mode 0600) or in PGPASSWORD instead, "
                                          + "never on the command line")
        }
        guard let host = components.host, !host.isEmpty else { throw SharedStoreAddressError("the store URL names no host") }
        self.host = host
        port = components.port ?? 5432
        user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.environment["PGUSER"] ?? "andon"
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? user : path
        var schema = "andon", runtimeID: String?, timeout = 5.0
        for item in components.queryItems ?? [] {
            let value = item.value ?? ""
            switch item.name {
            case "schema": schema = value
            case "runtime": runtimeID = value
            case "connect_timeout":
                guard let seconds = Double(value), seconds > 0 else { throw SharedStoreAddressError("connect_timeout expects seconds, not '\(value)'") }
                timeout = seconds
            case "sslmode" where value == "disable": break
            default: throw SharedStoreAddressError("the store URL's parameter '\(item.name)' is not one Andon knows (runtime, schema, connect_timeout)")
            }
        }
        guard Self.isIdentifier(schema) else { throw SharedStoreAddressError("schema '\(schema)' must be letters, digits and _ (starting with a letter)") }
        if let runtimeID, !Self.isStreamID(runtimeID) {
            throw SharedStoreAddressError("runtime '\(runtimeID)' must be 1 to 64 letters, digits, '.', '_' or '-'")
        }
        self.schema = schema
        self.runtimeID = runtimeID
        connectTimeout = timeout
        password = nil
    }

    /// The same address with the password read from `passwordFile`, else from `PGPASSWORD` in `environment`.
    public func withPassword(file passwordFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(SharedStoreAddressError) -> Self {
        var copy = self
        if let passwordFile {
            var status = stat()
            guard stat(passwordFile, &status) == 0, let data = FileManager.default.contents(atPath: passwordFile) else {
                throw SharedStoreAddressError("the password file \(passwordFile) cannot be read")
            }
            guard status.st_mode & 0o077 == 0 else {
                throw SharedStoreAddressError("the password file \(passwordFile) can be read by others (mode \(String(status.st_mode & 0o777, radix: 8))); "
                                              + "make it 0600")
            }
            copy.password = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .newlines)
        } else if let password = environment["PGPASSWORD"], !password.isEmpty {
            copy.password = password
        }
        return copy
    }

    /// The address for messages and logs: `postgres://user@host:port/database?schema=…`, never a password.
    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(database)?schema=\(schema)" + (runtimeID.map { "&runtime=\($0)" } ?? "")
    }

    /// `text` with anything between `//user:` and `@` replaced, for messages about a URL that will not be used.
    static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text.range(of: "@", range: scheme.upperBound..<text.endIndex),
              let colon = text.range(of: ":", range: scheme.upperBound..<at.lowerBound) else { return text }
        return String(text[..<colon.upperBound]) + "***" + String(text[at.lowerBound...])
    }

    /// True for a plain SQL identifier.
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.count <= 63, first.properties.isAlphabetic, first.isASCII else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    /// True for a stream id: 1 to 64 of letters, digits, `.`, `_`, `-`.
    public static func isStreamID(_ text: String) -> Bool {
        (1...64).contains(text.count)
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}

/// A store URL or password source Andon does not take, in a sentence.
public struct SharedStoreAddressError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    init(_ description: String) { self.description = description }
}
