import AndonCore

/// The safety interlock: a reading beyond a hard limit holds the cell at once. Policy lets it run without
/// approval, but it is decided and recorded like any other proposal.
final class SafetyAgent: PlantAgent {
    let spec: AgentSpec
    private let cell: AgentCell
    private let cellIndex: Int
    private let tripped: [(index: Int, trip: Double)]
    private var episode = Episode()
    private var stale = StaleGuard()
    private var clearSince: SimTime?

    init(spec: AgentSpec, cell: CellSpec, cellIndex: Int) {
        self.spec = spec
        self.cell = AgentCell(cell)
        self.cellIndex = cellIndex
        tripped = cell.sensors.enumerated().compactMap { i, sensor in sensor.limits.trip.map { (i, $0) } }
    }

    func handle(_ input: AgentInput, view: any PlantView, output: inout AgentOutput) {
        guard stale.allows(age: view.dataAge(ofCellAt: cellIndex), limit: view.staleAfter, output: &output) else { return }
        guard case let .telemetry(frame, _) = input else { return }
        var over: (index: Int, trip: Double)?
        var allClear = true
        for limit in tripped {
            let value = frame.readings[limit.index]
            if value > limit.trip { over = limit }
            if value > limit.trip * 0.9 { allClear = false }
        }
        if let over, episode.raise(to: 1, at: view.now, coolDown: 0) {
            let sensor = cell.sensors[over.index]
            output.proposals.append(ProposalDraft(
                action: .holdCell, target: cell.id,
                rationale: "\(sensor.id) at \(Self.figure(frame.readings[over.index])) \(sensor.unit) is beyond its hard limit of \(Self.figure(over.trip)); hold \(cell.id) now",
                evidence: [Evidence(name: sensor.id, value: Self.round(frame.readings[over.index]), unit: sensor.unit, limit: over.trip)],
                risk: .critical, idempotencyKey: episode.key(spec.id, .holdCell)))
        } else if allClear, frame.state == .execute {
            // Only a cell that has run clear for a minute shows the condition has really cleared: an idle
            // one reads low anyway, and readings climb back over a few seconds once it runs again.
            let since = clearSince ?? view.now
            clearSince = since
            if view.now - since >= 60 { _ = episode.clear() }
        } else {
            clearSince = nil
        }
    }

    static func round(_ value: Double) -> Double { (value * 100).rounded() / 100 }
    static func figure(_ value: Double) -> String { String(round(value)) }
}
