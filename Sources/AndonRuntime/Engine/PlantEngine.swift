import AndonCore
import Foundation

/// The deterministic core of a run, and its tick conductor: it owns the twin, the agents with their mailboxes and
/// the clock, and advances them one simulated second at a time by ``tick()``. What agents propose goes to the
/// ``GovernanceDesk`` (policy, approvals, executor, kill switch); what is recorded goes through the ``AuditTrail``,
/// which commits before anything is published, adopted or executed.
///
/// Not thread-safe: one owner drives it (the headless loop, or the live runtime on its own thread).
public final class PlantEngine {
    /// The plant.
    public let plant: PlantSpec
    /// The twin.
    public let twin: Twin
    let options: EngineOptions
    @exclusivity(unchecked) var slots: [AgentSlot] = []
    /// Slot indices in the order agents run each tick.
    let runOrder: [Int]
    let agentsByCell: [[Int]]
    let plannersByLine: [[Int]]
    let events: EventStamper
    let trail: AuditTrail
    let desk: GovernanceDesk
    @exclusivity(unchecked) var decisionQueue: Mailbox<Proposal>
    /// The outside agents the plant declares, and what the runtime keeps of each.
    @exclusivity(unchecked) var outside: OutsideAgents
    var proposalCount = 0
    var alarmCount = 0
    var scenario: Scenario
    var incidentCursor = 0
    var commandCursor = 0
    var loopOffset: SimTime = 0
    var roster: @Sendable (String) -> Person
    /// Where ``OperatorCommand/reloadPolicy`` reads the policy from (nil: the run has no policy file).
    public var policySource: (@Sendable () throws -> any ProposalJudge)?
    /// The state of an external telemetry stream, once one feeds the run.
    @exclusivity(unchecked) var feed = ExternalFeed()
    @exclusivity(unchecked) var output = AgentOutput()
    /// The clock reading that ended the last decision (nanoseconds, ``Monotonic``).
    @exclusivity(unchecked) var lastDecisionEnd: UInt64 = 0
    /// Called for every non-telemetry event, in order, once what it reports is on record.
    public var onEvent: ((EventEnvelope) -> Void)?
    /// Called with the result of each scripted command, once it has been committed or refused.
    public var onScriptedResult: ((OperatorCommand, Person, CommandResult) -> Void)?
    /// Called when the audit store starts refusing commits (with its reason) and when it takes them again (nil).
    public var onAuditProblem: ((String?) -> Void)?
    /// Called with every telemetry frame as it is delivered to agents (recording, taps).
    @exclusivity(unchecked) public var onTelemetry: ((TelemetryFrame) -> Void)? {
        didSet { noteTelemetryTakers() }
    }
    /// Where readings come from: the twin's simulation, or an external stream (``receive(_:)``).
    @exclusivity(unchecked) public internal(set) var telemetrySource = TelemetrySource.simulator
    /// Keep non-telemetry events for ``drainEvents()``.
    public var isBufferingEvents = false
    @exclusivity(unchecked) var bufferedEvents: [EventEnvelope] = []
    /// What the last snapshot was built from (``snapshot(_:)``).
    @exclusivity(unchecked) var snapshotCache = SnapshotCache()

    /// One agent and what the runtime keeps of it. What a snapshot reads of every agent (its mailbox's figures, its
    /// mode and proposals, its latency counts) comes first, in the slot's first two cache lines.
    struct AgentSlot {
        var mailbox: Mailbox<Delivery>
        var mode: AgentMode
        var proposals = 0
        var latency: LatencyRecorder
        /// The agent, owned through its holder.
        private(set) var holder: AgentHolder
        /// The same holder for calls: a reference loaded from here is neither retained nor released around the call
        /// (one loaded from `holder` would be, two atomic operations per decision). It is valid while `holder` is this
        /// holder: an agent is replaced only by a command, between decisions, never from inside one (an agent sees the
        /// engine through a view that changes nothing).
        private(set) var calls: Unmanaged<AgentHolder>
        /// The agent's cell, in plant order.
        let cellIndex: Int
        /// The agent's ``PlantAgent/inputsPerTick`` and ``PlantAgent/readsReadings``, asked once.
        let inputsPerTick: Int?
        let readsReadings: Bool
        var byAction: [ActionKind: Int] = [:]
        var shadow = 0

        init(mailbox: Mailbox<Delivery>, mode: AgentMode, latency: LatencyRecorder, agent: any PlantAgent, cellIndex: Int) {
            self.mailbox = mailbox
            self.mode = mode
            self.latency = latency
            holder = AgentHolder(agent)
            calls = .passUnretained(holder)
            self.cellIndex = cellIndex
            inputsPerTick = agent.inputsPerTick
            readsReadings = agent.readsReadings
        }

        /// The agent.
        var agent: any PlantAgent { holder.agent }

        /// Puts `agent` in this slot's place (a restarted agent starts afresh).
        mutating func replace(with agent: any PlantAgent) {
            holder = AgentHolder(agent)
            calls = .passUnretained(holder)
        }
    }

    /// Holds an agent, so that the engine can call it through an unmanaged reference to this holder.
    final class AgentHolder {
        let agent: any PlantAgent

        init(_ agent: any PlantAgent) { self.agent = agent }
    }

    struct Delivery {
        let input: AgentInput
        let enqueuedAt: UInt64
    }

    /// Builds a run.
    public init(plant: PlantSpec, scenario: Scenario = .quiet, options: EngineOptions, judge: (any ProposalJudge)? = nil,
                audit: (any AuditSink)? = nil, roster: @escaping @Sendable (String) -> Person = { Person(name: $0, role: .observer) }) {
        self.plant = plant
        self.options = options
        self.scenario = scenario
        self.roster = roster
        twin = Twin(spec: plant, seed: options.seed, windowMinutes: options.rollingWindowMinutes, startTime: options.startTime)
        events = EventStamper(twin: twin)
        trail = AuditTrail(sink: audit, backlogLimit: options.auditBacklogLimit, stateCheckpointEvery: options.stateCheckpointEvery,
                           journal: options.fallbackJournalPath.map(FallbackJournal.init(path:)))
        desk = GovernanceDesk(judge: judge, trail: trail, twin: twin, events: events)
        decisionQueue = Mailbox(name: "runtime.decisions", capacity: options.decisionQueueCapacity)
        outside = OutsideAgents(plant.outsideAgents, now: Monotonic.now())
        var agentsByCell = Array(repeating: [Int](), count: twin.cells.count)
        var plannersByLine = Array(repeating: [Int](), count: twin.lines.count)
        // A plant of 10,000 cells has 40,000 agents: their slots are allocated once, not grown by doubling.
        slots.reserveCapacity(plant.lines.reduce(0) { $0 + $1.cells.reduce(0) { $0 + $1.agents.count } })
        for (c, cell) in twin.cells.enumerated() {
            for spec in cell.spec.agents {
                let agent = AgentFactory.make(spec, cell: cell.spec, cellIndex: c, seed: options.seed)
                let index = slots.count
                // A slow agent keeps a short mailbox: behind, it wants the latest readings, not a backlog that waits
                // (in the live runtime, for real seconds) before it is looked at.
                let capacity = agent.inputsPerTick == nil ? options.agentMailboxCapacity : options.slowAgentMailboxCapacity
                slots.append(AgentSlot(mailbox: Mailbox(name: "agent.\(spec.id)", capacity: capacity), mode: spec.mode,
                                       latency: LatencyRecorder(budgetSeconds: spec.budgetSeconds), agent: agent, cellIndex: c))
                if spec.kind == .planner {
                    plannersByLine[cell.lineIndex].append(index)
                } else {
                    agentsByCell[c].append(index)
                }
            }
        }
        let runsBefore = { [slots] (a: Int, b: Int) in
            (Self.priority(slots[a].agent.spec.kind), a) < (Self.priority(slots[b].agent.spec.kind), b)
        }
        runOrder = slots.indices.sorted(by: runsBefore)
        // A cell's agents answer its telemetry as soon as it is delivered, safety interlock first.
        for c in agentsByCell.indices { agentsByCell[c].sort(by: runsBefore) }
        self.agentsByCell = agentsByCell
        self.plannersByLine = plannersByLine
        noteTelemetryTakers()
        if options.startTime > 0 { skipScenario(to: options.startTime) }
        trail.publish = { [unowned self] in publish($0) }
        trail.onProblemChange = { [unowned self] problem in
            let message = problem.map { "audit store down: \($0); decisions and actions that need a record are refused" } ?? "audit store recovered; actions run again"
            publish(events.stamp(cell: -1, .notice(kind: "audit", message: message)))
            onAuditProblem?(problem)
        }
        trail.onApprovalLost = { [unowned self] in desk.lostShared($0) }
        desk.liveSpeed = options.liveSpeed
        trail.recoveryState = { [unowned self] in desk.recoveryState(runs: options.runNumber, time: twin.time).encoded() }
    }

    /// Takes over what an earlier run left (pending approvals with their deadlines, spent keys, the switches, console
    /// takeovers) and puts the start of this run on record.
    public func start(recovering recovery: Recovery) {
        desk.restore(recovery)
        var started = ["run": "\(options.runNumber)", "seed": "\(options.seed)", "plant": plant.id, "start": TimeText.clock(twin.time),
                       "policy": desk.policyVersion ?? "none", "recovered_pending": "\(recovery.pending.count)"]
        if let hash = recovery.headHash, recovery.headSequence > 0 {
            started["previous_head"] = "#\(recovery.headSequence) \(hash)"
        }
        trail.stage(desk.entry(.runStarted, .system, started, correlation: CorrelationID("run-\(options.runNumber)")))
        trail.commit(sync: true, force: true)
        if !recovery.pending.isEmpty {
            trail.announce(events.stamp(cell: -1, .notice(kind: "recovery", message: "\(recovery.pending.count) pending approval\(recovery.pending.count == 1 ? "" : "s") recovered from the audit log")))
        }
        // What people at other runtimes decided meanwhile is taken first; what expired while the runtime was down
        // expires now, on record, before anything else happens.
        desk.takeSharedDecisions()
        desk.advanceApprovals(to: twin.time)
        desk.commitAndExecute()
    }

    /// Ends the run's record cleanly: commits what is staged, saves the recovery state in a closing checkpoint, and
    /// closes the store. A run that ends without this is recovered as one that crashed (its tail is still checked).
    public func closeAudit() {
        trail.commit(sync: true, force: true)
        trail.checkpoint(closing: true)
        trail.close()
    }

    /// True while the audit backlog is full: the plant clock waits for the store rather than drop a record.
    public var isHeldByAudit: Bool { trail.isSaturated }

    /// The audit log's head as the store tells it (records, last hash): it depends on wall-clock stamps, so the report
    /// keeps it with the measured figures.
    public var auditHead: AuditHead? {
        let health = trail.health
        return health.headHash.map { AuditHead(records: health.records, hash: $0) }
    }

    /// What the audit trail went through: committed, unwritten, refused commits and why.
    public var auditFigures: AuditFigures {
        let figures = trail.figures
        return AuditFigures(committed: figures.committed, unwritten: trail.staged.count, failedCommits: figures.failedCommits,
                            problem: trail.problem, firstProblem: figures.firstProblem, checkpoints: figures.checkpoints,
                            safetyHoldsUnrecorded: desk.tally.safetyHoldsUnrecorded, journalProblem: figures.journalProblem)
    }

    /// Simulated time now.
    public var time: SimTime { twin.time }

    private static func priority(_ kind: AgentKind) -> Int {
        switch kind {
        case .safety: 0
        case .planner: 2
        default: 1
        }
    }

    /// Advances the run by one simulated second: incidents, the twin, scripted commands, agents, the policy and
    /// approval deadlines; then one commit, after which the actions it authorises run.
    public func tick() {
        // A full backlog means the store has refused records for a long while: the plant waits for it (a retry now
        // and then) rather than drop a record.
        if trail.isSaturated, !trail.commit() { return }
        let now = twin.time + 1
        applyIncidents(upTo: now)
        if telemetrySource == .external {
            twin.advanceClock(dt: 1)
        } else {
            twin.step(dt: 1)
            twin.publishTelemetry()
        }
        dispatchOutbox()
        applyCommands(upTo: now)
        let isAgentTick = now.truncatingRemainder(dividingBy: options.agentTickSeconds) == 0
        runAgents(tick: isAgentTick ? now : nil)
        processDecisions()
        desk.takeSharedDecisions()
        desk.advanceApprovals(to: now)
        desk.commitAndExecute()
        // What the actions changed reaches the agents now, not a tick later: nothing waits in a mailbox
        // across ticks (in the live runtime that wait would be real time).
        dispatchOutbox()
        runAgents(keepingUp: true)
        processDecisions()
        rollLatencyIntervals(at: now)
        if now.truncatingRemainder(dividingBy: options.sparkIntervalSeconds) == 0 {
            rollOutsideIntervals()
            desk.trimDecided(keep: GovernanceDesk.decidedKept)
        }
        if !desk.hasReadyActions { trail.checkpointIfDue() }
    }

    /// Closes the latency intervals of the agents whose interval ends at `now`. Each agent's interval lasts
    /// ``EngineOptions/sparkIntervalSeconds``, but they end in turn: with a whole number of seconds `n`, agent `s`'s
    /// ends at the seconds `t` where `(t + s) mod n = 0`, so each second a share `1/n` of the agents closes one. A
    /// close changes the agent's sparkline and may move its percentiles, which the next snapshot takes: with every agent
    /// closing in the same second, one snapshot in ten redid all 40,050 of a 10,000-cell plant (24 ms at p90 against a
    /// median of 8). An interval of a fraction of seconds closes for every agent at once, at its multiples.
    func rollLatencyIntervals(at now: SimTime) {
        let length = options.sparkIntervalSeconds
        guard let period = Int(exactly: length), period >= 1, let second = Int(exactly: now) else {
            if now.truncatingRemainder(dividingBy: length) == 0 {
                for s in slots.indices { slots[s].latency.rollInterval() }
            }
            return
        }
        let phase = (second % period + period) % period
        let first = phase == 0 ? 0 : period - phase
        for s in stride(from: first, to: slots.count, by: period) { slots[s].latency.rollInterval() }
    }

    /// Runs until simulated time reaches `end`.
    public func run(until end: SimTime) {
        while twin.time < end, !isHeldByAudit || trail.commit() { tick() }
        trail.commit(force: true)
    }

    // MARK: Events

    func publish(_ envelope: EventEnvelope) {
        onEvent?(envelope)
        // Every state change is on record; a live front end's log shows the settled ones (an acting state
        // such as Suspending lasts a second or two and would flood it).
        if isBufferingEvents {
            if case let .stateChanged(change) = envelope.body, change.to.isTransient { return }
            bufferedEvents.append(envelope)
        }
    }

    /// Takes the events buffered since the last call (when ``isBufferingEvents`` is on).
    public func drainEvents() -> [EventEnvelope] {
        defer { bufferedEvents.removeAll(keepingCapacity: true) }
        return bufferedEvents
    }

    func dispatchOutbox() {
        guard !twin.outbox.isEmpty else { return }
        // The outbox's items are taken with its storage, which goes back once they are dispatched: what the agents cause
        // meanwhile waits in the twin's outbox for the next dispatch, and in the steady state no array is allocated.
        var items: [(cell: Int, body: EventBody)] = []
        swap(&items, &twin.outbox)
        // One clock reading for the batch's other items: they enter their mailboxes at the same moment.
        var enqueuedAt: UInt64 = 0
        for index in items.indices {
            let cell = items[index].cell
            // The body is moved out, a placeholder with nothing to release left in its place: a copy, then the
            // destruction of the original, would retain and release what it holds (a frame's readings, its cell).
            var body = EventBody.placeholder
            swap(&body, &items[index].body)
            switch consume body {
            case let .telemetry(frame):
                // Numbered like every event; telemetry is not published, so it needs no envelope.
                let correlation = CorrelationID(sequence: events.number())
                onTelemetry?(frame)
                deliverTelemetry(frame, correlation: correlation, cell: cell)
            case let .stateChanged(change):
                let envelope = events.stamp(cell: cell, .stateChanged(change))
                if enqueuedAt == 0 { enqueuedAt = Monotonic.now() }
                let input = AgentInput.stateChanged(change, correlation: envelope.correlationID)
                for s in agentsByCell[cell] where slots[s].mode != .off { deliver(input, to: s, at: enqueuedAt) }
                trail.stage(desk.entry(.stateChange, .system, CellStateChange(cell: envelope.cell, change: change), correlation: envelope.correlationID),
                            announcing: envelope)
            case let .alarm(change):
                let envelope = events.stamp(cell: cell, .alarm(change))
                alarmCount += change.state == .unacknowledged ? 1 : 0
                trail.stage(desk.entry(.alarm, .system, change, correlation: envelope.correlationID), announcing: envelope)
            case let other:
                trail.announce(events.stamp(cell: cell, other))
            }
        }
        items.removeAll(keepingCapacity: true)
        if twin.outbox.isEmpty { twin.outbox = items }
    }

    /// Tells the twin which cells' telemetry frames someone takes: every cell's while a tap is set, else those with
    /// agents of their own or a planner on their line (whatever their mode, which can change at any time).
    private func noteTelemetryTakers() {
        for i in twin.cells.indices {
            twin.forwardsTelemetry[i] = onTelemetry != nil || !agentsByCell[i].isEmpty || !plannersByLine[twin.cells[i].lineIndex].isEmpty
        }
    }

    /// Hands a telemetry frame to its line's planners and its cell's agents, which decide on it now, while it is fresh:
    /// their latency is their own work, not a wait behind every other cell of the plant. So the frame is stamped when it
    /// is delivered. An agent with nothing waiting takes it straight from the delivery, without a trip through its
    /// mailbox.
    private func deliverTelemetry(_ frame: TelemetryFrame, correlation: CorrelationID, cell: Int) {
        let input = AgentInput.telemetry(frame, correlation: correlation)
        let deliveredAt = Monotonic.now()
        let planners = plannersByLine[twin.cells[cell].lineIndex]
        if !planners.isEmpty {
            let withoutReadings = TelemetryFrame(cell: frame.cell, readings: [], sourceTime: frame.sourceTime, produced: frame.produced,
                                                 scrap: frame.scrap, state: frame.state)
            let slim = AgentInput.telemetry(withoutReadings, correlation: correlation)
            for s in planners where slots[s].mode != .off { deliver(slots[s].readsReadings ? input : slim, to: s, at: deliveredAt) }
        }
        for s in agentsByCell[cell] where slots[s].mode != .off {
            if slots[s].mailbox.isEmpty {
                slots[s].mailbox.notePassedThrough()
                decide(s, on: input, deliveredAt: deliveredAt)
            } else {
                deliver(input, to: s, at: deliveredAt)
                runAgent(s, limit: Int.max)
            }
        }
    }

    /// Offers an input to an agent's mailbox; when a never-dropped input finds it full, the producer waits
    /// while the agent works through its backlog.
    func deliver(_ input: AgentInput, to s: Int, at enqueuedAt: UInt64) {
        let policy: OverflowPolicy = input.eventClass == .telemetry ? .dropOldest : .producerWaits
        let delivery = Delivery(input: input, enqueuedAt: enqueuedAt)
        while slots[s].mailbox.offer(delivery, policy: policy) == .full {
            runAgent(s, limit: 1)
        }
    }

    /// Stages a record of the plant's own (tests and twin-level acts use this; decisions go through the desk).
    func record(_ kind: AuditKind, actor: AuditActor, payload: some Encodable, correlation: CorrelationID) {
        trail.stage(desk.entry(kind, actor, payload, correlation: correlation))
    }

    /// Commits what is staged; false when the store refused it (it all stays staged).
    @discardableResult
    public func commitAudit(sync: Bool = false) -> Bool { trail.commit(sync: sync, force: true) }
}

private extension EventBody {
    /// What an outbox item holds once its body has been taken: nothing to release.
    static var placeholder: EventBody { .notice(kind: "", message: "") }
}
