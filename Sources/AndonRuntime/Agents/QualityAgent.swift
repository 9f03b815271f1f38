import AndonCore

/// Watches the scrap rate over the last parts: asks for a recalibration when it drifts, and for a
/// quarantine of recent parts when it runs away.
final class QualityAgent: PlantAgent {
    let spec: AgentSpec
    private let cell: AgentCell
    private let cellIndex: Int
    private var outcomes = [Bool](repeating: false, count: QualityAgent.window)
    private var head = 0
    private var count = 0
    private var scrapInWindow = 0
    private var lastProduced: Int?
    private var lastScrap = 0
    private var episode = Episode()
    private var stale = StaleGuard()
    private var keys: [String] = []
    static let window = 60

    init(spec: AgentSpec, cell: CellSpec, cellIndex: Int) {
        self.spec = spec
        self.cell = AgentCell(cell)
        self.cellIndex = cellIndex
    }

    func handle(_ input: AgentInput, view: any PlantView, output: inout AgentOutput) {
        guard stale.allows(age: view.dataAge(ofCellAt: cellIndex), limit: view.staleAfter, output: &output) else { return }
        switch input {
        case let .stateChanged(change, _) where change.reason == .recalibration && change.to == .held:
            resetWindow()
        case let .telemetry(frame, correlation):
            record(frame)
            evaluate(view: view, correlation: correlation, output: &output)
        default:
            break
        }
    }

    private func resetWindow() {
        count = 0
        scrapInWindow = 0
        head = 0
    }

    private func record(_ frame: TelemetryFrame) {
        defer { lastProduced = frame.produced; lastScrap = frame.scrap }
        guard let previous = lastProduced else { return }
        let newParts = max(0, frame.produced - previous)
        let newScrap = min(newParts, max(0, frame.scrap - lastScrap))
        for k in 0..<newParts { push(scrapped: k < newScrap) }
    }

    private func push(scrapped: Bool) {
        if count == Self.window, outcomes[head] { scrapInWindow -= 1 }
        outcomes[head] = scrapped
        if scrapped { scrapInWindow += 1 }
        head = (head + 1) % Self.window
        count = min(count + 1, Self.window)
    }

    private func evaluate(view: any PlantView, correlation: CorrelationID, output: inout AgentOutput) {
        guard count >= 30 else { return }
        let rate = Double(scrapInWindow) / Double(count)
        let baseline = cell.scrapRate
        var level = 0
        if rate >= max(3 * baseline, baseline + 0.03) { level = 1 }
        if rate >= max(6 * baseline, 0.12) { level = 2 }
        if level > 0, episode.raise(to: level, at: view.now, coolDown: 600) {
            let evidence = [Evidence(name: "scrap rate (last \(count) parts)", value: (rate * 1000).rounded() / 10, unit: "%", limit: baseline * 300),
                            Evidence(name: "baseline scrap", value: (baseline * 1000).rounded() / 10, unit: "%")]
            let draft: ProposalDraft
            if level == 1 {
                draft = ProposalDraft(action: .recalibrate, target: cell.id,
                                      rationale: "\(cell.id) scrap at \(Self.percent(rate)) against a \(Self.percent(baseline)) baseline; recalibrate",
                                      evidence: evidence, risk: .medium, idempotencyKey: episode.key(spec.id, .recalibrate))
            } else {
                draft = ProposalDraft(action: .quarantineBatch, parameters: ["parts": 20], target: cell.id,
                                      rationale: "\(cell.id) scrap at \(Self.percent(rate)): quarantine the last 20 parts for inspection",
                                      evidence: evidence, risk: .high, idempotencyKey: episode.key(spec.id, .quarantineBatch))
            }
            keys.append(draft.idempotencyKey)
            output.proposals.append(draft)
        } else if level == 0, rate < 2 * baseline + 0.01, episode.clear() {
            output.withdrawals.append(contentsOf: keys)
            keys.removeAll()
        }
    }

    static func percent(_ value: Double) -> String {
        "\((value * 1000).rounded() / 10)%"
    }
}
