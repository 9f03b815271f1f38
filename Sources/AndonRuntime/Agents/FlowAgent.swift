import AndonCore

/// Watches for a cell starved or blocked for long: asks the neighbour that could relieve it to run faster.
final class FlowAgent: PlantAgent {
    let spec: AgentSpec
    private let cell: AgentCell
    private let cellIndex: Int
    private var suspendedSince: SimTime?
    private var runningSince: SimTime?
    private var episode = Episode()
    private var stale = StaleGuard()
    private var keys: [String] = []
    static let patience = 120.0

    init(spec: AgentSpec, cell: CellSpec, cellIndex: Int) {
        self.spec = spec
        self.cell = AgentCell(cell)
        self.cellIndex = cellIndex
    }

    func handle(_ input: AgentInput, view: any PlantView, output: inout AgentOutput) {
        guard stale.allows(age: view.dataAge(ofCellAt: cellIndex), limit: view.staleAfter, output: &output) else { return }
        if case .telemetry = input { return }
        let status = view.status(ofCellAt: cellIndex)
        if status.state == .suspended, status.reason == .starved || status.reason == .blocked {
            runningSince = nil
            let since = suspendedSince ?? view.now
            suspendedSince = since
            guard view.now - since >= Self.patience else { return }
            let neighbours = view.neighbours(of: cell.id)
            let relief = status.reason == .starved ? neighbours.upstream : neighbours.downstream
            guard let relief, let reliefStatus = view.status(of: relief), reliefStatus.state == .execute, reliefStatus.speed < 1.1,
                  episode.raise(to: 1, at: view.now, coolDown: 600) else { return }
            let word = status.reason == .starved ? "starved" : "blocked"
            let draft = ProposalDraft(
                action: .rebalanceWIP, parameters: ["percent": 8], target: relief,
                rationale: "\(cell.id) \(word) for \(TimeText.duration(view.now - since)); run \(relief) 8% faster to rebalance WIP",
                evidence: [Evidence(name: "\(cell.id) \(word)", value: (view.now - since).rounded(), unit: "s", limit: Self.patience),
                           Evidence(name: "\(relief) speed", value: (reliefStatus.speed * 100).rounded(), unit: "%")],
                risk: .low, idempotencyKey: episode.key(spec.id, .rebalanceWIP))
            keys.append(draft.idempotencyKey)
            output.proposals.append(draft)
        } else if status.state == .execute {
            suspendedSince = nil
            let since = runningSince ?? view.now
            runningSince = since
            if view.now - since >= 30, episode.clear() {
                output.withdrawals.append(contentsOf: keys)
                keys.removeAll()
            }
        }
    }
}
