import Crypto
import Foundation

/// The Ed25519 key that signs the audit log's checkpoints: its private half in a file only the runtime's user can
/// read (0600, in a 0700 folder, outside the store's folder), its public half beside it (`.pub`) for auditors.
public struct SigningKey: Sendable {
    /// Where the private key lives.
    public let path: String
    private let box: KeyBox

    private var key: Curve25519.Signing.PrivateKey { box.key }

    /// The public half.
    public var publicKey: PublicSigningKey { PublicSigningKey(key.publicKey) }

    /// Loads the key at `path`, or creates it there (and its `.pub`) when there is none. Throws, saying why, when the
    /// file cannot be read or created, or holds something else.
    public static func loadOrCreate(path: String) throws(SigningKeyError) -> SigningKey {
        if FileManager.default.fileExists(atPath: path) { return try publishing(try load(path: path)) }
        let candidate = Curve25519.Signing.PrivateKey()
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = path + ".new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try PrivateFiles.makeFolder(folder)
            try PrivateFiles.write(Data(candidate.rawRepresentation.base64EncodedString().utf8) + Data("\n".utf8), to: temporary, mode: 0o600)
        } catch {
            throw SigningKeyError(path: path, reason: "cannot create it: \(error)")
        }
        // link() creates the key only if there is none yet: two runtimes starting at once end up with the same key.
        let created = link(temporary, path) == 0
        let code = errno
        unlink(temporary)
        guard created || code == EEXIST else {
            throw SigningKeyError(path: path, reason: "cannot create it: \(String(cString: strerror(code)))")
        }
        return try publishing(try load(path: path))
    }

    /// `key`, with its public half beside it (`.pub`) written again when it is missing or does not match.
    private static func publishing(_ key: SigningKey) throws(SigningKeyError) -> SigningKey {
        let pub = key.path + ".pub"
        guard PublicSigningKey.load(path: pub) != key.publicKey else { return key }
        do {
            try PrivateFiles.write(Data(key.publicKey.encoded.utf8) + Data("\n".utf8), to: pub, mode: 0o644)
        } catch {
            throw SigningKeyError(path: key.path, reason: "cannot write its public half: \(error)")
        }
        return key
    }

    /// Loads an existing key.
    public static func load(path: String) throws(SigningKeyError) -> SigningKey {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SigningKeyError(path: path, reason: "cannot read it (\(String(cString: strerror(errno))))")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: text), let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw SigningKeyError(path: path, reason: "it does not hold an Ed25519 private key")
        }
        return SigningKey(path: path, key: key)
    }

    private init(path: String, key: Curve25519.Signing.PrivateKey) {
        self.path = path
        box = KeyBox(key)
    }

    /// The signature of `text`, base64.
    func sign(_ text: String) -> String {
        ((try? key.signature(for: Data(text.utf8))) ?? Data()).base64EncodedString()
    }
}

/// The private key, made once: it is immutable, and signing with it from any thread is safe, though its type does not
/// say so.
private final class KeyBox: @unchecked Sendable {
    let key: Curve25519.Signing.PrivateKey
    init(_ key: Curve25519.Signing.PrivateKey) { self.key = key }
}

/// The public half of a signing key: what `andon audit verify` checks signatures with.
public struct PublicSigningKey: Sendable, Hashable {
    private let raw: Data

    init(_ key: Curve25519.Signing.PublicKey) {
        raw = key.rawRepresentation
    }

    /// Reads a public key written by ``SigningKey/loadOrCreate(path:)`` (`ed25519 <base64>`), or nil.
    public static func load(path: String) -> PublicSigningKey? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let words = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace)
        guard words.count == 2, words[0] == "ed25519", let raw = Data(base64Encoded: String(words[1])),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return nil }
        return PublicSigningKey(key)
    }

    /// `ed25519 <base64>`, as the `.pub` file holds it.
    var encoded: String { "ed25519 \(raw.base64EncodedString())" }

    /// SHA-256 of the raw key, hex: how checkpoints name the key that signed them.
    public var fingerprint: String { SHA256.hash(data: raw).map { String(format: "%02x", $0) }.joined() }

    /// True when `signature` (base64) is this key's signature of `text`.
    func verifies(_ signature: String, of text: String) -> Bool {
        guard let bytes = Data(base64Encoded: signature), let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(bytes, for: Data(text.utf8))
    }
}

/// A signing key that could not be loaded or created.
public struct SigningKeyError: Error, Sendable, CustomStringConvertible {
    /// The key file.
    public var path: String
    /// Why.
    public var reason: String

    /// `audit signing key PATH: reason`.
    public var description: String { "audit signing key \(path): \(reason)" }
}
