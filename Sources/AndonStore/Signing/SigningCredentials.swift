import AndonCore
import Crypto
import Foundation
import _CryptoExtras

/// The plant's signing credentials: for each person, a scrypt hash of their signing passphrase (never the passphrase),
/// in a file readable by the runtime's user alone (0600 in a 0700 folder), written atomically.
///
/// ```json
/// {"version": 1, "people": {"ana": {"kdf": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": "…", "hash": "…", "set": "2026-11-30T13:40:00Z"}}}
/// ```
public struct SigningCredentials: Sendable, Codable, Hashable {
    /// One person's hashed passphrase and the scrypt parameters it was hashed with.
    public struct Entry: Sendable, Codable, Hashable {
        /// Always `scrypt`.
        public var kdf: String
        /// scrypt's cost (rounds), a power of two.
        public var n: Int
        /// scrypt's block size.
        public var r: Int
        /// scrypt's parallelism.
        public var p: Int
        /// Random salt, base64.
        public var salt: String
        /// The derived key, base64.
        public var hash: String
        /// When it was set (ISO 8601, wall clock).
        public var set: String
    }

    /// The format's version.
    public var version: Int
    /// Entries by person name.
    public var people: [String: Entry]

    /// No one has a passphrase yet.
    public init() {
        version = 1
        people = [:]
    }

    /// scrypt parameters for new passphrases: 2^15 rounds of 8-block, about 32 MiB and tens of milliseconds per check,
    /// as RFC 7914 suggests for interactive logins.
    public static let rounds = 1 << 15
    static let blockSize = 8
    static let parallelism = 1
    static let keyLength = 32

    /// The default credentials file of a plant: `$XDG_CONFIG_HOME/andon/credentials/<plant-id>.json`, else under
    /// `~/.config/andon/credentials/`.
    public static func defaultPath(plantID: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let name = plantID.replacingOccurrences(of: "/", with: "_") + ".json"
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return (config as NSString).appendingPathComponent("andon/credentials/" + name)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".config/andon/credentials/" + name)
    }

    /// Reads the file at `path`; a missing file holds no one. A file others may read or write is refused: a hash
    /// readable by anyone can be attacked offline.
    public static func load(path: String) throws -> SigningCredentials {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT { return SigningCredentials() }
            throw SigningCredentialsError.unreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & 0o077 == 0 else {
            throw SigningCredentialsError.tooOpen(path: path, mode: Int(info.st_mode & 0o777))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SigningCredentialsError.unreadable(path: path, reason: "cannot be read")
        }
        do {
            let credentials = try JSONDecoder().decode(SigningCredentials.self, from: data)
            guard credentials.version == 1 else {
                throw SigningCredentialsError.unreadable(path: path, reason: "version \(credentials.version) is not one this andon reads (1)")
            }
            return credentials
        } catch let error as SigningCredentialsError {
            throw error
        } catch {
            throw SigningCredentialsError.unreadable(path: path, reason: "not a credentials file: \(error)")
        }
    }

    /// Writes the file at `path` (0600, its folder 0700), atomically.
    public func save(path: String) throws {
        try PrivateFiles.makeFolder((path as NSString).deletingLastPathComponent)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try PrivateFiles.write(try encoder.encode(self), to: path, mode: 0o600)
    }

    /// Sets `name`'s passphrase (a fresh salt; any earlier one is replaced).
    public mutating func set(_ passphrase: Passphrase, for name: String, rounds: Int = SigningCredentials.rounds, at date: Date = Date()) throws {
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: .min ... .max, using: &generator) }
        let key = try Self.derive(passphrase, salt: salt, rounds: rounds, blockSize: Self.blockSize, parallelism: Self.parallelism)
        let formatter = ISO8601DateFormatter()
        people[name] = Entry(kdf: "scrypt", n: rounds, r: Self.blockSize, p: Self.parallelism, salt: Data(salt).base64EncodedString(),
                             hash: Data(key).base64EncodedString(), set: formatter.string(from: date))
    }

    /// Whether `passphrase` is `name`'s; nil when they have none (or their entry cannot be used).
    public func matches(_ passphrase: Passphrase, for name: String) -> Bool? {
        guard let entry = people[name], entry.kdf == "scrypt",
              let salt = Data(base64Encoded: entry.salt), let expected = Data(base64Encoded: entry.hash),
              entry.n > 1, entry.n <= 1 << 20, entry.n & (entry.n - 1) == 0, (1...32).contains(entry.r), (1...16).contains(entry.p),
              let key = try? Self.derive(passphrase, salt: Array(salt), rounds: entry.n, blockSize: entry.r, parallelism: entry.p,
                                         length: expected.count)
        else { return nil }
        return Self.constantTimeEqual(key, Array(expected))
    }

    static func derive(_ passphrase: Passphrase, salt: [UInt8], rounds: Int, blockSize: Int, parallelism: Int,
                       length: Int = SigningCredentials.keyLength) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(from: passphrase.bytes, salt: salt, outputByteCount: length, rounds: rounds,
                                           blockSize: blockSize, parallelism: parallelism)
        return key.withUnsafeBytes { Array($0) }
    }

    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in a.indices { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

/// Why the credentials file cannot be used.
public enum SigningCredentialsError: Error, CustomStringConvertible {
    /// Group or others may read or write it.
    case tooOpen(path: String, mode: Int)
    /// It cannot be read or is not a credentials file.
    case unreadable(path: String, reason: String)

    public var description: String {
        switch self {
        case let .tooOpen(path, mode):
            "\(path): signing credentials readable or writable by others (mode \(String(mode, radix: 8))); chmod 600 \(path)"
        case let .unreadable(path, reason): "\(path): \(reason)"
        }
    }
}
