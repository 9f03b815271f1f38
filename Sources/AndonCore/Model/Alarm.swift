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

    /// True while it is shown to operators as an alarm: active, or returned to normal and not yet acknowledged
    /// (ISA-18.2: a returned alarm stays in view until someone has seen it).
    public var isAnnunciated: Bool { isActive || self == .returnedUnacknowledged }

    /// Taken out of view on purpose: shelved, suppressed by design, or out of service.
    public var isHidden: Bool { self == .shelved || self == .suppressed || self == .outOfService }

    /// A short word for the alarm list: `UNACK`, `ACK`, `RTN UNACK`, `SHELVED`, `SUPPRESSED`, `OUT OF SERVICE`.
    public var word: String {
        switch self {
        case .normal: "normal"
        case .unacknowledged: "UNACK"
        case .acknowledged: "ACK"
        case .returnedUnacknowledged: "RTN UNACK"
        case .shelved: "SHELVED"
        case .suppressed: "SUPPRESSED"
        case .outOfService: "OUT OF SERVICE"
        }
    }
}

/// Which limit an alarm watches.
public enum AlarmLimitKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// The low alarm limit.
    case low
    /// The high warning limit.
    case warning
    /// The high alarm limit.
    case alarm
    /// The hard (trip) limit, where the safety interlock acts.
    case trip
    /// The cell's data is older than the plant's stale limit.
    case stale
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
            shelvedUntil = nil
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
    /// The cell (empty when not known).
    public var cell: String
    /// The sensor watched (`vibration`), or `data` for the data-quality alarm.
    public var point: String
    /// Which limit it watches.
    public var limitKind: AlarmLimitKind?
    /// The sensor's value now, when it has one.
    public var value: Double?
    /// The limit.
    public var limit: Double?
    /// The value's unit.
    public var unit: String
    /// When shelving ends, while shelved.
    public var shelvedUntil: SimTime?
    /// Who shelved it or took it out of service, and why.
    public var note: String?
    /// True when the point came into alarm 3 or more times in the last minute (ISA-18.2 chattering).
    public var isChattering: Bool

    /// Creates a summary.
    public init(tag: String, priority: AlarmPriority, state: AlarmState, message: String, since: SimTime, cell: String = "",
                point: String = "", limitKind: AlarmLimitKind? = nil, value: Double? = nil, limit: Double? = nil, unit: String = "",
                shelvedUntil: SimTime? = nil, note: String? = nil, isChattering: Bool = false) {
        self.tag = tag
        self.priority = priority
        self.state = state
        self.message = message
        self.since = since
        self.cell = cell
        self.point = point
        self.limitKind = limitKind
        self.value = value
        self.limit = limit
        self.unit = unit
        self.shelvedUntil = shelvedUntil
        self.note = note
        self.isChattering = isChattering
    }
}
