import AndonCore
import AndonWire
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A served runtime as a console sees it (`andon attach`): snapshots, events and commands over the service socket.
/// A connection lost is said at once (the snapshot's ``ConnectionStatus`` turns disconnected, so the header shows it
/// and nothing is decidable), retried with a backoff, and on reconnect the console gets a whole snapshot and the event
/// log's tail; a command in flight when the connection went is sent again with its request id, and the runtime carries
/// it out once.
public final class RemoteRuntime: RuntimeLink, Sendable {
    /// The socket.
    public let socketPath: String
    private let hello: Hello
    /// How long a request waits for its answer, the link's coming back included.
    private let requestTimeout: Duration
    private let state = Mutex(State())

    private struct State {
        var writer: NIOAsyncChannelOutboundWriter<ByteBuffer>?
        var welcome: Welcome?
        var held: (number: UInt64, document: SnapshotDocument)?
        var nextID: UInt64 = 0
        var waiting: [UInt64: (message: ClientMessage, continuation: CheckedContinuation<ServerMessage, Never>)] = [:]
        var snapshotSubscribers = Subscribers<PlantSnapshot>()
        var eventSubscribers = Subscribers<EventEnvelope>()
        var status: ConnectionStatus?
        var disconnectedSince: Date?
    }

    /// A link to the runtime at `socketPath`, introducing itself with `hello`; a request waits `requestTimeout` for
    /// its answer (a console's operator is told within 10 s that a command was not sent).
    public init(socketPath: String, hello: Hello, requestTimeout: Duration = .seconds(10)) {
        self.socketPath = socketPath
        self.hello = hello
        self.requestTimeout = requestTimeout
    }

    /// The request timeout as people read it ("10 s").
    private var timeoutText: String { "\(requestTimeout.components.seconds) s" }

    /// Connects once and waits for the welcome: who the runtime says this client is. Throws with the runtime's refusal,
    /// or when nothing serves the socket.
    public func connect() async throws -> Welcome {
        try await open()
    }

    /// Keeps the link up until the task is cancelled: reconnects with a backoff (0.2 s doubling to 5 s) whenever the
    /// connection is lost. Call after ``connect()``.
    public func keepConnected() async {
        var delay = 0.2
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(200))
            guard state.withLock({ $0.writer == nil }) else {
                delay = 0.2
                continue
            }
            do {
                _ = try await open()
                delay = 0.2
            } catch {
                noteDisconnected("\(error)")
                try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
                delay = min(5, delay * 2)
            }
        }
    }

    /// Connects, says hello and returns the welcome; the connection then goes on being read on a task of its own.
    private func open() async throws -> Welcome {
        guard FileManager.default.fileExists(atPath: socketPath) else {
            throw ServiceError("no runtime serves \(socketPath) (start one with andon serve or andon demo, or give --socket PATH)")
        }
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(unixDomainSocketPath: socketPath) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(limit: WireProtocol.maxServerFrame)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await withCheckedThrowingContinuation { handshake in
            Task { await self.serve(channel, handshake: handshake) }
        }
    }

    /// Says hello, answers the handshake, then reads the connection's frames until it ends.
    private func serve(_ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>, handshake: CheckedContinuation<Welcome, any Error>) async {
        var answered = false
        do {
            try await channel.executeThenClose { inbound, outbound in
                var hello = self.hello
                if hello.compression == nil { hello.compression = WireProtocol.deflate }
                try await outbound.write(.frame(ClientMessage.hello(hello)))
                var inflater: InflateStream?
                var frames = inbound.makeAsyncIterator()
                guard let first = try await frames.next() else { throw ServiceError("the runtime closed the connection") }
                switch try FrameCodec.decode(ServerMessage.self, from: first.readableBytesView) {
                case let .welcome(welcome):
                    if welcome.compression == WireProtocol.deflate { inflater = try InflateStream() }
                    let resend = state.withLock { s -> [ClientMessage] in
                        s.welcome = welcome
                        s.writer = outbound
                        s.disconnectedSince = nil
                        return s.waiting.sorted { $0.key < $1.key }.map(\.value.message)
                    }
                    answered = true
                    handshake.resume(returning: welcome)
                    for message in resend { try await outbound.write(.frame(message)) }
                case let .refused(reason, version):
                    throw ServiceError("the runtime refused this console: \(reason) (it speaks protocol \(version))")
                default:
                    throw ServiceError("the runtime did not answer hello")
                }
                while let frame = try await frames.next() {
                    if let inflater {
                        let body = try inflater.decompress(frame.readableBytesView, limit: WireProtocol.maxServerFrame)
                        try await take(try FrameCodec.decode(ServerMessage.self, from: body), outbound)
                    } else {
                        try await take(try FrameCodec.decode(ServerMessage.self, from: frame.readableBytesView), outbound)
                    }
                }
            }
        } catch {
            if !answered {
                handshake.resume(throwing: error)
                return
            }
        }
        guard answered else {
            handshake.resume(throwing: ServiceError("the runtime closed the connection"))
            return
        }
        state.withLock { $0.writer = nil }
        noteDisconnected("the connection to the runtime was lost")
    }

    private func take(_ message: ServerMessage, _ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        switch message {
        case let .snapshot(number, snapshot):
            let document = try SnapshotDocument(snapshot)
            state.withLock { $0.held = (number, document) }
            deliver(document.snapshot)
        case let .patch(number, base, patch):
            let held = state.withLock { $0.held }
            guard let held, held.number == base, let document = try? SnapshotDocument(applying: patch, to: held.document) else {
                try await outbound.write(.frame(ClientMessage.resync))
                return
            }
            state.withLock { $0.held = (number, document) }
            deliver(document.snapshot)
        case let .events(events):
            let subscribers = state.withLock { $0.eventSubscribers.all }
            for event in events { for subscriber in subscribers { subscriber.yield(event) } }
        case let .result(id, _), let .person(id, _), let .attached(id, _, _), let .agent(id, _):
            let waiting = state.withLock { $0.waiting.removeValue(forKey: id) }
            waiting?.continuation.resume(returning: message)
        case let .goodbye(reason):
            throw ServiceError(reason)
        case .welcome, .refused, .resync:
            break
        }
    }

    private func deliver(_ snapshot: PlantSnapshot) {
        let (subscribers, status) = state.withLock { s -> ([AsyncStream<PlantSnapshot>.Continuation], ConnectionStatus?) in
            s.status = s.welcome.map { ConnectionStatus(welcome: $0, isConnected: true, problem: nil) }
            return (s.snapshotSubscribers.all, s.status)
        }
        var snapshot = snapshot
        snapshot.connection = status
        for subscriber in subscribers { subscriber.yield(snapshot) }
    }

    /// Shows the console that the runtime is gone: the last snapshot again, marked disconnected.
    private func noteDisconnected(_ problem: String) {
        let (subscribers, snapshot) = state.withLock { s -> ([AsyncStream<PlantSnapshot>.Continuation], PlantSnapshot?) in
            let since = s.disconnectedSince ?? Date()
            s.disconnectedSince = since
            let seconds = Int(Date().timeIntervalSince(since))
            guard let welcome = s.welcome, var snapshot = s.held?.document.snapshot else { return ([], nil) }
            snapshot.connection = ConnectionStatus(welcome: welcome, isConnected: false,
                                                   problem: "\(problem); \(seconds) s ago, retrying")
            return (s.snapshotSubscribers.all, snapshot)
        }
        guard let snapshot else { return }
        for subscriber in subscribers { subscriber.yield(snapshot) }
    }

    // MARK: RuntimeLink

    /// Snapshots, latest wins, marked with the connection's state.
    public func snapshots() -> AsyncStream<PlantSnapshot> {
        let (stream, continuation) = AsyncStream.makeStream(of: PlantSnapshot.self, bufferingPolicy: .bufferingNewest(1))
        let id = state.withLock { s -> Int in
            if var latest = s.held?.document.snapshot {
                latest.connection = s.status
                continuation.yield(latest)
            }
            return s.snapshotSubscribers.add(continuation)
        }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.snapshotSubscribers.remove(id) } }
        return stream
    }

    /// Events, across reconnects (after one, the event log's tail comes again).
    public func events() -> AsyncStream<EventEnvelope> {
        let (stream, continuation) = AsyncStream.makeStream(of: EventEnvelope.self, bufferingPolicy: .bufferingNewest(4096))
        let id = state.withLock { $0.eventSubscribers.add(continuation) }
        continuation.onTermination = { [weak self] _ in _ = self?.state.withLock { $0.eventSubscribers.remove(id) } }
        return stream
    }

    /// Sends a command; the runtime decides as the person the kernel says this console is (`person` is not sent).
    /// A console takeover (`:operator`) asks the runtime to change the session's person, allowed only where
    /// identities are claimed.
    public func send(_ command: OperatorCommand, as person: Person) async -> CommandResult {
        let answer: ServerMessage?
        if case .takeOver = command {
            answer = await request { .switchPerson(requestID: $0, name: person.name) }
        } else {
            answer = await request { .command(requestID: $0, command: command) }
        }
        guard case let .result(_, result)? = answer else {
            return .refused("DISCONNECTED: not sent; the runtime could not be reached within \(timeoutText)")
        }
        if case .takeOver = command, result.isAccepted {
            state.withLock { s in
                guard let welcome = s.welcome, case let .kernel(_, login) = welcome.identity else {
                    s.welcome?.person = person
                    return
                }
                s.welcome?.person = person
                s.welcome?.identity = .claimed(name: person.name, byLogin: login)
            }
        }
        return result
    }

    /// The roster entry for a name, as the runtime has it.
    public func person(named name: String) async -> Person {
        guard case let .person(_, person)? = await request({ .lookup(requestID: $0, name: name) }) else {
            return Person(name: name, role: .observer)
        }
        return person
    }

    /// Who is attached to the runtime now, and what it has counted of its clients.
    public func attachments() async throws -> (attached: [Attachment], counts: ClientCounts) {
        guard case let .attached(_, list, counts)? = await request({ .who(requestID: $0) }) else { throw ServiceError("the runtime did not answer") }
        return (list, counts)
    }

    /// An outside agent's request and the runtime's answer (a link that said hello as an agent). A request in flight
    /// when the link is lost is sent again on reconnect; a proposal's idempotency key makes that harmless.
    public func ask(_ agentRequest: AgentRequest) async throws -> AgentAnswer {
        guard case let .agent(_, answer)? = await request({ .agent(requestID: $0, request: agentRequest) }) else {
            throw ServiceError("the runtime did not answer within \(timeoutText)")
        }
        return answer
    }

    /// Sends a request and waits for its answer: while disconnected it waits for the link to come back, up to the
    /// request timeout (10 s unless the link was made with another),
    /// and a request in flight when the link is lost is sent again on reconnect (the runtime answers it once).
    private func request(_ make: (UInt64) -> ClientMessage) async -> ServerMessage? {
        let id = state.withLock { s -> UInt64 in
            s.nextID += 1
            return s.nextID
        }
        let message = make(id)
        let patience = requestTimeout
        let timeout = Task { [weak self] in
            try? await Task.sleep(for: patience)
            let waiting = self?.state.withLock { $0.waiting.removeValue(forKey: id) }
            waiting?.continuation.resume(returning: .goodbye(reason: "timed out"))
        }
        defer { timeout.cancel() }
        let answer = await withCheckedContinuation { (continuation: CheckedContinuation<ServerMessage, Never>) in
            let writer = state.withLock { s -> NIOAsyncChannelOutboundWriter<ByteBuffer>? in
                s.waiting[id] = (message, continuation)
                return s.writer
            }
            if let writer, let frame = try? ByteBuffer.frame(message) {
                Task { try? await writer.write(frame) }
            }
        }
        if case .goodbye = answer { return nil }
        return answer
    }
}

extension ConnectionStatus {
    /// The status of a link welcomed by `welcome`.
    init(welcome: Welcome, isConnected: Bool, problem: String?) {
        self.init(runtime: "\(welcome.runtime.plantName) at \(welcome.runtime.socket)", person: welcome.person.label,
                  identity: welcome.identity.description, isClaimed: welcome.identity.isClaimed, isConnected: isConnected, problem: problem)
    }
}
