import AndonCore
@testable import AndonConsole

/// Fixture plants for the console tests.
enum Fixtures {
    static let supervisor = Person(name: "ana", role: .supervisor)
    static let observer = Person(name: "olga", role: .observer)
    static let now: SimTime = 3725

    static func oee(_ value: Double) -> OEE { OEE(availability: 1, performance: 1, quality: value) }

    static func cell(_ id: String, line: String, status: CellStatus = .exec, oee value: Double = 0.82, alarm: AlarmSummary? = nil,
                     stale: Bool = false, speed: Double = 100) -> CellSnapshot {
        let state: PackMLState, reason: StateReason
        switch status {
        case .held: (state, reason) = (.held, .fault)
        case .starved: (state, reason) = (.suspended, .starved)
        case .blocked: (state, reason) = (.suspended, .blocked)
        case .aborted: (state, reason) = (.aborted, .breakdown)
        case .stopped: (state, reason) = (.stopped, .maintenance)
        default: (state, reason) = (.execute, .none)
        }
        let sensors = [
            SensorReading(id: "spindle_vibration", kind: .vibration, value: alarm == nil ? 1.8 : 7.4, nominal: 1.5,
                          limits: SensorLimits(highWarn: 4.5, highAlarm: 7.1, trip: 11), history: (0..<40).map { 1.5 + Float($0 % 7) * 0.2 }),
            SensorReading(id: "bearing_temp", kind: .temperature, value: 61, nominal: 55,
                          limits: SensorLimits(highWarn: 80, highAlarm: 90), history: (0..<40).map { 55 + Float($0) * 0.15 }),
        ]
        return CellSnapshot(id: id, name: "Cell \(id)", line: line, kind: "cnc", state: state, reason: reason, status: status,
                            shiftOEE: oee(value), rollingOEE: oee(value - 0.02), produced: 1200, good: 1188, scrap: 12,
                            speedPercent: speed, topAlarm: alarm, activeAlarms: alarm == nil ? 0 : 1, dataAge: stale ? 42 : 1,
                            isStale: stale, sensors: sensors,
                            timeline: [StateSpan(state: .execute, reason: .none, since: 0), StateSpan(state: state, reason: reason, since: 3500)],
                            alarms: alarm.map { [$0] } ?? [], recentAlarmActivations: alarm == nil ? 0 : 1)
    }

    static func alarm(_ tag: String, _ priority: Int, _ message: String, state: AlarmState = .unacknowledged) -> AlarmSummary {
        let parts = tag.split(separator: ".").map(String.init)
        let kind: AlarmLimitKind = switch priority {
        case 1: .trip
        case 2: .alarm
        default: .warning
        }
        return AlarmSummary(tag: tag, priority: priority, state: state, message: message, since: 3600, cell: parts[0], point: parts[1],
                            limitKind: kind, value: 7.4, limit: 7.1, unit: "mm/s")
    }

    static func approval(_ id: String, action: ActionKind, target: String, line: String, risk: RiskClass, deadline: SimTime,
                         quorum: Int = 1, signatures: [ApprovalSignature] = [], reasonRequired: Bool = false, escalated: Bool = false,
                         signatureRequired: Bool = false, rationale: String) -> ApprovalSnapshot {
        let proposal = Proposal(id: id, action: action, parameters: action == .reduceSpeed ? ["percent": 20] : [:], target: target,
                                line: line, rationale: rationale,
                                evidence: [Evidence(name: "spindle_vibration (EWMA)", value: 7.4, unit: "mm/s", limit: 7.1)], risk: risk,
                                idempotencyKey: "k-\(id)", agentID: "\(target).maint", agentKind: .maintenance, agentVersion: "1.2",
                                correlationID: CorrelationID("c-\(id)"), createdAt: 3600)
        let requirement = ApprovalRequirement(roles: [.supervisor], quorum: quorum, distinct: quorum > 1, timeoutSeconds: 300,
                                              reasonRequired: reasonRequired, signatureRequired: signatureRequired)
        let decision = Decision(proposalID: id, outcome: .approve, ruleIDs: ["stop-needs-supervisor"],
                                reasons: ["stopping a cell needs a supervisor"], requirement: requirement,
                                policyVersion: "demo-3", policyHash: "ab12cd34ef56ab12cd34ef56")
        return ApprovalSnapshot(id: id, proposal: proposal, decision: decision, requestedAt: 3600, deadline: deadline, state: .pending,
                                signatures: signatures, isEscalated: escalated, roles: [.supervisor], outcome: nil)
    }

    /// Three lines of six cells, with alarms, a stale cell, and high and critical approvals pending.
    static func smallPlant() -> PlantSnapshot {
        var cells: [CellSnapshot] = []
        var lines: [LineSnapshot] = []
        for (index, line) in ["A", "B", "C"].enumerated() {
            var ids: [String] = []
            for n in 1...6 {
                let id = "\(line)\(n)"
                ids.append(id)
                let cell: CellSnapshot = switch id {
                case "A2": Fixtures.cell(id, line: line, oee: 0.71, speed: 80)
                case "A4": Fixtures.cell(id, line: line, status: .starved, oee: 0.55)
                case "B2": Fixtures.cell(id, line: line, status: .held, oee: 0.48, alarm: alarm("B2.vibration.HI", 2, "vibration HI"))
                case "B5": Fixtures.cell(id, line: line, oee: 0.80, stale: true)
                case "C3": Fixtures.cell(id, line: line, status: .blocked, oee: 0.62)
                case "C5": Fixtures.cell(id, line: line, status: .aborted, oee: 0.31, alarm: alarm("C5.temp.TRIP", 1, "bearing temp TRIP"))
                case "C6": Fixtures.cell(id, line: line, oee: 0.79, alarm: alarm("C6.load.WARN", 3, "spindle load high"))
                default: Fixtures.cell(id, line: line, oee: 0.80 + Double(n) / 100)
                }
                cells.append(cell)
            }
            lines.append(LineSnapshot(id: line, name: "Line \(line)", cells: ids, shiftOEE: oee(0.74 - Double(index) * 0.05),
                                      rollingOEE: oee(0.7), output: 1100 + index * 7, taktSeconds: 30))
        }
        let approvals = [
            approval("p-3", action: .reduceSpeed, target: "A2", line: "A", risk: .medium, deadline: now + 250,
                     rationale: "vibration trending up; slowing down buys time"),
            approval("p-1", action: .stopCell, target: "B2", line: "B", risk: .high, deadline: now + 161, quorum: 2,
                     signatures: [ApprovalSignature(person: Person(name: "ben", role: .supervisor), at: 3650)], reasonRequired: true,
                     rationale: "vibration 7.4 mm/s above the 7.1 alarm limit for 4 minutes"),
            approval("p-2", action: .holdCell, target: "C5", line: "C", risk: .critical, deadline: now + 25, escalated: true,
                     rationale: "bearing temperature at trip limit"),
        ]
        let queues = [
            QueueSnapshot(id: "A1→A2", kind: .wip, capacity: 20, depth: 12, highWater: 18, drops: 0),
            QueueSnapshot(id: "B1→B2", kind: .wip, capacity: 20, depth: 20, highWater: 20, drops: 0, waits: 14),
            QueueSnapshot(id: "C2→C3", kind: .wip, capacity: 20, depth: 3, highWater: 11, drops: 0),
            QueueSnapshot(id: "bus.telemetry", kind: .mailbox, capacity: 4096, depth: 130, highWater: 900, drops: 12),
            QueueSnapshot(id: "policy", kind: .mailbox, capacity: 1024, depth: 0, highWater: 8, drops: 0),
        ]
        let agents = [
            AgentSnapshot(id: "B2.maint", cell: "B2", kind: .maintenance, version: "1.2", mode: .active, budgetSeconds: 0.005,
                          p50: 0.0004, p90: 0.0009, p99: 0.0012, max: 0.003, breaches: 0, decisions: 4000, proposals: 3,
                          recentP99: [0.001, 0.0012, 0.0011, 0.0013, 0.0012, 0.001], isSimulated: false),
            AgentSnapshot(id: "C5.safety", cell: "C5", kind: .safety, version: "1.0", mode: .active, budgetSeconds: 0.001,
                          p50: 0.0002, p90: 0.0004, p99: 0.0009, max: 0.0011, breaches: 0, decisions: 4000, proposals: 1,
                          recentP99: [0.0005, 0.0006, 0.0009, 0.0009], isSimulated: false),
            AgentSnapshot(id: "A.planner", cell: "A1", kind: .planner, version: "0.9", mode: .shadow, budgetSeconds: 2,
                          p50: 0.9, p90: 1.8, p99: 2.6, max: 3.1, breaches: 7, decisions: 120, proposals: 4,
                          recentP99: [1.2, 1.5, 1.9, 2.4, 2.6, 3.0, 2.2], isSimulated: true),
        ]
        return PlantSnapshot(plantID: "demo", plantName: "Demo Plant", time: now, shiftSeconds: 28800, isPaused: false, lines: lines,
                             cells: cells, queues: queues, agents: agents, approvals: approvals, policyVersion: "demo-3",
                             audit: AuditHealth(isHealthy: true, records: 1234, location: ":memory:"), isKillSwitchOn: false,
                             telemetryRejects: 3, proposals: 11)
    }

    /// The small plant fed by a telemetry file: a few rejects by reason, the recent rejected lines, and the accepted count.
    static func plantWithRejects() -> PlantSnapshot {
        var plant = smallPlant()
        plant.telemetryRejects = 6
        plant.telemetryAccepted = 1482
        plant.telemetryRejectReasons = ["wrong_unit": 1, "duplicate": 3, "unknown_cell": 2]
        plant.recentTelemetryRejects = [
            RejectedLine(line: 17, reason: .duplicate, detail: "sequence 41 from press-a already applied",
                         original: #"{"v":1,"source":"press-a","seq":41,"cell":"A2","sensor":"spindle_vibration","value":1.9}"#),
            RejectedLine(line: 230, reason: .unknownCell, detail: "no cell Z9 in the plant",
                         original: #"{"v":1,"source":"press-b","seq":7,"cell":"Z9","state":"Execute"}"#),
            RejectedLine(line: 1041, reason: .wrongUnit, detail: "bearing_temp is in °C, not °F",
                         original: "{\"v\":1,\"cell\":\"B2\",\"sensor\":\"bearing_temp\",\"value\":143,\"unit\":\"°F\"}\t"),
        ]
        return plant
    }

    /// Events for the small plant, oldest first.
    static func events() -> [EventEnvelope] {
        let p1 = smallPlant().approvals.first { $0.id == "p-1" }!
        return [
            EventEnvelope(sequence: 1, time: 3500, cell: "B2", correlationID: CorrelationID("c-p-1"),
                          body: .alarm(AlarmChange(tag: "B2.vibration.HI", priority: 2, state: .unacknowledged, message: "vibration HI"))),
            EventEnvelope(sequence: 2, time: 3600, cell: "B2", correlationID: CorrelationID("c-p-1"), body: .proposal(p1.proposal)),
            EventEnvelope(sequence: 3, time: 3600, cell: "B2", correlationID: CorrelationID("c-p-1"), body: .decision(p1.decision)),
            EventEnvelope(sequence: 4, time: 3650, cell: "B2", correlationID: CorrelationID("c-p-1"),
                          body: .approval(ApprovalChange(approvalID: "p-1", state: .pending, detail: "approved by ben (supervisor), 1/2"))),
            EventEnvelope(sequence: 5, time: 3700, cell: "A4", correlationID: CorrelationID("c-9"),
                          body: .stateChanged(StateChange(from: .execute, to: .suspended, reason: .starved))),
            EventEnvelope(sequence: 6, time: 3710, cell: nil, correlationID: CorrelationID("c-10"),
                          body: .notice(kind: "policy", message: "policy demo-3 loaded")),
        ]
    }

    /// A plant of `lines` × `cellsPerLine` cells with nothing pending.
    static func largePlant(lines lineCount: Int = 100, cellsPerLine: Int = 100) -> PlantSnapshot {
        var plant = smallPlant()
        var cells: [CellSnapshot] = []
        var lines: [LineSnapshot] = []
        cells.reserveCapacity(lineCount * cellsPerLine)
        let template = cell("X", line: "X")
        for l in 0..<lineCount {
            let lineID = "L\(l)"
            var ids: [String] = []
            for c in 0..<cellsPerLine {
                var copy = template
                copy.id = "\(lineID).\(c)"
                copy.line = lineID
                ids.append(copy.id)
                cells.append(copy)
            }
            lines.append(LineSnapshot(id: lineID, name: "Line \(l)", cells: ids, shiftOEE: oee(0.7), rollingOEE: oee(0.7), output: 0, taktSeconds: 30))
        }
        plant.cells = cells
        plant.lines = lines
        return plant
    }
}
