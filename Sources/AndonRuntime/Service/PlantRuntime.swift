import AndonCore
import Foundation
import Logging

/// How a live run paces itself and what it may reload.
public struct LiveOptions: Sendable {
    /// Simulated seconds per real second.
    public var speed: Double
    /// Most snapshots published per second.
    public var snapshotsPerSecond: Double
    /// Events each front end may fall behind before it is cut off (and resyncs).
    public var eventMailboxCapacity: Int
    /// A policy file to watch: when it changes, it is reloaded (and audited) if valid; otherwise the
    /// old policy stays and the problem is shown.
    public var watchedPolicyPath: String?

    /// Creates options.
    public init(speed: Double = 5, snapshotsPerSecond: Double = 4, eventMailboxCapacity: Int = 1024) {
        self.speed = speed
        self.snapshotsPerSecond = snapshotsPerSecond
        self.eventMailboxCapacity = eventMailboxCapacity
    }
}

/// The live runtime: drives a ``PlantEngine`` in real time on a thread of its own, publishes snapshots (latest
/// wins, at most a few per second) and events (to each front end without ever waiting for one), and carries out
/// the commands front ends send. Fed by an external stream, it owns the ``TelemetryDoor`` the lines go through.
public actor PlantRuntime: RuntimeLink {
    private let engine: PlantEngine
    private let options: LiveOptions
    private let thread: RuntimeThread
    private var isPaused = false
    private var snapshotSubscribers: [UUID: AsyncStream<PlantSnapshot>.Continuation] = [:]
    private let fanOut: EventFanOut
    private var pendingEvents: [EventEnvelope] = []
    private var lastPublish: ContinuousClock.Instant?
    /// How long the last snapshot took to build: a plant of 10,000 cells takes tens of milliseconds.
    private var lastSnapshotCost: Swift.Duration = .zero
    private var isDirty = true
    private let roster: @Sendable (String) -> Person
    private let logger = Logger(label: "andon.runtime")
    /// The external telemetry stream, when the run is fed by one instead of the simulator.
    private let feed: TelemetryFeed?
    private var source: TelemetrySourceStatus?
    /// Wall-clock seconds owed to a silent external stream's clock.
    private var silentSeconds = 0.0

    /// Runs on the runtime's own thread.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { thread.asUnownedSerialExecutor() }

    /// Creates a live runtime around a new engine.
    public init(plant: PlantSpec, scenario: Scenario, options engineOptions: EngineOptions, live: LiveOptions,
                judge: (any ProposalJudge)?, audit: (any AuditSink)?, recovery: Recovery = Recovery(),
                roster: @escaping @Sendable (String) -> Person, policyReloader: (@Sendable () throws -> any ProposalJudge)? = nil,
                telemetry: IngestOptions? = nil) {
        let engine = PlantEngine(plant: plant, scenario: scenario, options: engineOptions, judge: judge, audit: audit, roster: roster)
        engine.isBufferingEvents = true
        engine.policySource = policyReloader
        feed = telemetry.map { TelemetryFeed(engine: engine, options: $0) }
        engine.start(recovering: recovery)
        self.engine = engine
        options = live
        self.roster = roster
        thread = RuntimeThread(name: "andon.runtime")
        fanOut = EventFanOut(name: "frontend.events", capacity: live.eventMailboxCapacity)
    }

    deinit {
        fanOut.finish()
        thread.stop()
    }

    /// Runs until the task is cancelled.
    public func run() async {
        let clock = ContinuousClock()
        var last = clock.now
        var owed = 0.0
        let interval = max(0.01, min(1, 1 / max(options.speed, 0.001)))
        var lastPolicyCheck = clock.now
        var policyStamp = options.watchedPolicyPath.flatMap(Self.modificationDate)
        publishSnapshot(force: true)
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            let now = clock.now
            let elapsed = now - last
            last = now
            guard !isPaused else { continue }
            if feed != nil {
                advanceSilentClock(by: elapsed)
                continue
            }
            owed += Self.seconds(elapsed) * options.speed
            var ticks = 0
            while owed >= 1, ticks < 10_000 {
                engine.tick()
                owed -= 1
                ticks += 1
                isDirty = true
            }
            if ticks == 10_000 { owed = 0 }
            if let path = options.watchedPolicyPath, now - lastPolicyCheck >= .seconds(2) {
                lastPolicyCheck = now
                let stamp = Self.modificationDate(path)
                if stamp != policyStamp {
                    policyStamp = stamp
                    let result = engine.reloadPolicyFromSource()
                    logger.info("policy file changed", metadata: ["accepted": "\(result.isAccepted)", "outcome": "\(result.message)"])
                    isDirty = true
                }
            }
            flushEvents()
            publishSnapshot(force: false)
        }
        for (_, continuation) in snapshotSubscribers { continuation.finish() }
        fanOut.finish()
    }

    private func flushEvents() {
        let events = engine.drainEvents()
        guard !events.isEmpty else { return }
        fanOut.publish(events)
    }

    private func publishSnapshot(force: Bool) {
        guard isDirty || force else { return }
        let now = ContinuousClock.now
        // At most `snapshotsPerSecond`, and never more than a tenth of a core on building them: a large plant's
        // console refreshes less often rather than spending the runtime's time on pictures of it.
        let spacing = max(.milliseconds(Int(1000 / options.snapshotsPerSecond)), lastSnapshotCost * 10)
        if !force, let lastPublish, now - lastPublish < spacing { return }
        lastPublish = now
        isDirty = false
        let snapshot = currentSnapshot()
        lastSnapshotCost = ContinuousClock.now - now
        for continuation in snapshotSubscribers.values { continuation.yield(snapshot) }
    }

    private func currentSnapshot() -> PlantSnapshot {
        let context = SnapshotContext(isPaused: isPaused, source: source, frontEndQueues: [fanOut.queueSnapshot])
        return feed?.snapshot(context) ?? engine.snapshot(context)
    }

    private func addSnapshotSubscriber(_ id: UUID, _ continuation: AsyncStream<PlantSnapshot>.Continuation) {
        snapshotSubscribers[id] = continuation
        continuation.yield(currentSnapshot())
    }

    private func removeSnapshotSubscriber(_ id: UUID) { snapshotSubscribers[id] = nil }

    /// Snapshots, latest wins.
    public nonisolated func snapshots() -> AsyncStream<PlantSnapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: PlantSnapshot.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in Task { await self?.removeSnapshotSubscriber(id) } }
        Task { await self.addSnapshotSubscriber(id, continuation) }
        return stream
    }

    /// Events for the event log, from now on. The runtime never waits for a reader: one that falls
    /// ``LiveOptions/eventMailboxCapacity`` events behind has its stream finished (and may subscribe again).
    public nonisolated func events() -> AsyncStream<EventEnvelope> {
        fanOut.subscribe()
    }

    /// Front ends listening for events now, and those cut off so far for falling behind.
    public nonisolated var frontEndFigures: (subscribers: Int, cutOff: Int) { fanOut.figures }

    /// Carries out a person's command; the engine authorises it and puts it on record.
    /// A signing passphrase is checked off the runtime's thread (a memory-hard hash takes tens of milliseconds; the
    /// plant does not wait for it), then the decision is taken here like any other.
    public func send(_ command: OperatorCommand, as person: Person) async -> CommandResult {
        var signature: SignatureCheck?
        if case let .sign(_, passphrase) = command, let verifier = engine.options.signatureVerifier {
            let name = person.name
            signature = await Task.detached(priority: .userInitiated) { verifier.check(name: name, passphrase: passphrase) }.value
        }
        let result = engine.handle(command, as: person, signature: signature)
        if case let .setPaused(paused) = command, result.isAccepted { isPaused = paused }
        isDirty = true
        logger.info("command", metadata: ["person": "\(person.label)", "command": "\(command.verb)", "accepted": "\(result.isAccepted)",
                                          "outcome": "\(result.message)"])
        flushEvents()
        publishSnapshot(force: true)
        return result
    }

    /// Ends the run's record cleanly (a closing checkpoint) and closes the store; call after ``run()`` has returned.
    public func closeAudit() {
        engine.closeAudit()
    }

    /// Puts on record what a client of the service did (attached, detached, refused, throttled, dropped).
    public func noteClient(_ verb: String, by person: Person, outcome: String, details: [String: String] = [:]) {
        engine.noteClient(verb, by: person, outcome: outcome, details: details)
        isDirty = true
        flushEvents()
    }

    // MARK: Outside agents

    /// Why outside agent `id` may not attach (undeclared, off), or nil when it may.
    public func outsideRefusal(_ id: String?) -> String? { engine.outsideRefusal(id) }

    /// Answers one request of an attached outside agent: a proposal is judged, committed and, when allowed,
    /// executed before this returns. The runtime never waits on the agent: the request is here, whole.
    public func answer(_ request: AgentRequest, from id: String) -> AgentAnswer {
        let answer = engine.answer(request, from: id)
        switch request {
        case .propose, .withdraw:
            isDirty = true
            flushEvents()
            publishSnapshot(force: false)
        default:
            break
        }
        return answer
    }

    /// Counts one answer's latency (request read to answer written) against the agent's budget.
    public func noteOutsideLatency(_ id: String, nanos: UInt64) {
        engine.noteOutsideLatency(id, nanos: nanos)
    }

    /// Puts on record something about an outside agent that is not a proposal (refused at hello, dropped).
    public func noteOutside(_ id: String, request: String, outcome: String, details: [String: String] = [:]) {
        engine.noteOutside(id, request: request, outcome: outcome, details: details)
        isDirty = true
        flushEvents()
    }

    /// The roster entry for a name; unknown names are observers.
    public func person(named name: String) async -> Person { roster(name) }

    /// A snapshot now (for tests and screenshots).
    public func snapshotNow() -> PlantSnapshot { currentSnapshot() }

    /// Every agent's decision latencies in the metrics' buckets, now (for a scrape).
    public func agentLatencyHistograms() -> [AgentLatencyHistogram] { engine.agentLatencyHistograms() }

    /// Advances the engine by `seconds` at once (tests, screenshots).
    public func advance(seconds: Int) async {
        for _ in 0..<seconds { engine.tick() }
        isDirty = true
        flushEvents()
    }

    // MARK: External telemetry

    /// Sends every refused telemetry line to `handler` (the reject file), after it is counted.
    public func onTelemetryReject(_ handler: @escaping @Sendable (RejectedLine) -> Void) {
        feed?.onReject = handler
    }

    /// Takes what the reading thread handed over: lines go through the door into the engine, in input order, and
    /// agents act on them at once; a change of the source's state is shown in the header.
    public func take(_ chunk: TelemetryChunk) {
        guard let feed else { return }
        switch chunk {
        case let .lines(block):
            feed.ingest(block)
            engine.settle()
            silentSeconds = 0
        case let .source(state, detail):
            source = TelemetrySourceStatus(state: state, detail: detail)
            if state == .ended || state == .failed { engine.finishTelemetry() }
            logger.info("telemetry source", metadata: ["state": "\(state.rawValue)", "detail": "\(detail)"])
        }
        isDirty = true
        flushEvents()
        publishSnapshot(force: chunk.isSourceChange)
    }

    /// While the stream is silent, its clock follows the wall clock, so a source that stops goes STALE.
    private func advanceSilentClock(by elapsed: Swift.Duration) {
        guard engine.telemetryEpoch != nil else { return }
        silentSeconds += Self.seconds(elapsed)
        // Data keeps the clock while it flows; only a pause longer than a second moves it.
        guard silentSeconds >= 2 else { return }
        engine.advance(to: engine.time + silentSeconds.rounded(.down) - 1)
        silentSeconds = 1
        isDirty = true
        flushEvents()
        publishSnapshot(force: false)
    }

    private static func seconds(_ duration: Swift.Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}

extension TelemetryChunk {
    /// True for a change of the source's state.
    var isSourceChange: Bool {
        if case .source = self { return true }
        return false
    }
}
