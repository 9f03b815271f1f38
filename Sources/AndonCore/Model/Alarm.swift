/// ISA-18.2 alarm priority: 1 is the most urgent.
public typealias AlarmPriority = Int

/// ISA-18.2 / IEC 62682 alarm states.
public enum AlarmState: String, Sendable, Hashable, Codable, CaseIterable {
    case normal
    case unacknowledged
    case acknowledged
    /// Returned to normal but not yet acknowledged.
    case returnedUnacknowledged = "rtn_unack"
    case shelved
    case suppressed
    case outOfService = "out_of_service"

    /// True while the process condition is in alarm and shown as active.
    public var isActive: Bool { self == .unacknowledged || self == .acknowledged }

    /// True while an operator still has to acknowledge it.
    public var needsAcknowledgement: Bool { self == .unacknowledged || self == .returnedUnacknowledged }
}

/// What drives an alarm's state machine.
public enum AlarmInput: Sendable, Hashable {
    /// The process condition crossed into alarm.
    case activate
    /// The condition cleared.
    case clear
    /// An operator acknowledged it.
    case acknowledge
    /// An operator shelved it until `until`.
    case shelve(until: SimTime)
    /// The shelf time ran out.
    case shelfExpired
    /// Designed suppression (e.g. the cell is stopped).
    case suppress
    /// End of suppression.
    case unsuppress
    /// Taken out of service / returned to service.
    case removeFromService, returnToService
}

/// One alarm point's state, as a pure state machine.
public struct AlarmPoint: Sendable, Hashable, Codable {
    /// Current state.
    public private(set) var state: AlarmState = .normal
    /// Whether the process condition is currently in alarm.
    public private(set) var conditionActive = false
    /// End of shelving, when shelved.
    public private(set) var shelvedUntil: SimTime?

    /// A new point in Normal.
    public init() {}

    /// Applies an input; returns true when the state changed.
    @discardableResult
    public mutating func apply(_ input: AlarmInput) -> Bool {
        let before = state
        switch input {
        case .activate:
            conditionActive = true
            if state == .normal || state == .returnedUnacknowledged { state = .unacknowledged }
        case .clear:
            conditionActive = false
            if state == .unacknowledged { state = .returnedUnacknowledged } else if state == .acknowledged { state = .normal }
        case .acknowledge:
            if state == .unacknowledged { state = .acknowledged } else if state == .returnedUnacknowledged { state = .normal }
        case let .shelve(until):
            if state != .outOfService { state = .shelved; shelvedUntil = until }
        case .shelfExpired:
            if state == .shelved { shelvedUntil = nil; state = conditionActive ? .unacknowledged : .normal }
        case .suppress:
            if state != .outOfService && state != .shelved { state = .suppressed }
        case .unsuppress:
            if state == .suppressed { state = conditionActive ? .unacknowledged : .normal }
        case .removeFromService:
            state = .outOfService
        case .returnToService:
            if state == .outOfService { state = conditionActive ? .unacknowledged : .normal }
        }
        return state != before
    }
}

/// A cell's alarm as the console shows it.
public struct AlarmSummary: Sendable, Hashable, Codable {
    /// Alarm tag (`B2.vibration.HI`).
    public var tag: String
    /// 1 (high) to 4 (diagnostic).
    public var priority: AlarmPriority
    /// Its ISA-18.2 state.
    public var state: AlarmState
    /// Human text.
    public var message: String
    /// When it became active.
    public var since: SimTime

    /// Creates a summary.
    public init(tag: String, priority: AlarmPriority, state: AlarmState, message: String, since: SimTime) {
        self.tag = tag
        self.priority = priority
        self.state = state
        self.message = message
        self.since = since
    }
}
