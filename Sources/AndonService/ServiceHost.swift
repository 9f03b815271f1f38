import AndonCore
import AndonRuntime
import AndonWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// Who a client is: the kernel's word (its login, through the roster), or, only where the roster says identities are
/// claimed (a demo), the name it claims.
public struct ServiceIdentities: Sendable {
    /// The roster entry for a name (unknown names are observers).
    public var person: @Sendable (String) -> Person
    /// True when the roster says identities are claimed (`identity: claimed`): a client may name its person.
    public var acceptsClaims: Bool

    /// Identities from a roster lookup.
    public init(person: @escaping @Sendable (String) -> Person, acceptsClaims: Bool) {
        self.person = person
        self.acceptsClaims = acceptsClaims
    }
}

/// How the service treats its clients.
public struct ServiceOptions: Sendable {
    /// The socket's path.
    public var socketPath: String
    /// A group whose members may attach (the socket's folder becomes 0750 and theirs); nil: the runtime's user only.
    public var group: String?
    /// Most clients attached at once; more are refused.
    public var maxClients: Int
    /// Commands a client may send per second, sustained, and in a burst; past them its commands are refused and counted.
    public var commandsPerSecond: Double
    /// See ``commandsPerSecond``.
    public var commandBurst: Double
    /// Events a client may fall behind before it is resynced instead.
    public var eventBacklog: Int
    /// Events sent with a resync.
    public var eventTail: Int

    /// Options for a socket at `socketPath`.
    public init(socketPath: String, group: String? = nil, maxClients: Int = 200, commandsPerSecond: Double = 10, commandBurst: Double = 20,
                eventBacklog: Int = 2000, eventTail: Int = 200) {
        self.socketPath = socketPath
        self.group = group
        self.maxClients = maxClients
        self.commandsPerSecond = commandsPerSecond
        self.commandBurst = commandBurst
        self.eventBacklog = eventBacklog
        self.eventTail = eventTail
    }
}

/// What the service has seen of its clients.
public typealias ServiceFigures = ClientCounts

/// The runtime as a service: a Unix socket that consoles (`andon attach`) and outside agents connect to. Who a client
/// is comes from the kernel (the socket's peer credentials), mapped through the roster. The runtime never waits on a
/// client: each has a bounded outbox, falls back to a resync when it is behind, is throttled when it floods, dropped
/// when it breaks the protocol or says nothing; each is counted, and attaches, detaches, refusals and throttling are
/// on record.
public final class ServiceHost: Sendable {
    let runtime: PlantRuntime
    /// How the service treats its clients.
    public let options: ServiceOptions
    let identities: ServiceIdentities
    let identity: RuntimeIdentity
    let broadcast: Broadcast
    let ledger = CommandLedger()
    private let registry = Mutex(Registry())
    private let logger: Logger

    struct Registry {
        var nextID = 0
        var attached: [Int: Attachment] = [:]
        var figures = ServiceFigures()
    }

    /// A service for `runtime` of `plant`.
    public init(runtime: PlantRuntime, plant: PlantSpec, options: ServiceOptions, identities: ServiceIdentities,
                logger: Logger = Logger(label: "andon.service")) {
        self.runtime = runtime
        self.options = options
        self.identities = identities
        self.logger = logger
        broadcast = Broadcast(tailLength: options.eventTail)
        identity = RuntimeIdentity(plantID: plant.id, plantName: plant.name, socket: options.socketPath, pid: getpid(),
                                   startedAt: TimeText.utcStamp(Date()))
    }

    /// Clients attached now.
    public var attachments: [Attachment] { registry.withLock { $0.attached.sorted { $0.key < $1.key }.map(\.value) } }

    /// What the service has seen of its clients.
    public var figures: ServiceFigures { registry.withLock { $0.figures } }

    func count(_ change: (inout ServiceFigures) -> Void) { registry.withLock { change(&$0.figures) } }

    func register(_ attachment: Attachment) -> Int? {
        registry.withLock { r in
            guard r.attached.count < options.maxClients else { return nil }
            r.nextID += 1
            r.attached[r.nextID] = attachment
            r.figures.attached = r.attached.count
            r.figures.attaches += 1
            return r.nextID
        }
    }

    func update(_ id: Int, _ attachment: Attachment) { registry.withLock { $0.attached[id] = attachment } }

    func unregister(_ id: Int) {
        registry.withLock { r in
            r.attached[id] = nil
            r.figures.attached = r.attached.count
        }
    }

    /// Serves the socket until the task is cancelled: the socket's folder is made private, a stale socket removed, and
    /// the socket removed again at the end. Throws when the socket cannot be served (another runtime has it).
    public func run() async throws {
        try ServiceSocket.prepare(options.socketPath, group: options.group)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 128)
            .bind(unixDomainSocketPath: options.socketPath) { channel in
                PeerCredentials.of(channel).flatMapThrowing { peer in
                    let arrival = FrameArrival()
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(limit: WireProtocol.maxClientFrame, arrival: arrival)))
                    let wrapped = try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    return Connection(channel: wrapped, peer: peer, raw: channel, arrival: arrival)
                }
            }
        chmod(options.socketPath, 0o660)
        if let group = options.group, let entry = getgrnam(group) { chown(options.socketPath, getuid(), entry.pointee.gr_gid) }
        logger.info("serving", metadata: ["socket": "\(options.socketPath)"])
        defer { unlink(options.socketPath) }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.pumpRuntime() }
            do {
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        group.addTask { await Session(host: self, connection: connection).run() }
                    }
                }
            } catch {
                if !Task.isCancelled { logger.error("service stopped", metadata: ["error": "\(error)"]) }
            }
            group.cancelAll()
        }
    }

    /// Takes the runtime's snapshots and events once, for every session.
    private func pumpRuntime() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await snapshot in self.runtime.snapshots() { self.broadcast.publish(snapshot) }
            }
            group.addTask {
                // The fan-out cuts a subscriber off only if it falls far behind; then subscribe again.
                while !Task.isCancelled {
                    var batch: [EventEnvelope] = []
                    for await event in self.runtime.events() {
                        batch.append(event)
                        self.broadcast.publish(batch)
                        batch.removeAll(keepingCapacity: true)
                    }
                    try? await Task.sleep(for: .milliseconds(50))
                }
            }
        }
    }
}

/// One accepted client: its channel and who the kernel says it is.
struct Connection: Sendable {
    let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
    let peer: PeerCredentials
    let raw: any Channel
    /// Whether a first frame has come in, whether or not the session has read it yet.
    let arrival: FrameArrival
}

/// Commands already carried out, by the client's session token and request id: a command sent twice (a retry after a
/// reconnect) has effect once and gets the first answer again.
actor CommandLedger {
    private var answers: [String: [UInt64: Task<CommandResult, Never>]] = [:]
    private var order: [(String, UInt64)] = []

    /// The answer to request `id` of `session`, carrying it out only the first time.
    func run(session: String, id: UInt64, _ body: @escaping @Sendable () async -> CommandResult) async -> CommandResult {
        if let known = answers[session]?[id] { return await known.value }
        let task = Task { await body() }
        answers[session, default: [:]][id] = task
        order.append((session, id))
        if order.count > 10_000 {
            let (oldSession, oldID) = order.removeFirst()
            answers[oldSession]?[oldID] = nil
        }
        return await task.value
    }
}
