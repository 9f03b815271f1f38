import AndonCore
import Foundation

/// The JSON report of a headless run. Everything outside `measured` is a function of plant, scenario,
/// seed and duration only, so two runs with the same inputs give byte-identical text there.
public struct RunReport: Codable, Sendable {
    /// Per-cell figures.
    public struct CellFigures: Codable, Sendable {
        public var stateSeconds: [String: Double]
        public var oee: Factors
        public var produced: Int
        public var good: Int
        public var scrap: Int
        public var finalState: String
    }

    /// OEE and its three factors, rounded.
    public struct Factors: Codable, Sendable {
        public var oee: Double
        public var availability: Double
        public var performance: Double
        public var quality: Double

        init(_ oee: OEE) {
            self.oee = RunReport.round(oee.value)
            availability = RunReport.round(oee.availability)
            performance = RunReport.round(oee.performance)
            quality = RunReport.round(oee.quality)
        }
    }

    /// Per-line figures.
    public struct LineFigures: Codable, Sendable {
        public var oee: Factors
        public var output: Int
        public var ledger: PartsLedger
    }

    /// Per-queue figures.
    public struct QueueFigures: Codable, Sendable {
        public var kind: String
        public var capacity: Int
        public var highWater: Int
        public var drops: Int
        public var waits: Int
    }

    /// Per-agent figures.
    public struct AgentFigures: Codable, Sendable {
        public var kind: String
        public var mode: String
        public var proposalsByAction: [String: Int]
        public var shadow: Int
        /// An outside agent's proposals refused before the policy (malformed content, a reused key), and refused for
        /// its rate; absent for built-in agents.
        public var refused: Int? = nil
        public var throttled: Int? = nil
    }

    /// Governance figures.
    public struct Decisions: Codable, Sendable {
        public var byOutcome: [String: Int]
        public var byRule: [String: Int]
        public var shadow: Int
        public var undecided: Int
        public var executed: Int
        public var approvalsByState: [String: Int]
        public var timeToDecisionSeconds: [String: Double]
    }

    /// Real-time figures: these vary between runs.
    public struct Measured: Codable, Sendable {
        public var wallSeconds: Double
        public var eventsPerSecond: Double
        public var simulatedSecondsPerWallSecond: Double
        public var agents: [String: AgentLatency]
        /// The audit log's head at the end of the run (its hash covers wall-clock stamps): keep it outside the log.
        public var auditHead: AuditHead?
    }

    /// Latency of one agent, milliseconds.
    public struct AgentLatency: Codable, Sendable {
        public var p50Ms: Double
        public var p90Ms: Double
        public var p99Ms: Double
        public var maxMs: Double
        public var budgetMs: Double
        public var breaches: Int
        public var decisions: Int
        public var simulated: Bool
    }

    public var plant: String
    public var scenario: String
    public var seed: UInt64
    public var simulatedSeconds: Double
    public var events: UInt64
    public var proposals: Int
    public var alarms: Int
    public var cells: [String: CellFigures]
    public var lines: [String: LineFigures]
    public var queues: [String: QueueFigures]
    public var agents: [String: AgentFigures]
    public var decisions: Decisions
    public var measured: Measured
    /// What an external telemetry stream brought (`andon run`); absent for the simulator.
    public var telemetry: TelemetryFigures? = nil
    /// What the audit trail went through: records committed and unwritten, refused commits, the log's head.
    public var audit: AuditFigures? = nil

    static func round(_ value: Double, places: Double = 10_000) -> Double { (value * places).rounded() / places }

    /// The report as pretty JSON with sorted keys.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard let data = try? encoder.encode(self), let text = String(data: data, encoding: .utf8) else { return "{}" }
        return text
    }
}

extension PlantEngine {
    /// Builds the report of the run so far; with `door`, the figures of the external stream it was fed.
    public func report(scenarioName: String, wallSeconds: Double, door: TelemetryDoorFigures? = nil) -> RunReport {
        var cells: [String: RunReport.CellFigures] = [:]
        for cell in twin.cells {
            var seconds: [String: Double] = [:]
            for (k, state) in PackMLState.allCases.enumerated() where cell.clock.secondsInState[k] > 0 {
                seconds[state.rawValue] = RunReport.round(cell.clock.secondsInState[k], places: 1)
            }
            cells[cell.spec.id] = RunReport.CellFigures(stateSeconds: seconds, oee: .init(cell.clock.shiftOEE(idealCycle: cell.spec.cycleSeconds)),
                                                        produced: cell.produced, good: cell.good, scrap: cell.scrap, finalState: cell.state.rawValue)
        }
        let ledgers = twin.ledgers
        var lines: [String: RunReport.LineFigures] = [:]
        for (l, line) in twin.lines.enumerated() {
            lines[line.spec.id] = RunReport.LineFigures(oee: .init(line.clock.shiftOEE(idealCycle: line.idealCycle)), output: line.finished, ledger: ledgers[l])
        }
        var queues: [String: RunReport.QueueFigures] = [:]
        for q in queueSnapshots {
            queues[q.id] = RunReport.QueueFigures(kind: q.kind.rawValue, capacity: q.capacity, highWater: q.highWater, drops: q.drops, waits: q.waits)
        }
        var agents: [String: RunReport.AgentFigures] = [:]
        var latency: [String: RunReport.AgentLatency] = [:]
        for slot in slots {
            let spec = slot.agent.spec
            agents[spec.id] = RunReport.AgentFigures(kind: spec.kind.rawValue, mode: slot.mode.rawValue,
                                                     proposalsByAction: Dictionary(uniqueKeysWithValues: slot.byAction.map { ($0.key.rawValue, $0.value) }),
                                                     shadow: slot.shadow)
            let p = slot.latency.exact
            latency[spec.id] = RunReport.AgentLatency(p50Ms: RunReport.round(p.p50 * 1000), p90Ms: RunReport.round(p.p90 * 1000), p99Ms: RunReport.round(p.p99 * 1000),
                                                      maxMs: RunReport.round(p.max * 1000), budgetMs: spec.budgetSeconds * 1000, breaches: slot.latency.breaches,
                                                      decisions: slot.latency.decisions, simulated: slot.agent.isSimulated)
        }
        for id in outside.order {
            guard let agent = outside.byID[id] else { continue }
            let spec = agent.spec
            let byAction = agent.keys.values.reduce(into: [String: Int]()) { $0[$1.proposal.action.rawValue, default: 0] += 1 }
            agents[id] = RunReport.AgentFigures(kind: AgentKind.external.rawValue, mode: spec.mode.rawValue, proposalsByAction: byAction,
                                                shadow: agent.keys.values.filter(\.proposal.isShadow).count, refused: agent.refused,
                                                throttled: agent.throttled)
            let p = agent.latency.exact
            latency[id] = RunReport.AgentLatency(p50Ms: RunReport.round(p.p50 * 1000), p90Ms: RunReport.round(p.p90 * 1000), p99Ms: RunReport.round(p.p99 * 1000),
                                                 maxMs: RunReport.round(p.max * 1000), budgetMs: spec.budgetSeconds * 1000, breaches: agent.latency.breaches,
                                                 decisions: agent.latency.decisions, simulated: false)
        }
        // Pending approvals and the most recent decided ones the book keeps (it may hold a few more between trims).
        var byState: [String: Int] = [:]
        var decided = 0
        for approval in desk.book.all.reversed() {
            if approval.state.isFinal {
                guard decided < GovernanceDesk.decidedKept else { continue }
                decided += 1
            }
            byState[approval.state.rawValue, default: 0] += 1
        }
        let waits = desk.tally.timeToDecision.sorted()
        func percentile(_ p: Double) -> Double {
            RunReport.round(nearestRank(waits, percentile: p) ?? 0, places: 10)
        }
        let decisions = RunReport.Decisions(byOutcome: desk.tally.decisionsByOutcome, byRule: desk.tally.decisionsByRule, shadow: desk.tally.shadowDecisions,
                                            undecided: desk.tally.undecided, executed: desk.tally.executed, approvalsByState: byState,
                                            timeToDecisionSeconds: ["p50": percentile(50), "p90": percentile(90), "p99": percentile(99), "max": waits.last ?? 0])
        let simulated = twin.time - options.startTime
        let measured = RunReport.Measured(wallSeconds: RunReport.round(wallSeconds, places: 1000),
                                          eventsPerSecond: wallSeconds > 0 ? (Double(events.count) / wallSeconds).rounded() : 0,
                                          simulatedSecondsPerWallSecond: wallSeconds > 0 ? (simulated / wallSeconds).rounded() : 0, agents: latency,
                                          auditHead: auditHead)
        return RunReport(plant: plant.id, scenario: scenarioName, seed: options.seed, simulatedSeconds: simulated, events: events.count,
                         proposals: proposalCount, alarms: alarmCount, cells: cells, lines: lines, queues: queues, agents: agents,
                         decisions: decisions, measured: measured, telemetry: door.map(telemetryFigures), audit: trail.isRecording ? auditFigures : nil)
    }
}
