import AndonCore
import AndonWire
import Foundation
import Synchronization

/// A plant-wide console's link (`andon attach` over several sockets): one ``RemoteRuntime`` per runtime, merged into
/// one snapshot stream (``PlantMerge``) and one event log, with each command sent to the runtime that owns its item
/// (``PlantRoute``). A runtime out of reach is shown as reconnecting, then down, and retried with a backoff while the
/// others go on; a command for it is refused at once, saying so.
public final class PlantRuntimes: RuntimeLink, Sendable {
    /// One runtime's name and socket.
    public struct Member: Sendable, Hashable {
        /// The name that qualifies its ids.
        public var name: String
        /// Its socket.
        public var socket: String

        /// A member.
        public init(name: String, socket: String) {
            self.name = name
            self.socket = socket
        }
    }

    /// How long a lost link is called reconnecting before it is called down.
    public static let reconnectingSeconds = 10.0

    private let members: [Member]
    private let links: [String: RemoteRuntime]
    private let plantName: String
    private let state: Mutex<State>
    private let startedAt = Date()

    private struct State {
        var parts: [String: RuntimePart] = [:]
        var lostSince: [String: Date] = [:]
        var snapshotSubscribers = Subscribers<PlantSnapshot>()
        var eventSubscribers = Subscribers<EventEnvelope>()
        var nextSequence: UInt64 = 0
        var offsets: [String: SimTime] = [:]
    }

    /// A link to `members` (names unique), each greeted with `hello`; the plant is called `plantName` in the header.
    public init(members: [Member], hello: Hello, plantName: String) {
        self.members = members
        self.plantName = plantName
        links = Dictionary(uniqueKeysWithValues: members.map { ($0.name, RemoteRuntime(socketPath: $0.socket, hello: hello)) })
        state = Mutex(State(parts: Dictionary(uniqueKeysWithValues: members.map {
            ($0.name, RuntimePart(name: $0.name, socket: $0.socket, link: .down, problem: "not connected yet"))
        })))
    }

    /// Connects to every runtime once: the welcome of each that answered, and the refusal or problem of each that did
    /// not (those are shown down and retried by ``keepConnected()``).
    public func connect() async -> [String: Result<Welcome, any Error>] {
        await withTaskGroup(of: (String, Result<Welcome, any Error>).self) { group in
            for member in members {
                let link = links[member.name]!
                group.addTask {
                    do { return (member.name, .success(try await link.connect())) } catch { return (member.name, .failure(error)) }
                }
            }
            var results: [String: Result<Welcome, any Error>] = [:]
            for await (name, result) in group {
                results[name] = result
                switch result {
                case let .success(welcome): note(name) { $0.person = welcome.person }
                case let .failure(error): note(name) { $0.problem = "\(error)" }
                }
            }
            return results
        }
    }

    /// Keeps every runtime's link up, and their snapshots and events flowing into the plant's, until cancelled.
    /// A runtime that never answered is tried again with a backoff (0.2 s doubling to 5 s).
    public func keepConnected(welcomed: Set<String>) async {
        await withTaskGroup(of: Void.self) { group in
            for member in members {
                let link = links[member.name]!
                let name = member.name
                group.addTask { await self.follow(name, link.snapshots()) }
                group.addTask { await self.relay(name, link.events()) }
                group.addTask {
                    if !welcomed.contains(name) { await self.reach(name, link) }
                    await link.keepConnected()
                }
            }
            // Reconnecting turns into down while nothing else changes.
            group.addTask {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    self.publish()
                }
            }
        }
    }

    /// Tries `link` until it answers once.
    private func reach(_ name: String, _ link: RemoteRuntime) async {
        var delay = 0.2
        while !Task.isCancelled {
            do {
                let welcome = try await link.connect()
                note(name) { $0.person = welcome.person }
                return
            } catch {
                note(name) { $0.problem = "\(error)" }
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                delay = min(5, delay * 2)
            }
        }
    }

    private func follow(_ name: String, _ snapshots: AsyncStream<PlantSnapshot>) async {
        for await snapshot in snapshots {
            let isUp = snapshot.connection?.isConnected ?? true
            state.withLock { s in
                s.parts[name]?.snapshot = snapshot
                if isUp {
                    s.lostSince[name] = nil
                    s.parts[name]?.problem = nil
                } else {
                    if s.lostSince[name] == nil { s.lostSince[name] = Date() }
                    s.parts[name]?.problem = snapshot.connection?.problem
                }
                s.parts[name]?.link = isUp ? .connected : .reconnecting
            }
            publish()
        }
    }

    private func relay(_ name: String, _ events: AsyncStream<EventEnvelope>) async {
        for await event in events {
            let (qualified, subscribers) = state.withLock { s -> (EventEnvelope, [AsyncStream<EventEnvelope>.Continuation]) in
                s.nextSequence += 1
                let qualifier = RuntimeQualifier(runtime: name, offset: s.offsets[name] ?? 0)
                return (qualifier.qualify(event, sequence: s.nextSequence), s.eventSubscribers.all)
            }
            for subscriber in subscribers { subscriber.yield(qualified) }
        }
    }

    /// Changes what is known of `name` and shows the plant again.
    private func note(_ name: String, _ change: (inout RuntimePart) -> Void) {
        state.withLock { s in if s.parts[name] != nil { change(&s.parts[name]!) } }
        publish()
    }

    /// The parts as they stand now: a link lost for longer than ``reconnectingSeconds`` is down.
    private func parts(_ s: inout State, now: Date) -> [RuntimePart] {
        members.compactMap { member in
            guard var part = s.parts[member.name] else { return nil }
            if part.link == .reconnecting, let since = s.lostSince[member.name], now.timeIntervalSince(since) >= Self.reconnectingSeconds {
                part.link = .down
            }
            return part
        }
    }

    /// How long the plant waits, at most, for the first snapshot of every runtime that answered, so that it does not
    /// open on some of them (the selection would start in the middle of the plant).
    static let firstSnapshotSeconds = 3.0

    /// Merges the latest of every runtime and hands it to the subscribers.
    private func publish() {
        let (merged, subscribers) = state.withLock { s -> (PlantSnapshot?, [AsyncStream<PlantSnapshot>.Continuation]) in
            let now = Date()
            let parts = parts(&s, now: now)
            let waiting = parts.contains { $0.person != nil && $0.snapshot == nil }
            if waiting, now.timeIntervalSince(startedAt) < Self.firstSnapshotSeconds { return (nil, []) }
            let merged = PlantMerge.merge(parts, plantName: plantName)
            if let merged {
                for part in parts { if let own = part.snapshot { s.offsets[part.name] = merged.time - own.time } }
            }
            return (merged, s.snapshotSubscribers.all)
        }
        guard let merged else { return }
        for subscriber in subscribers { subscriber.yield(merged) }
    }

    /// How `name`'s link stands now.
    private func standing(_ name: String) -> RuntimeLinkState? {
        state.withLock { s in parts(&s, now: Date()).first { $0.name == name }?.link }
    }

    // MARK: RuntimeLink

    /// The plant's snapshots, latest wins.
    public func snapshots() -> AsyncStream<PlantSnapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: PlantSnapshot.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { $0.snapshotSubscribers.add(continuation) }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.snapshotSubscribers.remove(id) } }
        publish()
        return stream
    }

    /// Every runtime's events, numbered in the order they arrived here.
    public func events() -> AsyncStream<EventEnvelope> {
        let (stream, continuation) = AsyncStream.makeStream(of: EventEnvelope.self, bufferingPolicy: .bufferingNewest(4096))
        let id = state.withLock { $0.eventSubscribers.add(continuation) }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.eventSubscribers.remove(id) } }
        return stream
    }

    /// Sends `command` to the runtime that owns its item (or to every runtime), refusing at once for a runtime that is
    /// not connected; each answer names its runtime.
    public func send(_ command: OperatorCommand, as person: Person) async -> CommandResult {
        switch PlantRoute.of(command, runtimes: members.map(\.name)) {
        case let .refused(reason):
            return .refused(reason)
        case let .one(runtime, local):
            return await send(local, to: runtime, as: person)
        case let .every(command):
            let results = await withTaskGroup(of: (String, CommandResult).self) { group in
                for member in members { group.addTask { (member.name, await self.send(command, to: member.name, as: person)) } }
                var results: [String: CommandResult] = [:]
                for await (name, result) in group { results[name] = result }
                return results
            }
            // Refusals first: a narrow status line shows what was not done before what was.
            let answers = members.compactMap { results[$0.name] }.filter { !$0.isAccepted } + members.compactMap { results[$0.name] }.filter(\.isAccepted)
            return CommandResult(isAccepted: answers.allSatisfy(\.isAccepted), message: answers.map(\.message).joined(separator: "; "))
        }
    }

    private func send(_ command: OperatorCommand, to runtime: String, as person: Person) async -> CommandResult {
        guard let link = links[runtime], let standing = standing(runtime) else { return .refused("\(runtime): no such runtime") }
        // Why it is out of reach is in the header's banner; the answer says what was not done.
        guard standing == .connected else {
            return .refused("\(runtime) is \(standing.rawValue): \(command.verb) not sent; nothing is done there until it is back")
        }
        let result = await link.send(command, as: person)
        return CommandResult(isAccepted: result.isAccepted, message: "\(runtime): \(result.message)")
    }

    /// The roster entry for `name`, as the first connected runtime has it.
    public func person(named name: String) async -> Person {
        for member in members where standing(member.name) == .connected {
            return await links[member.name]!.person(named: name)
        }
        return Person(name: name, role: .observer)
    }
}
