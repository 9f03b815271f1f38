import AndonCore

/// A slow planning agent for a whole line, with **simulated** think time and jitter so that latency
/// budgets are really exercised: it compares the line's output with demand and proposes line-rate changes.
/// It takes only a few inputs from its mailbox per tick, so its telemetry mailbox overflows and drops the oldest.
///
/// It thinks quickly (well inside its budget) while its line runs, and hard while a cell of its line is broken down or
/// stopped and for a minute after: a plan then has more to weigh, so its budget is breached during the scenario's
/// incidents and not the rest of the shift.
final class PlannerAgent: PlantAgent {
    let spec: AgentSpec
    private let line: String
    private var rng: SeededRandom
    private var lastPlanAt: SimTime = 0
    private var plans = 0
    private var stale = StaleGuard()
    private let watchCell: Int
    static let interval = 1800.0
    /// Think time while the line runs: median 30 ms, 99th percentile about 70 ms.
    static let calmThink = (median: 0.03, sigma: 0.35)
    /// Think time while the line is disturbed: median 150 ms, about one decision in seven over a 250 ms budget.
    static let disturbedThink = (median: 0.15, sigma: 0.5)
    /// How long the line counts as disturbed after a cell was last seen down.
    static let disturbance = 60.0
    private var disturbedUntil: SimTime = -.infinity

    var isSimulated: Bool { true }
    var inputsPerTick: Int? { 4 }
    /// It weighs its line's output and its cells' states, not their readings.
    var readsReadings: Bool { false }

    init(spec: AgentSpec, line: String, cellIndex: Int, seed: UInt64) {
        self.spec = spec
        self.line = line
        watchCell = cellIndex
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in spec.id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
        rng = SeededRandom(seed: seed ^ hash)
    }

    func handle(_ input: AgentInput, view: any PlantView, output: inout AgentOutput) {
        if case let .telemetry(frame, _) = input, Self.isDown(frame.state) {
            disturbedUntil = view.now + Self.disturbance
        }
        let think = view.now < disturbedUntil ? Self.disturbedThink : Self.calmThink
        output.simulatedThinkSeconds = rng.logNormal(median: think.median, sigma: think.sigma)
        guard stale.allows(age: view.dataAge(ofCellAt: watchCell), limit: view.staleAfter, output: &output) else { return }
        guard view.now - lastPlanAt >= Self.interval, view.now >= 900, let rate = view.lineRate(of: line) else { return }
        lastPlanAt = view.now
        let ratio = rate.perHour / rate.demand
        var percent = 0.0
        if ratio < 0.92, rate.speed < 1.08 { percent = 8 }
        if ratio > 1.2, rate.speed > 0.8 { percent = -8 }
        guard percent != 0 else { return }
        plans += 1
        output.proposals.append(ProposalDraft(
            action: .adjustLineRate, parameters: ["percent": percent], target: line,
            rationale: "line \(line) makes \(Int(rate.perHour.rounded()))/h against demand \(Int(rate.demand.rounded()))/h; \(percent > 0 ? "raise" : "lower") its rate \(Int(abs(percent)))%",
            evidence: [Evidence(name: "output (rolling)", value: rate.perHour.rounded(), unit: "/h", limit: rate.demand),
                       Evidence(name: "mean speed", value: (rate.speed * 100).rounded(), unit: "%")],
            risk: percent > 0 ? .medium : .low, idempotencyKey: "\(spec.id)/adjust_line_rate/t\(Int(view.now))"))
    }
}

extension PlannerAgent {
    /// A cell broken down or stopped (not a short hold, not starved or blocked): the line's plan is in question.
    static func isDown(_ state: PackMLState) -> Bool {
        switch state {
        case .aborting, .aborted, .clearing, .stopping, .stopped: true
        default: false
        }
    }
}

/// Builds the agent for a definition.
enum AgentFactory {
    /// `cellIndex` is the index of `cell` in plant order.
    static func make(_ spec: AgentSpec, cell: CellSpec, cellIndex: Int, seed: UInt64) -> any PlantAgent {
        switch spec.kind {
        case .maintenance: MaintenanceAgent(spec: spec, cell: cell, cellIndex: cellIndex)
        case .quality: QualityAgent(spec: spec, cell: cell, cellIndex: cellIndex)
        case .flow: FlowAgent(spec: spec, cell: cell, cellIndex: cellIndex)
        case .safety: SafetyAgent(spec: spec, cell: cell, cellIndex: cellIndex)
        case .planner: PlannerAgent(spec: spec, line: cell.line, cellIndex: cellIndex, seed: seed)
        // The loader keeps outside agents out of cells: they propose over the service socket, not from a mailbox.
        case .external: preconditionFailure("outside agent \(spec.id) listed under cell \(cell.id): outside agents are not built in")
        }
    }
}
