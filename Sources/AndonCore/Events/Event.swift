/// The version of the event envelope and payload schema.
public let eventSchemaVersion = 1

/// How a mailbox treats an event class when it is full.
public enum EventClass: String, Sendable, Hashable, Codable, CaseIterable {
    /// Telemetry: the oldest is dropped and the drop counted.
    case telemetry
    /// Proposals, decisions, operator commands and everything else: never dropped; the producer waits.
    case control
}

/// One reading set from a cell, in sensor order.
public struct TelemetryFrame: Sendable, Hashable, Codable {
    /// The cell.
    public var cell: String
    /// Readings in the order of the cell's sensors.
    public var readings: [Double]
    /// When the source measured them.
    public var sourceTime: SimTime
    /// Parts produced by the cell so far.
    public var produced: Int
    /// Parts scrapped by the cell so far.
    public var scrap: Int
    /// The PackML state reported with the readings.
    public var state: PackMLState

    /// Creates a frame.
    public init(cell: String, readings: [Double], sourceTime: SimTime, produced: Int, scrap: Int, state: PackMLState) {
        self.cell = cell
        self.readings = readings
        self.sourceTime = sourceTime
        self.produced = produced
        self.scrap = scrap
        self.state = state
    }
}

/// A cell changed PackML state.
public struct StateChange: Sendable, Hashable, Codable {
    /// From.
    public var from: PackMLState
    /// To.
    public var to: PackMLState
    /// Why.
    public var reason: StateReason

    /// Creates a change.
    public init(from: PackMLState, to: PackMLState, reason: StateReason) {
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// An alarm point changed state.
public struct AlarmChange: Sendable, Hashable, Codable {
    /// Alarm tag.
    public var tag: String
    /// Priority 1–4.
    public var priority: AlarmPriority
    /// New state.
    public var state: AlarmState
    /// Human text.
    public var message: String

    /// Creates a change.
    public init(tag: String, priority: AlarmPriority, state: AlarmState, message: String) {
        self.tag = tag
        self.priority = priority
        self.state = state
        self.message = message
    }
}

/// Something happened to an approval.
public struct ApprovalChange: Sendable, Hashable, Codable {
    /// The approval (same id as its proposal).
    public var approvalID: String
    /// Its state after the change.
    public var state: ApprovalState
    /// What happened, in words ("approved by ana (supervisor), 1/2").
    public var detail: String
    /// The person who acted, if any.
    public var actor: Person?

    /// Creates a change.
    public init(approvalID: String, state: ApprovalState, detail: String, actor: Person? = nil) {
        self.approvalID = approvalID
        self.state = state
        self.detail = detail
        self.actor = actor
    }
}

/// An action was carried out on the twin.
public struct ActionExecution: Sendable, Hashable, Codable {
    /// The proposal.
    public var proposalID: String
    /// The action.
    public var action: ActionKind
    /// Target.
    public var target: String
    /// Idempotency key.
    public var idempotencyKey: String
    /// False when the key had already been applied and nothing ran.
    public var applied: Bool

    /// Creates an execution record.
    public init(proposalID: String, action: ActionKind, target: String, idempotencyKey: String, applied: Bool) {
        self.proposalID = proposalID
        self.action = action
        self.target = target
        self.idempotencyKey = idempotencyKey
        self.applied = applied
    }
}

/// The payload of an event.
public enum EventBody: Sendable, Hashable, Codable {
    /// Sensor readings.
    case telemetry(TelemetryFrame)
    /// A PackML state change.
    case stateChanged(StateChange)
    /// An alarm state change.
    case alarm(AlarmChange)
    /// An agent's proposal. (Boxed, as is a decision: the two are three times the size of any other case, and rare
    /// beside telemetry and state changes, which every copy of an event, in outboxes and envelopes, would else pay
    /// for.)
    indirect case proposal(Proposal)
    /// A policy decision.
    indirect case decision(Decision)
    /// An approval's lifecycle step.
    case approval(ApprovalChange)
    /// An action was executed.
    case action(ActionExecution)
    /// A person did something (command text and who).
    case operatorCommand(person: Person, command: String, outcome: String)
    /// Anything else worth a line in the log (mode changes, policy reloads, scenario incidents).
    case notice(kind: String, message: String)

    /// The class that decides overflow handling.
    public var eventClass: EventClass {
        if case .telemetry = self { return .telemetry }
        return .control
    }

    /// A short kind name, for logs and filters.
    public var kindName: String {
        switch self {
        case .telemetry: "telemetry"
        case .stateChanged: "state"
        case .alarm: "alarm"
        case .proposal: "proposal"
        case .decision: "decision"
        case .approval: "approval"
        case .action: "action"
        case .operatorCommand: "command"
        case let .notice(kind, _): kind
        }
    }
}

/// The envelope every event travels in.
public struct EventEnvelope: Sendable, Hashable, Codable {
    /// Monotonic sequence number within a run.
    public var sequence: UInt64
    /// Simulated time.
    public var time: SimTime
    /// The cell concerned, if any.
    public var cell: String?
    /// The chain this event belongs to.
    public var correlationID: CorrelationID
    /// Envelope schema version.
    public var schemaVersion: Int
    /// The payload.
    public var body: EventBody

    /// Creates an envelope.
    public init(sequence: UInt64, time: SimTime, cell: String?, correlationID: CorrelationID, schemaVersion: Int = eventSchemaVersion, body: EventBody) {
        self.sequence = sequence
        self.time = time
        self.cell = cell
        self.correlationID = correlationID
        self.schemaVersion = schemaVersion
        self.body = body
    }
}
