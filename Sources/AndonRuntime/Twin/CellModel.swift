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
    var history: [Float]
    var historyHead = 0
    var historyCount = 0
    static let historyLength = 60

    var produced = 0, good = 0, scrap = 0
    var clock: StateClock
    var lastTelemetry: SimTime = 0
    var telemetryLostUntil: SimTime = -1
    var alarms: [AlarmSlot]
    var dataQualityAlarm = AlarmPoint()
    var dataQualitySince: SimTime = 0
    var timeline: [StateSpan] = []

    init(spec: CellSpec, lineIndex: Int, upstream: Int?, downstream: Int?, windowMinutes: Int) {
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
        history = Array(repeating: 0, count: n * Self.historyLength)
        clock = StateClock(windowMinutes: windowMinutes)
        alarms = spec.sensors.enumerated().flatMap { index, sensor in AlarmSlot.slots(for: sensor, index: index, cell: spec.id) }
        timeline = [StateSpan(state: .execute, reason: .none, since: 0)]
    }

    var status: CellStatus { CellStatus(state: state, reason: reason) }

    mutating func recordHistory() {
        let n = spec.sensors.count
        for i in 0..<n {
            history[i * Self.historyLength + historyHead] = Float(values[i])
        }
        historyHead = (historyHead + 1) % Self.historyLength
        historyCount = min(historyCount + 1, Self.historyLength)
    }

    func history(sensor i: Int) -> [Float] {
        var out: [Float] = []
        out.reserveCapacity(historyCount)
        let start = (historyHead - historyCount + Self.historyLength) % Self.historyLength
        for k in 0..<historyCount {
            out.append(history[i * Self.historyLength + (start + k) % Self.historyLength])
        }
        return out
    }

    /// The most urgent active alarm.
    var topAlarm: AlarmSummary? {
        var best: AlarmSummary?
        for slot in alarms where slot.point.state.isActive {
            if best == nil || slot.priority < best!.priority || (slot.priority == best!.priority && slot.since > best!.since) {
                best = AlarmSummary(tag: slot.tag, priority: slot.priority, state: slot.point.state, message: slot.message, since: slot.since)
            }
        }
        if dataQualityAlarm.state.isActive, best == nil || best!.priority > 3 {
            best = AlarmSummary(tag: "\(spec.id).data.STALE", priority: 3, state: dataQualityAlarm.state, message: "data stale", since: dataQualitySince)
        }
        return best
    }

    var activeAlarmCount: Int {
        alarms.reduce(0) { $0 + ($1.point.state.isActive ? 1 : 0) } + (dataQualityAlarm.state.isActive ? 1 : 0)
    }
}

/// One alarm limit on one sensor.
struct AlarmSlot {
    enum Direction { case high, low }
    let sensor: Int
    let limit: Double
    let deadband: Double
    let direction: Direction
    let priority: AlarmPriority
    let tag: String
    let message: String
    var point = AlarmPoint()
    var since: SimTime = 0

    static func slots(for sensor: SensorSpec, index: Int, cell: String) -> [AlarmSlot] {
        let band = max(abs(sensor.nominal) * 0.03, 0.01)
        var slots: [AlarmSlot] = []
        if let low = sensor.limits.lowAlarm {
            slots.append(AlarmSlot(sensor: index, limit: low, deadband: band, direction: .low, priority: 2,
                                   tag: "\(cell).\(sensor.id).LO", message: "\(sensor.id) low"))
        }
        if let warn = sensor.limits.highWarn {
            slots.append(AlarmSlot(sensor: index, limit: warn, deadband: band, direction: .high, priority: 3,
                                   tag: "\(cell).\(sensor.id).HI", message: "\(sensor.id) high"))
        }
        if let alarm = sensor.limits.highAlarm {
            slots.append(AlarmSlot(sensor: index, limit: alarm, deadband: band, direction: .high, priority: 2,
                                   tag: "\(cell).\(sensor.id).HIHI", message: "\(sensor.id) very high"))
        }
        if let trip = sensor.limits.trip {
            slots.append(AlarmSlot(sensor: index, limit: trip, deadband: band, direction: .high, priority: 1,
                                   tag: "\(cell).\(sensor.id).TRIP", message: "\(sensor.id) beyond hard limit"))
        }
        return slots
    }

    /// Whether the condition is in alarm for `value`, with a deadband on the way back.
    func inAlarm(_ value: Double) -> Bool {
        switch direction {
        case .high: point.conditionActive ? value > limit - deadband : value > limit
        case .low: point.conditionActive ? value < limit + deadband : value < limit
        }
    }
}
