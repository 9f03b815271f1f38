import AndonCore

extension PlantEngine {
    /// Runs every agent on what its mailbox holds: safety interlocks first, the slow planner last.
    /// With `tick`, each agent is first handed the periodic check for that time, as its turn comes, so the check's
    /// latency is the agent's own work rather than a wait behind every agent that runs before it.
    /// With `keepingUp`, only agents that keep up with their mailbox run (a slow agent's share of a tick is spent).
    /// An agent's turn comes when the decisions before it have ended: its check is stamped with the clock reading
    /// that ended the last of them (one reading fewer per agent), or one taken now when none has run since.
    func runAgents(keepingUp: Bool = false, tick: SimTime? = nil) {
        var turn = Monotonic.now()
        for s in runOrder where slots[s].mode != .off {
            if let tick {
                turn = Swift.max(turn, lastDecisionEnd)
                deliver(.tick(at: tick), to: s, at: turn)
            }
            guard !slots[s].mailbox.isEmpty else { continue }
            guard let limit = slots[s].inputsPerTick else {
                runAgent(s, limit: Int.max)
                continue
            }
            if !keepingUp { runAgent(s, limit: limit) }
        }
    }

    /// Lets one agent take up to `limit` inputs from its mailbox, timing each decision.
    func runAgent(_ s: Int, limit: Int) {
        var taken = 0
        while taken < limit, let delivery = slots[s].mailbox.take() {
            taken += 1
            decide(s, on: delivery.input, deliveredAt: delivery.enqueuedAt)
        }
    }

    /// One decision of agent `s` on `input`, timed from `deliveredAt` until what it decided has left it.
    @inline(__always)
    func decide(_ s: Int, on input: AgentInput, deliveredAt: UInt64) {
        output.reset()
        slots[s].calls._withUnsafeGuaranteedRef { $0.agent.handle(input, view: AgentView(engine: self), output: &output) }
        if !output.proposals.isEmpty {
            let correlation = input.correlation(at: twin.time)
            for draft in output.proposals { submit(draft, from: s, correlation: correlation) }
        }
        // The decision has left the agent: stop the clock.
        let end = Monotonic.now()
        lastDecisionEnd = end
        let elapsed = end &- deliveredAt
        slots[s].latency.record(nanos: elapsed &+ (output.simulatedThinkSeconds > 0 ? UInt64(output.simulatedThinkSeconds * 1e9) : 0))
        if !output.withdrawals.isEmpty {
            let withdrawals = output.withdrawals
            for key in withdrawals { desk.withdraw(key: key) }
        }
        if let dataQuality = output.dataQuality { twin.setDataQualityAlarm(slots[s].cellIndex, active: dataQuality) }
    }

    /// Takes every proposal waiting for the policy to the governance desk.
    func processDecisions() {
        while let proposal = decisionQueue.take() { desk.decide(proposal) }
    }

    private func submit(_ draft: ProposalDraft, from s: Int, correlation: CorrelationID) {
        let spec = slots[s].agent.spec
        proposalCount += 1
        let isShadow = desk.isShadow(draft.action, from: spec, mode: slots[s].mode)
        let line = twin.cellIndex[draft.target].map { twin.lines[twin.cells[$0].lineIndex].spec.id } ?? draft.target
        let proposal = Proposal(id: "p-\(options.runNumber)-\(proposalCount)", action: draft.action, parameters: draft.parameters, target: draft.target,
                                line: line, rationale: draft.rationale, evidence: draft.evidence, risk: draft.risk,
                                idempotencyKey: draft.idempotencyKey, agentID: spec.id, agentKind: spec.kind,
                                agentVersion: spec.version, correlationID: correlation, createdAt: twin.time, isShadow: isShadow)
        slots[s].proposals += 1
        slots[s].byAction[draft.action, default: 0] += 1
        if isShadow { slots[s].shadow += 1 }
        while decisionQueue.offer(proposal, policy: .producerWaits) == .full {
            processDecisions()
        }
    }
}

/// The engine as its agents see it during a decision. The engine itself would do, but handed over as `any PlantView`
/// it is retained and released around every decision, two atomic operations of the few a decision costs; this view
/// holds it without a reference count. It is valid for the call it is handed to (an agent keeps nothing of it: its
/// inputs and the view's answers are what it keeps).
struct AgentView: PlantView {
    /// The engine, neither retained by the view nor around each answer (an `unowned(unsafe)` reference is still
    /// retained and released around every use of it: two atomic operations in each of the calls below).
    let engine: Unmanaged<PlantEngine>

    init(engine: PlantEngine) {
        self.engine = Unmanaged.passUnretained(engine)
    }

    var now: SimTime { engine._withUnsafeGuaranteedRef { $0.now } }
    var staleAfter: Double { engine._withUnsafeGuaranteedRef { $0.staleAfter } }
    func dataAge(of cell: String) -> Double { engine._withUnsafeGuaranteedRef { $0.dataAge(of: cell) } }
    func dataAge(ofCellAt index: Int) -> Double { engine._withUnsafeGuaranteedRef { $0.dataAge(ofCellAt: index) } }
    func status(of cell: String) -> (state: PackMLState, reason: StateReason, speed: Double)? {
        engine._withUnsafeGuaranteedRef { $0.status(of: cell) }
    }
    func status(ofCellAt index: Int) -> (state: PackMLState, reason: StateReason, speed: Double) {
        engine._withUnsafeGuaranteedRef { $0.status(ofCellAt: index) }
    }
    func neighbours(of cell: String) -> (upstream: String?, downstream: String?) { engine._withUnsafeGuaranteedRef { $0.neighbours(of: cell) } }
    func lineRate(of line: String) -> (perHour: Double, demand: Double, speed: Double)? {
        engine._withUnsafeGuaranteedRef { $0.lineRate(of: line) }
    }
}

extension PlantEngine: PlantView {
    public var now: SimTime { twin.time }
    public var staleAfter: Double { plant.staleAfterSeconds }

    public func dataAge(of cell: String) -> Double {
        twin.cellIndex[cell].map { twin.dataAge($0) } ?? .infinity
    }

    public func dataAge(ofCellAt index: Int) -> Double {
        twin.dataAge(index)
    }

    public func status(of cell: String) -> (state: PackMLState, reason: StateReason, speed: Double)? {
        twin.cellIndex[cell].map { status(ofCellAt: $0) }
    }

    public func status(ofCellAt index: Int) -> (state: PackMLState, reason: StateReason, speed: Double) {
        (twin.cells[index].state, twin.cells[index].reason, twin.cells[index].speed)
    }

    public func neighbours(of cell: String) -> (upstream: String?, downstream: String?) {
        guard let i = twin.cellIndex[cell] else { return (nil, nil) }
        let line = twin.lines[twin.cells[i].lineIndex].cells
        return (i > line.lowerBound ? twin.cells[i - 1].spec.id : nil, i < line.upperBound - 1 ? twin.cells[i + 1].spec.id : nil)
    }

    public func lineRate(of line: String) -> (perHour: Double, demand: Double, speed: Double)? {
        guard let l = twin.lineIndex[line] else { return nil }
        let model = twin.lines[l]
        let window = model.clock.window
        let planned = window.planned, good = window.good
        let perHour = planned > 0 ? Double(good) / planned * 3600 : 0
        let speed = model.cells.reduce(0.0) { $0 + twin.cells[$1].speed } / Double(max(1, model.cells.count))
        return (perHour, model.demandPerHour, speed)
    }
}
