import AndonCore
import AndonStore
import Foundation
import PostgresNIO
import Testing
@testable import AndonStorePostgres

/// One of the two stores behind ``AuditLog``, as the contract tests open, reopen and tamper with it.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    /// SQLite always; PostgreSQL when a server is named (or in CI, where a missing one fails).
    static var available: [StoreBackend] { TestPostgres.isEnabled ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// One place a store lives for a test: a folder with a SQLite file, or a schema of its own on the test server.
final class StorePlace: @unchecked Sendable {
    let backend: StoreBackend
    let folder: String
    let address: SharedStoreAddress?
    let key: SigningKey
    let runtimeID = "line-a"

    init(_ backend: StoreBackend) throws {
        self.backend = backend
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("andon-contract-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        key = try SigningKey.loadOrCreate(path: folder + "/keys/plant.ed25519")
        address = backend == .postgres ? try TestPostgres.freshAddress() : nil
    }

    deinit {
        try? FileManager.default.removeItem(atPath: folder)
        if let address { TestPostgres.drop(address) }
    }

    var path: String { folder + "/plant.sqlite" }

    /// Opens the store for appending, signing with the place's key.
    func open(now: @escaping @Sendable () -> Date = fixedNow, signed: Bool = true) throws -> any AuditLog {
        switch backend {
        case .sqlite: try AuditStore(path: path, signingKey: signed ? key : nil, now: now)
        case .postgres: try SharedAuditStore(address: address!, runtimeID: runtimeID, lines: ["L1"], signingKey: signed ? key : nil, now: now)
        }
    }

    /// Opens it for reading.
    func reader() throws -> any AuditLog {
        switch backend {
        case .sqlite: try AuditStore(path: path, access: .read)
        case .postgres: try SharedAuditStore(address: address!, runtimeID: runtimeID, access: .read)
        }
    }

    /// Deletes the records after `sequence` behind the store's back.
    func cutTail(after sequence: Int64) throws {
        switch backend {
        case .sqlite:
            try tamperSQLite("DROP TRIGGER audit_refuse_delete; DELETE FROM audit WHERE sequence > \(sequence)")
        case .postgres:
            try TestPostgres.tamper(address!, "DELETE FROM andon_audit WHERE runtime_id = \(runtimeID) AND sequence > \(sequence)")
        }
    }

    /// Changes record `sequence`'s payload behind the store's back.
    func modify(_ sequence: Int64, payload: String) throws {
        switch backend {
        case .sqlite:
            try tamperSQLite("DROP TRIGGER audit_refuse_update; UPDATE audit SET payload = '\(payload)' WHERE sequence = \(sequence)")
        case .postgres:
            try TestPostgres.tamper(address!, "UPDATE andon_audit SET payload = \(payload) WHERE runtime_id = \(runtimeID) AND sequence = \(sequence)")
        }
    }

    private func tamperSQLite(_ sql: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.executescript(sys.argv[2]); db.commit()", path, sql]
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestSetupError("tampering with \(path) failed") }
    }
}

/// A fixed wall clock, so records are reproducible.
let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_000_000.123) }

/// An entry numbered `n`, alternating an agent and a supervisor.
func entry(_ n: Int, payload: String? = nil) -> AuditEntry {
    let actor = n.isMultiple(of: 2) ? AuditActor.agent("scheduler") : AuditActor(type: "person", name: "Ana Ruiz", role: .supervisor)
    return AuditEntry(simTime: Double(n) * 1.5, actor: actor, kind: n.isMultiple(of: 2) ? .proposal : .approvalApproved,
                      payload: payload ?? #"{"cell":"B2","n":\#(n),"note":"line \"A\"\ttab/slash ünï"}"#,
                      policyHash: String(repeating: "ab", count: 32), correlationID: "corr-\(n)")
}

/// Entries numbered `range`.
func entries(_ range: ClosedRange<Int>) -> [AuditEntry] { range.map { entry($0) } }
