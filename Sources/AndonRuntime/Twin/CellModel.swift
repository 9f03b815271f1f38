import AndonCore

/// The live state of one cell inside the twin. Plain value; the twin mutates it in place.
struct CellModel {
    let spec: CellSpec
    let lineIndex: Int
    /// Buffer feeding the cell (nil: the line's raw supply).
    let upstream: Int?
    /// Buffer the cell feeds (nil: finished goods).
    let downstream: Int?

    var state: PackMLState = .execute
    var reason: StateReason = .none
    var stateSince: SimTime = 0
    var stateIndex = StateClock.stateIndex[.execute]!
    /// Seconds left in a transient (acting) state.
    var transientLeft = 0.0
    /// When a timed Held, Stopped or Aborted state ends.
    var resumeAt: SimTime?
    /// Stopped and Idle lead on to Execute by themselves (recovery after repair or maintenance).
    var autoRecover = false
    /// Maintenance finishes when the current Stopped state ends.
    var maintenancePending = false

    var hasPart = false
    var partDone = false
    var progress = 0.0
    var cycleFactor = 1.0
    /// Speed setpoint, 1 = design speed.
    var speed = 1.0
    /// Running hours since the last maintenance.
    var runHours = 0.0
    /// Running seconds until the next breakdown and the next minor fault.
    var failureClock = 0.0
    var faultClock = 0.0
    /// Scrap multiplier from quality drift; recalibration resets it.
    var scrapFactor = 1.0

    var values: [Double]
    /// The underlying process value (before noise), for sensors that lag.
    var process: [Double]
    var drift: [Double]
    var driftRate: [Double]
    var driftUntil: [SimTime]
    /// Each sensor's last ``historyLength`` readings, appended to storage a snapshot shows windows onto.
    var histories: SensorHistories
    static let historyLength = 60

    var produced = 0, good = 0, scrap = 0
    var clock: StateClock
    var lastTelemetry: SimTime = 0
    var telemetryLostUntil: SimTime = -1
    /// The sensors' alarm slots, then the data-quality alarm (always last). Whatever changes a slot changes this
    /// property, so ``alarmsAreQuiet`` is worked out again with every change (they are rare: a crossing, an act).
    var alarms: [AlarmSlot] {
        didSet { alarmsAreQuiet = Self.areQuiet(alarms) }
    }
    /// True while every alarm point is in Normal and none has ever come in: a snapshot then shows no alarm for the
    /// cell without reading its slots.
    private(set) var alarmsAreQuiet = true
    var timeline: [StateSpan] = []

    init(spec: CellSpec, lineIndex: Int, upstream: Int?, downstream: Int?, windowMinutes: Int, historyPhase: Int) {
        self.spec = spec
        self.lineIndex = lineIndex
        self.upstream = upstream
        self.downstream = downstream
        let n = spec.sensors.count
        values = spec.sensors.map(\.nominal)
        process = spec.sensors.map(\.nominal)
        drift = Array(repeating: 0, count: n)
        driftRate = Array(repeating: 0, count: n)
        driftUntil = Array(repeating: 0, count: n)
        histories = SensorHistories(sensors: n, length: Self.historyLength, phase: historyPhase)
        clock = StateClock(windowMinutes: windowMinutes)
        // Built at its size: 10,000 cells' alarm slots grown by appending held room for 12 where 7 were used.
        var alarms: [AlarmSlot] = []
        alarms.reserveCapacity(spec.sensors.reduce(1) { $0 + AlarmSlot.limitCount(of: $1) })
        for (index, sensor) in spec.sensors.enumerated() { AlarmSlot.appendSlots(for: sensor, index: index, cell: spec.id, to: &alarms) }
        alarms.append(AlarmSlot.stale(cell: spec.id))
        self.alarms = alarms
        alarmsAreQuiet = Self.areQuiet(alarms)
        timeline = [StateSpan(state: .execute, reason: .none, since: 0)]
    }

    var status: CellStatus { CellStatus(state: state, reason: reason) }

    mutating func recordHistory() {
        histories.append(values)
    }

    /// Whether every point of `alarms` is in Normal and none has come in (an activation is kept for the rate window,
    /// and the last one until the next).
    static func areQuiet(_ alarms: [AlarmSlot]) -> Bool {
        alarms.allSatisfy { $0.point.state == .normal && $0.activations.isEmpty }
    }

    /// The index of the data-quality alarm in ``alarms``.
    var dataQualityIndex: Int { alarms.count - 1 }
}

/// One alarm limit on one sensor, or the cell's data-quality alarm.
struct AlarmSlot {
    enum Direction { case high, low, stale }
    /// The sensor's index in the cell, or -1 for the data-quality alarm.
    let sensor: Int
    let limit: Double
    let deadband: Double
    /// Seconds beyond the limit before the alarm comes in, and back inside before it clears.
    let onDelay: Double, offDelay: Double
    let direction: Direction
    let kind: AlarmLimitKind
    let priority: AlarmPriority
    /// The cell's id and the sensor's (`data` for the data-quality alarm): its tag and message are made of them when
    /// wanted (kept whole, they were two strings of their own for each of a large plant's 70,000 slots).
    let cellID: String
    let sensorID: String
    var point = AlarmPoint()
    var since: SimTime = 0
    /// When the reading crossed (beyond the limit while the alarm is out, back inside while it is in), while a delay runs.
    var crossedAt: SimTime?
    /// When it came into alarm, oldest first, over the last rate window.
    var activations: [SimTime] = []
    /// Who shelved it or took it out of service, and why.
    var note: String?

    init(sensor: Int, limit: Double, deadband: Double, onDelay: Double = 0, offDelay: Double = 0, direction: Direction, kind: AlarmLimitKind,
         priority: AlarmPriority, cellID: String, sensorID: String) {
        self.sensor = sensor
        self.limit = limit
        self.deadband = deadband
        self.onDelay = onDelay
        self.offDelay = offDelay
        self.direction = direction
        self.kind = kind
        self.priority = priority
        self.cellID = cellID
        self.sensorID = sensorID
    }

    /// The alarm's tag: cell, sensor and limit (`B2.vibration.HIHI`, `B2.data.STALE`).
    var tag: String { "\(cellID).\(sensorID).\(Self.wording(kind).suffix)" }

    /// What the alarm says (`vibration very high`, `data stale`).
    var message: String { "\(sensorID) \(Self.wording(kind).words)" }

    /// The tag's suffix and the message's words for each kind of limit (the data-quality alarm's sensor is `data`).
    private static func wording(_ kind: AlarmLimitKind) -> (suffix: String, words: String) {
        switch kind {
        case .low: ("LO", "low")
        case .warning: ("HI", "high")
        case .alarm: ("HIHI", "very high")
        case .trip: ("TRIP", "beyond hard limit")
        case .stale: ("STALE", "stale")
        }
    }

    /// How many alarm limits `sensor` has: one slot each.
    static func limitCount(of sensor: SensorSpec) -> Int {
        [sensor.limits.lowAlarm, sensor.limits.highWarn, sensor.limits.highAlarm, sensor.limits.trip].count { $0 != nil }
    }

    /// Appends a slot for each alarm limit of `sensor`, the cell's sensor `index`.
    static func appendSlots(for sensor: SensorSpec, index: Int, cell: String, to slots: inout [AlarmSlot]) {
        let band = sensor.effectiveDeadband
        func slot(_ limit: Double, _ direction: Direction, _ kind: AlarmLimitKind, _ priority: AlarmPriority) -> AlarmSlot {
            AlarmSlot(sensor: index, limit: limit, deadband: band, onDelay: sensor.alarmOnDelay, offDelay: sensor.alarmOffDelay,
                      direction: direction, kind: kind, priority: priority, cellID: cell, sensorID: sensor.id)
        }
        if let low = sensor.limits.lowAlarm { slots.append(slot(low, .low, .low, 2)) }
        if let warn = sensor.limits.highWarn { slots.append(slot(warn, .high, .warning, 3)) }
        if let alarm = sensor.limits.highAlarm { slots.append(slot(alarm, .high, .alarm, 2)) }
        if let trip = sensor.limits.trip { slots.append(slot(trip, .high, .trip, 1)) }
    }

    /// The data-quality alarm: raised by the cell's agents when its data goes stale.
    static func stale(cell: String) -> AlarmSlot {
        AlarmSlot(sensor: -1, limit: 0, deadband: 0, direction: .stale, kind: .stale, priority: 3, cellID: cell, sensorID: "data")
    }

    /// Whether the reading is beyond the limit for `value`, with the deadband on the way back.
    func inAlarm(_ value: Double) -> Bool {
        switch direction {
        case .high: point.conditionActive ? value > limit - deadband : value > limit
        case .low: point.conditionActive ? value < limit + deadband : value < limit
        case .stale: point.conditionActive
        }
    }

    /// Notes that the point came into alarm at `time`, keeping only the rate window.
    mutating func noteActivation(at time: SimTime) {
        activations.append(time)
        if let first = activations.firstIndex(where: { time - $0 < AlarmRate.window }), first > 0 { activations.removeFirst(first) }
    }
}
