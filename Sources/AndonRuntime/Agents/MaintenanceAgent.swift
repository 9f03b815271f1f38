import AndonCore
import Foundation

/// Watches vibration and temperature trends: reduces speed at the warning limit, asks for a maintenance
/// stop at the alarm limit, and for an immediate stop near the hard limit. Restores speed once healthy.
final class MaintenanceAgent: PlantAgent {
    let spec: AgentSpec
    private let cell: AgentCell
    private let cellIndex: Int
    private let vibration: Int?
    private let temperature: Int?
    private var vibrationAverage: Double?
    private var temperatureAverage: Double?
    private var episode = Episode()
    private var stale = StaleGuard()
    private var keys: [String] = []
    private var restores = 0
    private var lastRestoreAt: SimTime = -.infinity
    static let smoothing = 0.1

    init(spec: AgentSpec, cell: CellSpec, cellIndex: Int) {
        self.spec = spec
        self.cell = AgentCell(cell)
        self.cellIndex = cellIndex
        vibration = cell.sensors.firstIndex { $0.kind == .vibration && $0.limits.highWarn != nil }
        temperature = cell.sensors.firstIndex { $0.kind == .temperature && $0.limits.highWarn != nil }
    }

    func handle(_ input: AgentInput, view: any PlantView, output: inout AgentOutput) {
        guard stale.allows(age: view.dataAge(ofCellAt: cellIndex), limit: view.staleAfter, output: &output) else { return }
        guard case let .telemetry(frame, correlation) = input, frame.state == .execute else { return }
        if let v = vibration { vibrationAverage = Self.smooth(vibrationAverage, frame.readings[v]) }
        if let t = temperature { temperatureAverage = Self.smooth(temperatureAverage, frame.readings[t]) }
        let (level, ratio) = currentLevel()
        if level > 0 {
            if episode.raise(to: level, at: view.now, coolDown: 300) {
                propose(level: level, correlation: correlation, output: &output)
            }
        } else if ratio < 0.9, episode.clear() {
            output.withdrawals.append(contentsOf: keys)
            keys.removeAll()
        }
        let speed = view.status(ofCellAt: cellIndex).speed
        if !episode.isActive, ratio < 0.6, speed < 0.99, view.now - lastRestoreAt > 600 {
            lastRestoreAt = view.now
            restores += 1
            // The change is the points of design speed given back (from 90% to 100%: 10), so policy can weigh it.
            output.proposals.append(ProposalDraft(
                action: .restoreSpeed, parameters: ["percent": ((1 - speed) * 100).rounded()], target: cell.id,
                rationale: "\(cell.id) vibration back to \(Int(ratio * 100))% of its warning limit; speed can return to 100%",
                evidence: evidence(), risk: .low, idempotencyKey: "\(spec.id)/restore_speed/t\(Int(view.now))"))
        }
    }

    private static func smooth(_ average: Double?, _ value: Double) -> Double {
        guard let average else { return value }
        return average + smoothing * (value - average)
    }

    /// 0 healthy, 1 warning, 2 alarm, 3 near the hard limit; and the worst ratio to a warning limit.
    private func currentLevel() -> (Int, Double) {
        var level = 0
        var ratio = 0.0
        if let v = vibration, let average = vibrationAverage {
            let limits = cell.sensors[v].limits
            let warn = limits.highWarn!
            ratio = max(ratio, average / warn)
            if average > warn { level = 1 }
            if let alarm = limits.highAlarm, average > alarm { level = 2 }
            if let trip = limits.trip, average > trip * 0.9 { level = 3 }
        }
        if let t = temperature, let average = temperatureAverage {
            let limits = cell.sensors[t].limits
            let warn = limits.highWarn!
            ratio = max(ratio, average / warn)
            if average > warn { level = max(level, 1) }
            if let alarm = limits.highAlarm, average > alarm { level = max(level, 2) }
        }
        return (level, ratio)
    }

    private func evidence() -> [Evidence] {
        var figures: [Evidence] = []
        if let v = vibration, let average = vibrationAverage {
            figures.append(Evidence(name: "\(cell.sensors[v].id) (EWMA)", value: (average * 100).rounded() / 100, unit: "mm/s", limit: cell.sensors[v].limits.highWarn))
        }
        if let t = temperature, let average = temperatureAverage {
            figures.append(Evidence(name: "\(cell.sensors[t].id) (EWMA)", value: (average * 10).rounded() / 10, unit: "°C", limit: cell.sensors[t].limits.highWarn))
        }
        return figures
    }

    private func propose(level: Int, correlation: CorrelationID, output: inout AgentOutput) {
        let draft: ProposalDraft
        switch level {
        case 1:
            draft = ProposalDraft(action: .reduceSpeed, parameters: ["percent": 10], target: cell.id,
                                  rationale: "\(cell.id) running above its warning limit; 10% less speed cuts vibration by about a fifth",
                                  evidence: evidence(), risk: .low, idempotencyKey: episode.key(spec.id, .reduceSpeed))
        case 2:
            draft = ProposalDraft(action: .scheduleMaintenance, parameters: ["minutes": 20], target: cell.id,
                                  rationale: "\(cell.id) above its alarm limit; bearing wear likely: 20 min maintenance stop",
                                  evidence: evidence(), risk: .high, idempotencyKey: episode.key(spec.id, .scheduleMaintenance))
        default:
            draft = ProposalDraft(action: .stopCell, target: cell.id,
                                  rationale: "\(cell.id) close to its hard limit; stop now for inspection before damage",
                                  evidence: evidence(), risk: .critical, idempotencyKey: episode.key(spec.id, .stopCell))
        }
        keys.append(draft.idempotencyKey)
        output.proposals.append(draft)
    }
}
