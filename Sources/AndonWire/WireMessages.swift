import AndonCore

/// The service socket's protocol: what a client and the runtime say to each other, one message per frame
/// (``FrameCodec``), JSON-encoded.
///
/// A client's first message is ``Hello`` with the protocol version it speaks; the runtime answers ``Welcome`` (who
/// the kernel says the client is, mapped through the roster) or ``ServerMessage/refused(reason:serverVersion:)``
/// naming both versions. Then the runtime sends a full snapshot, then patches against the last one the client holds
/// (latest wins, at most the rate the client asked for) and numbered events; the client sends commands, each with a
/// request id, whose answers come back by that id. A client that falls behind gets a resync (a fresh snapshot and the
/// event log's tail), never an unbounded queue.
public enum WireProtocol {
    /// The version this build speaks.
    public static let version = 1
    /// Largest frame a client may send (bytes of JSON).
    public static let maxClientFrame = 64 * 1024
    /// Largest frame the runtime sends (a full snapshot of a large plant).
    public static let maxServerFrame = 64 * 1024 * 1024
    /// Seconds a client has to say hello before it is dropped.
    public static let helloTimeoutSeconds = 5.0
    /// What this build can do beyond the base protocol.
    public static let capabilities = ["snapshot-patch", "events", "who", "lookup", "claimed-identity", "signatures", "deflate", "outside-agents"]
    /// The one compression a hello may ask for.
    public static let deflate = "deflate"
}

/// What kind of client is at the other end.
public enum ClientKind: String, Sendable, Hashable, Codable {
    /// A person's console (`andon attach`, or a console of `andon demo`'s own).
    case console
    /// An outside agent.
    case agent
    /// A one-off question (`andon who`): no plant data is sent, and it is not listed among the attached.
    case query
}

/// A client's first message.
public struct Hello: Sendable, Hashable, Codable {
    /// The protocol version the client speaks.
    public var protocolVersion: Int
    /// What the client is.
    public var client: ClientKind
    /// The program, for `andon who` and the log (`andon attach 2`).
    public var program: String
    /// A token the client keeps across reconnects, so a command sent twice has effect once.
    public var session: String
    /// The person the client claims to be: accepted only where the roster says identities are claimed (a demo);
    /// otherwise the attach is refused, since who a person is comes from the kernel.
    public var claimedName: String?
    /// Watch only: every command is refused.
    public var isReadOnly: Bool
    /// Most snapshots per second the client wants.
    public var snapshotsPerSecond: Double
    /// An outside agent's id (agents only).
    public var agentID: String?
    /// `deflate`: the client reads the runtime's frames after the welcome as one raw deflate stream (each frame's
    /// body compressed, flushed at its end). Absent: plain JSON frames.
    public var compression: String?

    /// A hello.
    public init(client: ClientKind, program: String, session: String, claimedName: String? = nil, isReadOnly: Bool = false,
                snapshotsPerSecond: Double = 4, agentID: String? = nil, compression: String? = nil, protocolVersion: Int = WireProtocol.version) {
        self.protocolVersion = protocolVersion
        self.client = client
        self.program = program
        self.session = session
        self.claimedName = claimedName
        self.isReadOnly = isReadOnly
        self.snapshotsPerSecond = snapshotsPerSecond
        self.agentID = agentID
        self.compression = compression
    }
}

/// How the runtime knows who a client is.
public enum Identity: Sendable, Hashable, Codable {
    /// The kernel says so (the socket's peer credentials): the login of user `uid`.
    case kernel(uid: UInt32, login: String)
    /// Claimed by name, allowed only in a demo roster that says so: every record of the session says so too.
    case claimed(name: String, byLogin: String)

    /// In words, for the header and `andon who`.
    public var description: String {
        switch self {
        case let .kernel(uid, login): "\(login) (uid \(uid))"
        case let .claimed(name, login): "claimed identity \(name) (demo) by \(login)"
        }
    }

    /// True for a claimed identity.
    public var isClaimed: Bool {
        if case .claimed = self { return true }
        return false
    }
}

/// Which runtime a client is attached to.
public struct RuntimeIdentity: Sendable, Hashable, Codable {
    /// The plant's id.
    public var plantID: String
    /// The plant's name.
    public var plantName: String
    /// The socket's path.
    public var socket: String
    /// The runtime's process id.
    public var pid: Int32
    /// When it started, ISO 8601.
    public var startedAt: String

    /// A runtime identity.
    public init(plantID: String, plantName: String, socket: String, pid: Int32, startedAt: String) {
        self.plantID = plantID
        self.plantName = plantName
        self.socket = socket
        self.pid = pid
        self.startedAt = startedAt
    }
}

/// The runtime's answer to a hello it accepts.
public struct Welcome: Sendable, Hashable, Codable {
    /// The protocol version spoken from now on.
    public var protocolVersion: Int
    /// The runtime.
    public var runtime: RuntimeIdentity
    /// Who the client is, with the role the roster gives.
    public var person: Person
    /// How that was established.
    public var identity: Identity
    /// Watch only.
    public var isReadOnly: Bool
    /// What the runtime can do.
    public var capabilities: [String]
    /// `deflate` when the frames after this one are compressed, as the hello asked.
    public var compression: String?

    /// A welcome.
    public init(runtime: RuntimeIdentity, person: Person, identity: Identity, isReadOnly: Bool, capabilities: [String] = WireProtocol.capabilities,
                compression: String? = nil, protocolVersion: Int = WireProtocol.version) {
        self.protocolVersion = protocolVersion
        self.runtime = runtime
        self.person = person
        self.identity = identity
        self.isReadOnly = isReadOnly
        self.capabilities = capabilities
        self.compression = compression
    }
}

/// One client attached to a runtime, as `andon who` lists it.
public struct Attachment: Sendable, Hashable, Codable {
    /// Who.
    public var person: Person
    /// How the runtime knows.
    public var identity: Identity
    /// Console or agent.
    public var client: ClientKind
    /// The program.
    public var program: String
    /// Since when, ISO 8601.
    public var since: String
    /// Watch only.
    public var isReadOnly: Bool

    /// An attachment.
    public init(person: Person, identity: Identity, client: ClientKind, program: String, since: String, isReadOnly: Bool) {
        self.person = person
        self.identity = identity
        self.client = client
        self.program = program
        self.since = since
        self.isReadOnly = isReadOnly
    }
}

/// What a client sends.
public enum ClientMessage: Sendable, Hashable, Codable {
    /// The first message.
    case hello(Hello)
    /// A person's command; the answer comes back with the same request id. Sent twice, it has effect once.
    case command(requestID: UInt64, command: OperatorCommand)
    /// The roster entry for a name (a console's `:operator NAME` where identities are claimed).
    case lookup(requestID: UInt64, name: String)
    /// The console is handed to the person named (`:operator NAME`): allowed only where identities are claimed; the
    /// answer is the takeover's result, and the session's person changes with it.
    case switchPerson(requestID: UInt64, name: String)
    /// Who is attached.
    case who(requestID: UInt64)
    /// An outside agent's request (agents only): reads, a proposal, a withdrawal. Answered by
    /// ``ServerMessage/agent(requestID:answer:)`` with the same request id.
    case agent(requestID: UInt64, request: AgentRequest)
    /// Send a full snapshot and the event log's tail.
    case resync
    /// Leaving.
    case bye
}

/// What the runtime sends.
public enum ServerMessage: Sendable, Codable {
    /// The hello was accepted.
    case welcome(Welcome)
    /// The hello was refused (a wrong version, a claim the roster does not allow); the connection closes.
    case refused(reason: String, serverVersion: Int)
    /// A whole snapshot, numbered.
    case snapshot(number: UInt64, PlantSnapshot)
    /// The changes from snapshot `base` (which the client holds) to snapshot `number`.
    case patch(number: UInt64, base: UInt64, SnapshotPatch)
    /// Events, in order.
    case events([EventEnvelope])
    /// The client fell behind: a whole snapshot and the event log's tail follow.
    case resync(reason: String)
    /// The answer to a command.
    case result(requestID: UInt64, CommandResult)
    /// The answer to a lookup.
    case person(requestID: UInt64, Person)
    /// The answer to who: who is attached, and what the service has counted of its clients.
    case attached(requestID: UInt64, [Attachment], ClientCounts)
    /// The answer to an outside agent's request.
    case agent(requestID: UInt64, answer: AgentAnswer)
    /// The runtime is ending the connection, and why.
    case goodbye(reason: String)
}

/// What a service has counted of its clients: every bad one is counted.
public struct ClientCounts: Sendable, Hashable, Codable {
    /// Clients attached now.
    public var attached = 0
    /// Attaches so far.
    public var attaches = 0
    /// Clients refused at hello (a wrong version, a claim the roster does not allow, too many clients).
    public var refused = 0
    /// Clients dropped for a malformed frame.
    public var malformed = 0
    /// Clients dropped for a frame over the limit.
    public var oversize = 0
    /// Clients dropped for saying nothing.
    public var silent = 0
    /// Commands refused for coming too fast.
    public var throttled = 0
    /// Clients resynced for falling behind.
    public var resyncs = 0

    /// No counts yet.
    public init() {}

    /// `attached 3 · refused 1 · dropped 2 (malformed 1, oversize 0, silent 1) · throttled 0 · resyncs 4`.
    public var description: String {
        "attached \(attached) (\(attaches) since start) · refused \(refused) · dropped \(malformed + oversize + silent) (malformed \(malformed), "
            + "oversize \(oversize), silent \(silent)) · throttled commands \(throttled) · resyncs \(resyncs)"
    }
}
