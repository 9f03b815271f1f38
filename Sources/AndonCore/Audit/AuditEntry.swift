import Foundation

/// What an audit record is about.
public enum AuditKind: String, Sendable, Hashable, Codable, CaseIterable {
    case proposal
    case decision
    case approvalRequested = "approval_requested"
    case approvalSigned = "approval_signed"
    case approvalApproved = "approval_approved"
    case approvalRejected = "approval_rejected"
    case approvalExpired = "approval_expired"
    case approvalWithdrawn = "approval_withdrawn"
    case approvalEscalated = "approval_escalated"
    case actionExecuted = "action_executed"
    case operatorCommand = "operator_command"
    case modeChange = "mode_change"
    case policyReload = "policy_reload"
    case alarm
    case stateChange = "state_change"
    case runStarted = "run_started"
    /// What an outside agent asked that was refused before any proposal (undeclared, throttled, malformed, a key
    /// replayed with different content), or its withdrawal of a pending proposal.
    case agentRequest = "agent_request"
    /// A signed anchor of the log's head (sequence, hash, time), written by the store itself.
    case checkpoint
}

/// Who caused an audit record: an agent, a person with a role, or the runtime itself.
public struct AuditActor: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `agent`, `person` or `system`.
    public var type: String
    /// Agent id, person name, or `runtime`.
    public var name: String
    /// The person's role, for people.
    public var role: Role?

    /// Creates an actor.
    public init(type: String, name: String, role: Role? = nil) {
        self.type = type
        self.name = name
        self.role = role
    }

    /// An agent.
    public static func agent(_ id: String) -> AuditActor { AuditActor(type: "agent", name: id) }
    /// A person.
    public static func person(_ person: Person) -> AuditActor {
        AuditActor(type: person.isClaimed ? "claimed-person" : "person", name: person.name, role: person.role)
    }
    /// The runtime itself (policy engine, deadlines, simulator).
    public static let system = AuditActor(type: "system", name: "runtime")

    /// `name (role)` or `agent:id`.
    public var description: String {
        if let role { return "\(name) (\(role.rawValue))" }
        return "\(type):\(name)"
    }
}

/// A record about to be appended; the store adds sequence, wall time and the hash chain.
public struct AuditEntry: Sendable, Hashable, Codable {
    /// Simulated time.
    public var simTime: SimTime
    /// Who.
    public var actor: AuditActor
    /// What kind.
    public var kind: AuditKind
    /// Canonical JSON (sorted keys, no insignificant white space).
    public var payload: String
    /// SHA-256 of the policy in force, hex (empty when none).
    public var policyHash: String
    /// The chain this belongs to.
    public var correlationID: String

    /// Creates an entry.
    public init(simTime: SimTime, actor: AuditActor, kind: AuditKind, payload: String, policyHash: String, correlationID: String) {
        self.simTime = simTime
        self.actor = actor
        self.kind = kind
        self.payload = payload
        self.policyHash = policyHash
        self.correlationID = correlationID
    }

    /// An entry whose payload is `value` encoded as canonical JSON.
    public init(simTime: SimTime, actor: AuditActor, kind: AuditKind, encoding value: some Encodable, policyHash: String, correlationID: String) {
        self.init(simTime: simTime, actor: actor, kind: kind, payload: CanonicalJSON.string(value), policyHash: policyHash, correlationID: correlationID)
    }
}

/// A committed audit record.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// Position in the log, from 1, without gaps.
    public var sequence: Int64
    /// Wall-clock time of the commit, ISO 8601 with milliseconds, UTC.
    public var wallTime: String
    /// Simulated time.
    public var simTime: SimTime
    /// Who.
    public var actor: AuditActor
    /// What kind.
    public var kind: AuditKind
    /// Canonical JSON payload.
    public var payload: String
    /// Policy hash in force.
    public var policyHash: String
    /// Correlation id.
    public var correlationID: String
    /// Hash of the previous record (64 zeros for the first).
    public var previousHash: String
    /// SHA-256 over the previous hash and this record's fields.
    public var hash: String

    /// Creates a record.
    public init(sequence: Int64, wallTime: String, simTime: SimTime, actor: AuditActor, kind: AuditKind, payload: String,
                policyHash: String, correlationID: String, previousHash: String, hash: String) {
        self.sequence = sequence
        self.wallTime = wallTime
        self.simTime = simTime
        self.actor = actor
        self.kind = kind
        self.payload = payload
        self.policyHash = policyHash
        self.correlationID = correlationID
        self.previousHash = previousHash
        self.hash = hash
    }
}

/// JSON with sorted keys and no insignificant white space, so equal values give equal bytes.
public enum CanonicalJSON {
    /// Encodes `value`; encoding failures (which do not happen for the project's own types) give `{}`. A value that
    /// writes its own text (``CanonicalJSONWriting``) is taken at its word when it gives one.
    public static func string(_ value: some Encodable) -> String {
        if let writing = value as? any CanonicalJSONWriting, let text = writing.canonicalJSON { return text }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}

/// A payload that writes its own canonical JSON, byte for byte what `JSONEncoder` gives in ``CanonicalJSON/string(_:)``,
/// for a record written so often that the encoder's generic machinery would be most of its cost (a cell's state change).
public protocol CanonicalJSONWriting: Encodable {
    /// The canonical JSON text, or nil to leave the value to `JSONEncoder` (a text it does not know how to write).
    var canonicalJSON: String? { get }
}
