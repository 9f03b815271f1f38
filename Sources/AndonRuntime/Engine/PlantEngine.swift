import AndonCore
import Foundation

/// The deterministic core of a run: twin, agents, mailboxes, policy, approvals, executor and the audit
/// trail, advanced one simulated second at a time by ``tick()``.
///
/// Not thread-safe: one owner drives it (the headless loop, or the live runtime's task).
public final class PlantEngine {
    /// The plant.
    public let plant: PlantSpec
    /// The twin.
    public let twin: Twin
    let options: EngineOptions
    @exclusivity(unchecked) var slots: [AgentSlot] = []
    /// Slot indices in the order agents run each tick.
    var runOrder: [Int] = []
    var agentsByCell: [[Int]]
    var plannersByLine: [[Int]]
    var isKillSwitchOn = false
    /// For each person who took over a console, everyone who acted at it before them in this run: their
    /// signatures count as the same person's for four-eyes.
    var consoleHandovers: [String: Set<String>] = [:]
    @exclusivity(unchecked) var sequence: UInt64 = 0
    @exclusivity(unchecked) var decisionQueue: Mailbox<Proposal>
    var proposalCount = 0
    var scenario: Scenario
    var incidentCursor = 0
    var commandCursor = 0
    var loopOffset: SimTime = 0
    var judge: (any ProposalJudge)?
    @exclusivity(unchecked) var book = ApprovalBook()
    @exclusivity(unchecked) var executor = Executor()
    var audit: (any AuditSink)?
    @exclusivity(unchecked) var pendingAudit: [AuditEntry] = []
    var auditProblem: String?
    @exclusivity(unchecked) var readyToExecute: [Proposal] = []
    var roster: @Sendable (String) -> Person
    var policyProblem: String?
    @exclusivity(unchecked) var tally = RunTally()
    @exclusivity(unchecked) var output = AgentOutput()
    /// Called for every non-telemetry event, in order.
    public var onEvent: ((EventEnvelope) -> Void)?
    /// Called with the result of each scripted command, once it has been committed or refused.
    public var onScriptedResult: ((OperatorCommand, Person, CommandResult) -> Void)?
    /// Called with every telemetry frame as it is delivered to agents (recording, taps).
    public var onTelemetry: ((TelemetryFrame) -> Void)?
    /// Where readings come from: the twin's simulation, or an external stream (``TelemetryIngest``).
    public internal(set) var telemetrySource = TelemetrySource.simulator
    /// Keep non-telemetry events for ``drainEvents()``.
    public var isBufferingEvents = false
    @exclusivity(unchecked) var bufferedEvents: [EventEnvelope] = []

    struct AgentSlot {
        let agent: any PlantAgent
        /// The agent's cell, in plant order.
        let cellIndex: Int
        var mailbox: Mailbox<Delivery>
        var latency: LatencyRecorder
        var mode: AgentMode
        var proposals = 0
        var byAction: [ActionKind: Int] = [:]
        var shadow = 0
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
        self.judge = judge
        self.audit = audit
        self.roster = roster
        twin = Twin(spec: plant, seed: options.seed, windowMinutes: options.rollingWindowMinutes, startTime: options.startTime)
        decisionQueue = Mailbox(name: "runtime.decisions", capacity: options.decisionQueueCapacity)
        agentsByCell = Array(repeating: [], count: twin.cells.count)
        plannersByLine = Array(repeating: [], count: twin.lines.count)
        for (c, cell) in twin.cells.enumerated() {
            for spec in cell.spec.agents {
                let agent = AgentFactory.make(spec, cell: cell.spec, cellIndex: c, seed: options.seed)
                let index = slots.count
                // A slow agent keeps a short mailbox: behind, it wants the latest readings, not a backlog that waits
                // (in the live runtime, for real seconds) before it is looked at.
                let capacity = agent.inputsPerTick == nil ? options.agentMailboxCapacity : options.slowAgentMailboxCapacity
                slots.append(AgentSlot(agent: agent, cellIndex: c, mailbox: Mailbox(name: "agent.\(spec.id)", capacity: capacity),
                                       latency: LatencyRecorder(budgetSeconds: spec.budgetSeconds), mode: spec.mode))
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
        if options.startTime > 0 { skipScenario(to: options.startTime) }
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

    /// Advances the run by one simulated second.
    public func tick() {
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
        apply(book.advance(to: now))
        commitAudit()
        executeReady()
        // What the actions changed reaches the agents now, not a tick later: nothing waits in a mailbox
        // across ticks (in the live runtime that wait would be real time).
        dispatchOutbox()
        runAgents(keepingUp: true)
        processDecisions()
        if now.truncatingRemainder(dividingBy: options.sparkIntervalSeconds) == 0 {
            for s in slots.indices { slots[s].latency.rollInterval() }
            book.trim(keepDecided: 200)
        }
    }

    /// Runs until simulated time reaches `end`.
    public func run(until end: SimTime) {
        while twin.time < end { tick() }
        commitAudit()
    }

    // MARK: Events

    func nextEnvelope(cell: Int, body: EventBody, correlation: CorrelationID? = nil) -> EventEnvelope {
        sequence += 1
        return EventEnvelope(sequence: sequence, time: twin.time, cell: cell >= 0 ? twin.cells[cell].spec.id : nil,
                             correlationID: correlation ?? CorrelationID(sequence: sequence), body: body)
    }

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
        let items = twin.outbox
        twin.outbox.removeAll(keepingCapacity: true)
        // One clock reading for the batch's other items: they enter their mailboxes at the same moment.
        let enqueuedAt = Monotonic.now()
        for (cell, body) in items {
            let envelope = nextEnvelope(cell: cell, body: body)
            switch body {
            case let .telemetry(frame):
                onTelemetry?(frame)
                let input = AgentInput.event(AgentEvent(envelope))
                // The cell's agents decide on the frame now, while it is fresh: their latency is their own work,
                // not a wait behind every other cell of the plant. So the frame is stamped when it is delivered.
                let deliveredAt = Monotonic.now()
                for s in plannersByLine[twin.cells[cell].lineIndex] where slots[s].mode != .off { deliver(input, to: s, at: deliveredAt) }
                for s in agentsByCell[cell] where slots[s].mode != .off {
                    deliver(input, to: s, at: deliveredAt)
                    runAgent(s, limit: Int.max)
                }
            case let .stateChanged(change):
                let input = AgentInput.event(AgentEvent(envelope))
                for s in agentsByCell[cell] where slots[s].mode != .off { deliver(input, to: s, at: enqueuedAt) }
                record(.stateChange, actor: .system, payload: change, correlation: envelope.correlationID, cell: envelope.cell)
                publish(envelope)
            case let .alarm(change):
                tally.alarms += change.state == .unacknowledged ? 1 : 0
                record(.alarm, actor: .system, payload: change, correlation: envelope.correlationID, cell: envelope.cell)
                publish(envelope)
            default:
                publish(envelope)
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

    func record(_ kind: AuditKind, actor: AuditActor, payload: some Encodable, correlation: CorrelationID, cell: String? = nil) {
        pendingAudit.append(AuditEntry(simTime: twin.time, actor: actor, kind: kind, encoding: payload,
                                       policyHash: judge?.hash ?? "", correlationID: correlation.rawValue))
    }
}
