import Foundation

/// Where approvals live when several runtimes share one store: one row per approval that every runtime sees, changed
/// only by a write that names the version it saw, committed in the same transaction as the records that say why. A
/// sink that is also a ledger makes the runtime keep its approvals there (the PostgreSQL store); one that is not keeps
/// them in the runtime alone (SQLite, one runtime).
public protocol ApprovalLedger: AuditSink {
    /// The runtime whose stream this sink writes.
    var runtimeID: String { get }
    /// Appends `entries` and makes `approvals` in one transaction, or neither. Throws ``ApprovalWriteLost`` when a
    /// write found its approval no longer where it expected (another runtime's decision came first): nothing is written
    /// then.
    @discardableResult
    func append(_ entries: [AuditEntry], sync: Bool, approvals: [ApprovalWrite]) throws -> [AuditRecord]
    /// The approvals `ids` as they stand (the ones there are).
    func approvals(ids: [String]) throws -> [SharedApproval]
    /// Every pending approval of every runtime, nearest deadline first.
    func pendingApprovals() throws -> [SharedApproval]
    /// True when the shared approvals may have changed since the last time this said so (a notice came, or nothing
    /// listens for notices, or a few seconds have passed): the runtime reads them only then.
    func takeApprovalNews() -> Bool
}

/// One change to the shared approvals, made only together with its records.
public enum ApprovalWrite: Sendable, Hashable {
    /// A new pending approval of this runtime.
    case open(SharedApproval)
    /// The approval `id`, still pending at `seenVersion`, moves to `state` with `signatures` (all of them so far). One
    /// that reaches `approved` puts its action in the outbox of the runtime that executes it; `claim` claims it there
    /// at once (the deciding runtime is the executing one and runs it after this commit).
    case change(id: String, seenVersion: Int, state: SharedApproval.State, signatures: [SharedApproval.Signature], claim: Bool)
    /// Claims the approved action `id` from this runtime's outbox before it runs (write-ahead): a second claim, after a
    /// restart or by a runtime that took the line over, loses.
    case claim(id: String)

    /// The approval it changes.
    public var approvalID: String {
        switch self {
        case let .open(approval): approval.id
        case let .change(id, _, _, _, _), let .claim(id): id
        }
    }
}

/// A write that found its approval decided, changed or claimed by someone else first; nothing of its transaction was
/// written.
public struct ApprovalWriteLost: Error, Sendable, CustomStringConvertible {
    /// The approval.
    public var approvalID: String
    /// The approval as it stands now (nil when there is none).
    public var current: SharedApproval?

    /// Creates the error.
    public init(approvalID: String, current: SharedApproval?) {
        self.approvalID = approvalID
        self.current = current
    }

    public var description: String {
        guard let current else { return "approval \(approvalID) is not in the shared store" }
        let names = current.signatures.map { "\($0.name) at \($0.runtime)" }.joined(separator: ", ")
        return "approval \(approvalID) was changed elsewhere first: now \(current.state.rawValue)\(names.isEmpty ? "" : " (\(names))")"
    }
}

/// An approval as the shared store holds it: one row every console on every runtime sees, changed only by a decision
/// that names the version it saw.
public struct SharedApproval: Sendable, Hashable {
    /// Where an approval stands.
    public enum State: String, Sendable, Hashable, CaseIterable {
        case pending, approved, rejected, expired, withdrawn
    }

    /// A person's signature on it.
    public struct Signature: Sendable, Hashable, Codable {
        /// Who signed.
        public var name: String
        /// Their role's raw value.
        public var role: String
        /// The runtime whose console they signed at.
        public var runtime: String
        /// Set when this person rejected the approval rather than approving it: how they said why ("" for no reason).
        public var rejection: String?

        /// Creates a signature.
        public init(name: String, role: String, runtime: String, rejection: String? = nil) {
            self.name = name
            self.role = role
            self.runtime = runtime
            self.rejection = rejection
        }
    }

    /// The approval's id (the runtime's own, unique across the plant).
    public var id: String
    /// The runtime that executes the action once approved.
    public var runtimeID: String
    /// What runs once approved: the runtime's own encoding, canonical JSON.
    public var action: String
    /// Signatures needed.
    public var quorum: Int
    /// When it runs out, wall time.
    public var deadline: String
    /// When it was requested, wall time.
    public var requestedAt: String
    /// Where it stands.
    public var state: State
    /// Signatures so far, in order.
    public var signatures: [Signature]
    /// One up at every change: a decision names the version it saw.
    public var version: Int

    /// Creates a pending approval (version 1, no signatures).
    public init(id: String, runtimeID: String, action: String, quorum: Int, deadline: String, requestedAt: String) {
        self.id = id
        self.runtimeID = runtimeID
        self.action = action
        self.quorum = quorum
        self.deadline = deadline
        self.requestedAt = requestedAt
        state = .pending
        signatures = []
        version = 1
    }
}

/// What became of a decision.
public enum SharedDecision: Sendable, Hashable {
    /// It was made: the approval as it now stands (its records are committed with it).
    case won(SharedApproval)
    /// Someone else's decision came first, or the approval was no longer at the version seen: the approval as it now
    /// stands (nil when there is no such approval). Nothing was written.
    case lost(SharedApproval?)
}

/// An approved action waiting for its runtime to execute it.
public struct OutboxItem: Sendable, Hashable {
    /// The approval that authorised it: the outbox's key, so it runs at most once.
    public var approvalID: String
    /// What runs.
    public var action: String
    /// When it was approved, wall time.
    public var enqueuedAt: String

    /// Creates an outbox item.
    public init(approvalID: String, action: String, enqueuedAt: String) {
        self.approvalID = approvalID
        self.action = action
        self.enqueuedAt = enqueuedAt
    }
}

