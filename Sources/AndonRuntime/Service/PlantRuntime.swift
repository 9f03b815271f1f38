import AndonCore
import Foundation
import Logging

/// How a live run paces itself and what it may reload.
public struct LiveOptions: Sendable {
    /// Simulated seconds per real second.
    public var speed: Double
    /// Most snapshots published per second.
    public var snapshotsPerSecond: Double
    /// Capacity of each front end's event mailbox.
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

/// The live runtime: drives a ``PlantEngine`` in real time on its own actor, publishes snapshots
/// (latest wins, at most a few per second) and events (never dropped), and takes commands from front ends.
public actor PlantRuntime: RuntimeLink {
    private let engine: PlantEngine
    private let options: LiveOptions
    private var isPaused = false
    private var snapshotSubscribers: [UUID: AsyncStream<PlantSnapshot>.Continuation] = [:]
    private var eventMailboxes: [UUID: AsyncMailbox<EventEnvelope>] = [:]
    private var lastPublish: ContinuousClock.Instant?
    /// How long the last snapshot took to build: a plant of 10,000 cells takes tens of milliseconds.
    private var lastSnapshotCost: Swift.Duration = .zero
    private var isDirty = true
    private let roster: @Sendable (String) -> Person
    private let policyReloader: (@Sendable () throws -> any ProposalJudge)?
    private let logger = Logger(label: "andon.runtime")
    /// The external telemetry stream's door, when the run is fed by one instead of the simulator.
    let ingest: TelemetryIngest?
    /// Wall-clock seconds owed to a silent external stream's clock.
    var silentSeconds = 0.0

    /// Creates a live runtime around a new engine.
    public init(plant: PlantSpec, scenario: Scenario, options engineOptions: EngineOptions, live: LiveOptions,
                judge: (any ProposalJudge)?, audit: sending (any AuditSink)?, recovery: Recovery = Recovery(),
                roster: @escaping @Sendable (String) -> Person, policyReloader: (@Sendable () throws -> any ProposalJudge)? = nil,
                telemetry: IngestOptions? = nil) {
        let engine = PlantEngine(plant: plant, scenario: scenario, options: engineOptions, judge: judge, audit: audit, roster: roster)
        engine.isBufferingEvents = true
        engine.start(recovering: recovery)
        self.engine = engine
        ingest = telemetry.map { TelemetryIngest(engine: engine, options: $0) }
        options = live
        self.roster = roster
        self.policyReloader = policyReloader
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
            if ingest != nil {
                await advanceSilentClock(by: elapsed)
                continue
            }
            owed += (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * options.speed
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
                    reloadPolicy(by: nil)
                }
            }
            await flushEvents()
            publishSnapshot(force: false)
        }
        for (_, continuation) in snapshotSubscribers { continuation.finish() }
        for (_, mailbox) in eventMailboxes { mailbox.finish() }
    }

    func flushEvents() async {
        let events = engine.drainEvents()
        guard !events.isEmpty else { return }
        for mailbox in eventMailboxes.values {
            for event in events { await mailbox.send(event, policy: .producerWaits) }
        }
    }

    func publishSnapshot(force: Bool) {
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
        var snapshot = ingest?.snapshot(isPaused: isPaused) ?? engine.snapshot(isPaused: isPaused)
        snapshot.queues.append(contentsOf: eventMailboxes.values.map(\.figures))
        return snapshot
    }

    private func addSnapshotSubscriber(_ id: UUID, _ continuation: AsyncStream<PlantSnapshot>.Continuation) {
        snapshotSubscribers[id] = continuation
        continuation.yield(currentSnapshot())
    }

    private func removeSnapshotSubscriber(_ id: UUID) { snapshotSubscribers[id] = nil }

    private func addEventMailbox(_ id: UUID, _ mailbox: AsyncMailbox<EventEnvelope>) { eventMailboxes[id] = mailbox }

    /// Snapshots, latest wins.
    public nonisolated func snapshots() -> AsyncStream<PlantSnapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: PlantSnapshot.self, bufferingPolicy: .bufferingNewest(1))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in Task { await self?.removeSnapshotSubscriber(id) } }
        Task { await self.addSnapshotSubscriber(id, continuation) }
        return stream
    }

    /// Events for the event log; never dropped: the runtime waits for a slow reader.
    public nonisolated func events() -> AsyncStream<EventEnvelope> {
        let mailbox = AsyncMailbox<EventEnvelope>(name: "frontend.events", capacity: options.eventMailboxCapacity)
        let id = UUID()
        Task { await self.addEventMailbox(id, mailbox) }
        return mailbox.stream()
    }

    /// Carries out a person's command.
    public func send(_ command: OperatorCommand, as person: Person) async -> CommandResult {
        let result: CommandResult
        switch command {
        case let .setPaused(paused):
            result = engine.handle(command, as: person)
            if result.isAccepted { isPaused = paused }
        case .reloadPolicy:
            guard person.role == .supervisor || person.role == .engineer else {
                return .refused("refused: only supervisors and engineers may reload the policy")
            }
            result = reloadPolicy(by: person)
        default:
            result = engine.handle(command, as: person)
        }
        isDirty = true
        logger.info("command", metadata: ["person": "\(person.label)", "command": "\(command.verb)", "accepted": "\(result.isAccepted)",
                                          "outcome": "\(result.message)"])
        await flushEvents()
        publishSnapshot(force: true)
        return result
    }

    @discardableResult
    private func reloadPolicy(by person: Person?) -> CommandResult {
        guard let policyReloader else { return .refused("no policy file to reload") }
        do {
            let judge = try policyReloader()
            engine.replaceJudge(judge, by: person)
            isDirty = true
            logger.info("policy reloaded", metadata: ["version": "\(judge.version)", "sha256": "\(judge.hash)"])
            return .accepted("policy \(judge.version) in force")
        } catch {
            let problem = "\(error)".replacingOccurrences(of: "\n", with: "; ")
            engine.rejectPolicyReload(problem, by: person)
            isDirty = true
            logger.error("policy reload refused; the old policy stays", metadata: ["problem": "\(problem)"])
            return .refused("policy not reloaded, the old one stays: \(problem)")
        }
    }

    private static func modificationDate(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
    func markDirty() { isDirty = true }

    /// The roster entry for a name; unknown names are observers.
    public func person(named name: String) async -> Person { roster(name) }

    /// A snapshot now (for tests and screenshots).
    public func snapshotNow() -> PlantSnapshot { currentSnapshot() }

    /// Advances the engine by `seconds` at once (tests, screenshots).
    public func advance(seconds: Int) async {
        for _ in 0..<seconds { engine.tick() }
        isDirty = true
        await flushEvents()
    }
}
