/// What an outside agent asks of the runtime (one request per frame, answered by an ``AgentAnswer`` with the same
/// request id). An agent reads and proposes; it never approves, acknowledges, changes policy or acts as another agent:
/// there is no request for any of that.
public enum AgentRequest: Sendable, Hashable, Codable {
    /// The plant in brief, and the agent as the runtime knows it (mode, scope, actions, rate).
    case plant
    /// Every cell, briefly; the answer carries a read number a proposal may name as what it is based on.
    case cells
    /// One cell in full (sensors with limits, alarms).
    case cell(id: String)
    /// The agent's own proposals, newest first, with their fate.
    case proposals
    /// One of the agent's own proposals by id or idempotency key, with its fate now.
    case proposal(id: String)
    /// The pending approvals the agent's proposals opened.
    case approvals
    /// The most recent events of the plant (at most `limit`, 50 when not given).
    case events(limit: Int?)
    /// A proposal: judged by the policy at once, and answered with its outcome.
    case propose(proposal: OutsideProposal)
    /// Withdraws one of the agent's own pending proposals (by id or idempotency key).
    case withdraw(id: String)

    /// A short verb for records and logs.
    public var verb: String {
        switch self {
        case .plant: "plant"
        case .cells: "cells"
        case .cell: "cell"
        case .proposals: "proposals"
        case .proposal: "proposal"
        case .approvals: "approvals"
        case .events: "events"
        case .propose: "propose"
        case .withdraw: "withdraw"
        }
    }
}

/// A JSON value an agent sent where a number is wanted: kept as sent, so that something that is not a number is
/// refused with a reason rather than dropped with the frame.
public enum LooseValue: Sendable, Hashable, Codable {
    /// A number.
    case number(Double)
    /// Text.
    case text(String)
    /// true or false.
    case flag(Bool)
    /// null.
    case null
    /// A list or an object.
    case structure

    /// Reads any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .flag(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .text(value)
        } else {
            self = .structure
        }
    }

    /// Writes it back (a structure as null: it was refused and only its kind matters).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case let .number(value): try container.encode(value)
        case let .text(value): try container.encode(value)
        case let .flag(value): try container.encode(value)
        case .null, .structure: try container.encodeNil()
        }
    }

    /// The value when it is a finite number.
    public var finiteNumber: Double? {
        if case let .number(value) = self, value.isFinite { return value }
        return nil
    }

    /// What it is, for a refusal (`text "high"`).
    public var kindName: String {
        switch self {
        case let .number(value): value.isFinite ? "a number" : "not a finite number"
        case let .text(text): "text \"\(TerminalText.printable(String(text.prefix(40))))\""
        case .flag: "true or false"
        case .null: "null"
        case .structure: "a list or an object"
        }
    }
}

/// A proposal as an outside agent sends it, checked by the runtime before the policy sees it: the action from the
/// plant's vocabulary and the agent's declared list, a target in its scope, parameters in range, numeric evidence, an
/// idempotency key.
public struct OutsideProposal: Sendable, Hashable, Codable {
    /// The action (`reduce_speed`).
    public var action: String
    /// The cell or line acted on.
    public var target: String
    /// Named numeric parameters (`percent`, `minutes`, `parts`).
    public var parameters: [String: LooseValue]?
    /// low, medium, high or critical.
    public var risk: String
    /// Why, in a sentence or two.
    public var rationale: String
    /// The figures behind it: each `{"name": …, "value": number, "unit": …, "limit": number?}`.
    public var evidence: [[String: LooseValue]]?
    /// The same key from the same agent has effect once, across reconnects and restarts.
    public var idempotencyKey: String
    /// The read (`cells` or `cell` answer) the proposal is based on: the policy judges the data's age as the agent saw
    /// it, and the proposal's correlation names the read.
    public var basedOnRead: UInt64?

    /// A proposal.
    public init(action: String, target: String, parameters: [String: LooseValue]? = nil, risk: String, rationale: String,
                evidence: [[String: LooseValue]]? = nil, idempotencyKey: String, basedOnRead: UInt64? = nil) {
        self.action = action
        self.target = target
        self.parameters = parameters
        self.risk = risk
        self.rationale = rationale
        self.evidence = evidence
        self.idempotencyKey = idempotencyKey
        self.basedOnRead = basedOnRead
    }
}
