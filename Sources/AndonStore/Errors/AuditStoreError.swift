import Foundation
import GRDB

/// Why the audit store could not open, read or commit: a plain message naming the store, a code to match on,
/// and the underlying cause when there is one.
public struct AuditStoreError: Error, CustomStringConvertible {
    /// What kind of failure this is, for matching (`error.code == .locked`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Wrapped: String, Hashable, Sendable {
            case readOnly = "read-only"
            case locked
            case diskFull = "disk full"
            case missing
            case notAnAuditStore = "not an audit store"
            case appendRefused = "append refused"
            case closed
            case io = "I/O error"
            case untrusted = "untrusted"
            case unreadable
            case leaseLost = "lease lost"
            case unreachable
        }

        private let wrapped: Wrapped
        private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

        /// The store's file or directory cannot be written.
        public static let readOnly = Code(.readOnly)
        /// Another process holds the store (the Andon lock file, or SQLite's own lock).
        public static let locked = Code(.locked)
        /// The file system is full.
        public static let diskFull = Code(.diskFull)
        /// There is no store at the path (readers never create one).
        public static let missing = Code(.missing)
        /// The file exists but is not an Andon audit store.
        public static let notAnAuditStore = Code(.notAnAuditStore)
        /// The store refused the records (e.g. an append-only trigger fired, or the store was opened for reading).
        public static let appendRefused = Code(.appendRefused)
        /// The store was closed.
        public static let closed = Code(.closed)
        /// Any other failure to read or write the file.
        public static let io = Code(.io)
        /// The store does not agree with its signed head or its chain is broken: it was cut short, rewritten or
        /// edited. The runtime does not write to it; `andon audit verify` says what it found.
        public static let untrusted = Code(.untrusted)
        /// A record or the saved recovery state cannot be read by this version: the store is never taken for empty.
        public static let unreadable = Code(.unreadable)

        /// Another runtime holds the lease of this stream or line (a shared store): this one may not write.
        public static let leaseLost = Code(.leaseLost)
        /// The shared store's server cannot be reached; appends are refused until it can.
        public static let unreachable = Code(.unreachable)

        /// The code's name, e.g. `locked`.
        public var description: String { wrapped.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The store's location (a path or `:memory:`).
    public var path: String
    /// A plain sentence for a person, e.g. "audit store is locked by another process: /var/andon/p1.sqlite".
    public var message: String
    /// The underlying error, when there is one.
    public var cause: (any Error)?

    /// Creates an error.
    public init(code: Code, path: String, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.path = path
        self.message = message
        self.cause = cause
    }

    /// The message.
    public var description: String { message }
}

extension AuditStoreError {
    package static func untrusted(_ path: String, detail: String) -> Self {
        Self(code: .untrusted, path: path, message: "audit store cannot be trusted: \(path): \(detail); nothing was written to it "
             + "(andon audit verify --store \(path) says what the log proves)")
    }

    package static func unreadable(_ path: String, detail: String) -> Self {
        Self(code: .unreadable, path: path, message: "audit store cannot be read completely: \(path): \(detail); the runtime does not "
             + "start on a log it cannot read (a newer version may have written it)")
    }

    /// True for the failures that mean the store must not be written or started on: an untrusted or unreadable log.
    public var isIntegrityFailure: Bool { code == .untrusted || code == .unreadable }

    package static func readOnly(_ path: String, detail: String? = nil, cause: (any Error)? = nil) -> Self {
        Self(code: .readOnly, path: path, message: "audit store is read-only: \(path)" + Self.suffix(detail), cause: cause)
    }

    package static func locked(_ path: String, detail: String? = nil, cause: (any Error)? = nil) -> Self {
        Self(code: .locked, path: path, message: "audit store is locked by another process: \(path)" + Self.suffix(detail), cause: cause)
    }

    package static func diskFull(_ path: String, cause: (any Error)? = nil) -> Self {
        Self(code: .diskFull, path: path, message: "audit store disk is full: \(path)", cause: cause)
    }

    package static func missing(_ path: String) -> Self {
        Self(code: .missing, path: path, message: "no audit store at \(path)")
    }

    package static func notAnAuditStore(_ path: String, detail: String? = nil, cause: (any Error)? = nil) -> Self {
        Self(code: .notAnAuditStore, path: path, message: "not an audit store: \(path)" + Self.suffix(detail), cause: cause)
    }

    package static func appendRefused(_ path: String, detail: String, cause: (any Error)? = nil) -> Self {
        Self(code: .appendRefused, path: path, message: "audit store refused the records: \(path) (\(detail))", cause: cause)
    }

    package static func closed(_ path: String) -> Self {
        Self(code: .closed, path: path, message: "audit store is closed: \(path)")
    }

    package static func leaseLost(_ path: String, detail: String, cause: (any Error)? = nil) -> Self {
        Self(code: .leaseLost, path: path, message: "audit store lease lost: \(path) (\(detail)); this runtime may not write", cause: cause)
    }

    package static func unreachable(_ path: String, detail: String, cause: (any Error)? = nil) -> Self {
        Self(code: .unreachable, path: path, message: "audit store is unreachable: \(path) (\(detail))", cause: cause)
    }

    package static func io(_ path: String, detail: String, cause: (any Error)? = nil) -> Self {
        Self(code: .io, path: path, message: "audit store I/O error: \(path) (\(detail))", cause: cause)
    }

    /// Maps any error thrown while opening, reading or writing to a store error naming `path`.
    package static func wrapping(_ error: any Error, path: String) -> Self {
        if let error = error as? AuditStoreError { return error }
        guard let error = error as? DatabaseError else {
            return .io(path, detail: String(describing: error), cause: error)
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path, detail: detail, cause: error)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH: return .readOnly(path, detail: detail, cause: error)
        case .SQLITE_FULL: return .diskFull(path, cause: error)
        case .SQLITE_NOTADB, .SQLITE_CORRUPT: return .notAnAuditStore(path, detail: detail, cause: error)
        case .SQLITE_CONSTRAINT: return .appendRefused(path, detail: detail, cause: error)
        case .SQLITE_CANTOPEN where FileManager.default.fileExists(atPath: path) && !FileManager.default.isWritableFile(atPath: path):
            return .readOnly(path, detail: detail, cause: error)
        default: return .io(path, detail: detail, cause: error)
        }
    }

    private static func suffix(_ detail: String?) -> String {
        guard let detail, !detail.isEmpty else { return "" }
        return " (\(detail))"
    }
}
