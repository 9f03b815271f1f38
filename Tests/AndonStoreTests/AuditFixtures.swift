import AndonCore
import Foundation
import GRDB
@testable import AndonStore

/// A fixed wall clock, so records are reproducible.
let fixedNow: @Sendable () -> Date = { Date(timeIntervalSince1970: 1_795_000_000.123) }

/// An entry numbered `n`, alternating an agent and a supervisor.
func entry(_ n: Int, payload: String? = nil) -> AuditEntry {
    let actor = n.isMultiple(of: 2) ? AuditActor.agent("scheduler") : AuditActor(type: "person", name: "Ana Ruiz", role: .supervisor)
    return AuditEntry(simTime: Double(n) * 1.5, actor: actor, kind: n.isMultiple(of: 2) ? .proposal : .approvalApproved,
                      payload: payload ?? #"{"cell":"B2","n":\#(n),"note":"line \"A\"\ttab/slash"}"#,
                      policyHash: String(repeating: "ab", count: 32), correlationID: "corr-\(n)")
}

/// Entries numbered `range`.
func entries(_ range: ClosedRange<Int>) -> [AuditEntry] { range.map { entry($0) } }

/// A fresh directory under the system temporary directory, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("andon-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer {
        chmod(directory, 0o755)
        try? FileManager.default.removeItem(atPath: directory)
    }
    return try body(directory)
}

/// A store at `path` holding entries 1...count, closed again.
func makeClosedStore(at path: String, count: Int) throws {
    let store = try AuditStore(path: path, now: fixedNow)
    try store.append(entries(1...count), sync: true)
    store.close()
}

/// Runs raw SQL on the store file through a plain connection, with the append-only triggers dropped.
func tamper(_ path: String, _ change: (Database) throws -> Void) throws {
    let queue = try DatabaseQueue(path: path)
    try queue.write { db in
        try db.execute(sql: """
            DROP TRIGGER audit_refuse_update; DROP TRIGGER audit_refuse_delete; DROP TRIGGER audit_refuse_out_of_chain
            """)
        try change(db)
    }
    try queue.close()
}
