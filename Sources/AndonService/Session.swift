import AndonCore
import AndonRuntime
import AndonWire
import Foundation
import NIOCore
import Synchronization

/// One client's session: a hello within ``WireProtocol/helloTimeoutSeconds``, then a reader that carries out its
/// requests and a writer that sends what its outbox holds, each on a task of its own, so neither a flood nor a stalled
/// reader touches the runtime or the other clients.
struct Session {
    let host: ServiceHost
    let connection: Connection

    /// The person acting through the session, and how the runtime knows them (changes on a claimed takeover).
    private final class Who: Sendable {
        private let state: Mutex<(Person, Identity)>
        init(_ person: Person, _ identity: Identity) { state = Mutex((person, identity)) }
        var value: (person: Person, identity: Identity) { state.withLock { $0 } }
        func set(_ person: Person, _ identity: Identity) { state.withLock { $0 = (person, identity) } }
    }

    func run() async {
        let peer = connection.peer
        let login = peer.login
        let kernelPerson = host.identities.person(login)
        // Say hello in time, or be dropped. In time means its frame came in on the connection by then (the deadline
        // runs on the connection's event loop, after the reads of the same turn), not that this task had read it: on a
        // loaded machine the task may be scheduled late.
        let helloDone = Atomic<Bool>(false)
        let raw = connection.raw
        let arrival = connection.arrival
        let timeout = raw.eventLoop.scheduleTask(in: .milliseconds(Int64(WireProtocol.helloTimeoutSeconds * 1000))) {
            if !helloDone.load(ordering: .relaxed) && !arrival.hasArrived { raw.close(promise: nil) }
        }
        do {
            // The service stopping (its task cancelled) closes the connection, so a client that stays attached (an
            // outside agent, a console) never holds the shutdown up.
            try await withTaskCancellationHandler {
                try await connection.channel.executeThenClose { inbound, outbound in
                    var frames = inbound.makeAsyncIterator()
                    guard let first = try await frames.next() else {
                        if !helloDone.load(ordering: .relaxed) {
                            host.count { $0.silent += 1 }
                            await host.runtime.noteClient("dropped", by: kernelPerson, outcome: "dropped: said nothing within \(Int(WireProtocol.helloTimeoutSeconds)) s",
                                                          details: ["uid": "\(peer.uid)", "pid": "\(peer.pid)"])
                        }
                        return
                    }
                    helloDone.store(true, ordering: .relaxed)
                    timeout.cancel()
                    let hello: Hello
                    switch try? FrameCodec.decode(ClientMessage.self, from: first.readableBytesView) {
                    case let .hello(message)?: hello = message
                    default:
                        host.count { $0.malformed += 1 }
                        try? await outbound.write(.frame(ServerMessage.refused(reason: "the first message must be hello", serverVersion: WireProtocol.version)))
                        await host.runtime.noteClient("refused-attach", by: kernelPerson, outcome: "refused: the first message was not hello", details: ["uid": "\(peer.uid)"])
                        return
                    }
                    guard let (person, identity) = await admit(hello, login: login, kernelPerson: kernelPerson, outbound: outbound) else { return }
                    try await attached(hello, person: person, identity: identity, frames: &frames, outbound: outbound)
                }
            } onCancel: {
                raw.close(promise: nil)
            }
        } catch let error as FrameError {
            if case .oversize = error { host.count { $0.oversize += 1 } } else { host.count { $0.malformed += 1 } }
            await host.runtime.noteClient("dropped", by: kernelPerson, outcome: "dropped: \(error)", details: ["uid": "\(peer.uid)", "pid": "\(peer.pid)"])
        } catch {
            // The client went away; nothing else to do.
        }
        timeout.cancel()
    }

    /// Checks the hello: the version, the claim, the room. Sends the welcome, or the refusal and nil.
    private func admit(_ hello: Hello, login: String, kernelPerson: Person,
                       outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async -> (Person, Identity)? {
        let peer = connection.peer
        func refuse(_ reason: String) async -> (Person, Identity)? {
            host.count { $0.refused += 1 }
            try? await outbound.write(.frame(ServerMessage.refused(reason: reason, serverVersion: WireProtocol.version)))
            await host.runtime.noteClient("refused-attach", by: kernelPerson, outcome: "refused: \(reason)",
                                          details: ["uid": "\(peer.uid)", "pid": "\(peer.pid)", "program": hello.program])
            return nil
        }
        guard hello.protocolVersion == WireProtocol.version else {
            return await refuse("this runtime speaks protocol version \(WireProtocol.version), the client \(hello.protocolVersion): use an andon of the same release")
        }
        if hello.client == .agent {
            // An outside agent is who the plant declares, attached by a user the kernel names; it acts as nobody else.
            if let reason = await host.runtime.outsideRefusal(hello.agentID) {
                host.count { $0.refused += 1 }
                try? await outbound.write(.frame(ServerMessage.refused(reason: reason, serverVersion: WireProtocol.version)))
                await host.runtime.noteOutside(String((hello.agentID ?? "").prefix(100)), request: "hello", outcome: "refused: \(reason)",
                                               details: ["uid": "\(peer.uid)", "pid": "\(peer.pid)", "login": login, "program": String(hello.program.prefix(100))])
                return nil
            }
            return (Person(name: hello.agentID ?? "", role: .observer), .kernel(uid: peer.uid, login: login))
        }
        if let claimed = hello.claimedName, claimed != login {
            guard host.identities.acceptsClaims else {
                return await refuse("this roster does not accept claimed identities: who you are comes from your login (\(login)); log in as \(claimed) to act as them")
            }
            return (host.identities.person(claimed).claimed, .claimed(name: claimed, byLogin: login))
        }
        return (kernelPerson, .kernel(uid: peer.uid, login: login))
    }

    /// An attached client: welcome, a whole snapshot and the event log's tail, then its requests and our sends until
    /// either side ends it.
    private func attached(_ hello: Hello, person: Person, identity: Identity, frames: inout NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator,
                          outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        let since = TimeText.utcStamp(Date())
        let attachment = Attachment(person: person, identity: identity, client: hello.client, program: hello.program, since: since,
                                    isReadOnly: hello.isReadOnly)
        let peer = connection.peer
        let isQuery = hello.client == .query
        var id: Int?
        if !isQuery {
            id = host.register(attachment)
            guard id != nil else {
                host.count { $0.refused += 1 }
                try await outbound.write(.frame(ServerMessage.refused(reason: "the runtime has \(host.options.maxClients) clients already", serverVersion: WireProtocol.version)))
                return
            }
            if let agentID = agentID(of: hello) {
                await host.runtime.noteOutside(agentID, request: "attach", outcome: "attached as \(identity.description) (\(hello.program.prefix(100)))",
                                               details: ["uid": "\(peer.uid)", "pid": "\(peer.pid)"])
            } else {
                await host.runtime.noteClient("attach", by: person, outcome: "attached \(hello.client.rawValue) as \(identity.description)\(hello.isReadOnly ? ", watch only" : "")",
                                              details: ["uid": "\(peer.uid)", "pid": "\(peer.pid)", "program": hello.program,
                                                        "identity": identity.isClaimed ? "claimed" : "kernel"])
            }
        }
        let who = Who(person, identity)
        // A console's stream is compressed when it asks; an agent's answers are written as they are decided (their
        // latency is measured to the write), so its link stays plain.
        let compresses = hello.compression == WireProtocol.deflate && !isQuery && agentID(of: hello) == nil && (try? DeflateStream()) != nil
        try await outbound.write(.frame(ServerMessage.welcome(Welcome(runtime: host.identity, person: person, identity: identity, isReadOnly: hello.isReadOnly,
                                                                      compression: compresses ? WireProtocol.deflate : nil))))
        let outbox = SessionOutbox(eventLimit: host.options.eventBacklog)
        let isAgent = agentID(of: hello) != nil
        if let id, !isAgent { host.broadcast.add(outbox, id: id) }
        defer {
            if let id {
                host.broadcast.remove(id: id)
                host.unregister(id)
            }
            outbox.close()
        }
        let writer = Task { [host] in
            await Self.write(outbox, to: FrameSink(outbound, compresses: compresses), host: host, rate: hello.snapshotsPerSecond, sendsPlant: !isQuery && !isAgent)
        }
        defer { writer.cancel() }
        var bucket = TokenBucket(rate: host.options.commandsPerSecond, burst: host.options.commandBurst)
        var throttledInARow = 0
        while let frame = try await frames.next() {
            let received = ContinuousClock.now
            let message: ClientMessage
            do {
                message = try FrameCodec.decode(ClientMessage.self, from: frame.readableBytesView)
            } catch {
                host.count { $0.malformed += 1 }
                outbox.put(.goodbye(reason: "a malformed frame: \(error)"))
                await host.runtime.noteClient("dropped", by: who.value.person, outcome: "dropped: a malformed frame", details: ["uid": "\(peer.uid)"])
                try? await Task.sleep(for: .milliseconds(50))
                break
            }
            switch message {
            case .hello:
                host.count { $0.malformed += 1 }
                outbox.put(.goodbye(reason: "hello twice"))
                break
            case let .command(requestID, command):
                guard bucket.take() else {
                    throttledInARow += 1
                    host.count { $0.throttled += 1 }
                    outbox.put(.result(requestID: requestID, .refused("throttled: more than \(Int(host.options.commandsPerSecond)) commands a second")))
                    if throttledInARow == 1 {
                        await host.runtime.noteClient("throttled", by: who.value.person, outcome: "commands refused: too many too fast", details: ["uid": "\(peer.uid)"])
                    }
                    if throttledInARow > 200 {
                        outbox.put(.goodbye(reason: "dropped: a flood of commands"))
                        await host.runtime.noteClient("dropped", by: who.value.person, outcome: "dropped: a flood of commands", details: ["uid": "\(peer.uid)"])
                        try? await Task.sleep(for: .milliseconds(50))
                        return
                    }
                    continue
                }
                throttledInARow = 0
                let acting = who.value.person
                let result: CommandResult
                if isAgent {
                    result = .refused("refused: an outside agent proposes (agent requests); it never approves, acknowledges or commands")
                } else if hello.isReadOnly || isQuery {
                    result = .refused("refused: this console watches only")
                } else if case .takeOver = command {
                    result = .refused("refused: in a served runtime a console changes hands by attaching as the new person")
                } else {
                    result = await host.ledger.run(session: hello.session, id: requestID) { [runtime = host.runtime] in
                        await runtime.send(command, as: acting)
                    }
                }
                outbox.put(.result(requestID: requestID, result))
            case let .switchPerson(requestID, name):
                let (current, currentIdentity) = who.value
                guard host.identities.acceptsClaims, !hello.isReadOnly, !isQuery, !isAgent else {
                    outbox.put(.result(requestID: requestID, .refused("refused: who acts here comes from the login; the new person attaches as themselves (andon attach)")))
                    continue
                }
                let next = host.identities.person(name).claimed
                let result = await host.ledger.run(session: hello.session, id: requestID) { [runtime = host.runtime] in
                    await runtime.send(.takeOver(from: current.name), as: next)
                }
                if result.isAccepted {
                    let login: String
                    switch currentIdentity {
                    case let .kernel(_, name), let .claimed(_, name): login = name
                    }
                    who.set(next, .claimed(name: name, byLogin: login))
                    if let id { host.update(id, Attachment(person: next, identity: .claimed(name: name, byLogin: login), client: hello.client, program: hello.program, since: since, isReadOnly: hello.isReadOnly)) }
                }
                outbox.put(.result(requestID: requestID, result))
            case let .lookup(requestID, name):
                outbox.put(.person(requestID: requestID, host.identities.person(name)))
            case let .who(requestID):
                outbox.put(.attached(requestID: requestID, host.attachments, host.figures))
            case let .agent(requestID, request):
                guard let agentID = agentID(of: hello) else {
                    outbox.put(.agent(requestID: requestID, answer: .refused(reason: "only an outside agent (client: agent) sends agent requests")))
                    continue
                }
                guard bucket.take() else {
                    throttledInARow += 1
                    host.count { $0.throttled += 1 }
                    outbox.put(.agent(requestID: requestID, answer: .refused(reason: "throttled: more than \(Int(host.options.commandsPerSecond)) requests a second")))
                    if throttledInARow > 200 {
                        outbox.put(.goodbye(reason: "dropped: a flood of requests"))
                        await host.runtime.noteOutside(agentID, request: "flood", outcome: "dropped: a flood of requests", details: ["uid": "\(peer.uid)"])
                        try? await Task.sleep(for: .milliseconds(50))
                        return
                    }
                    continue
                }
                throttledInARow = 0
                try await answer(request, id: requestID, agent: agentID, received: received, outbound: outbound)
            case .resync:
                outbox.requestResync("asked for")
            case .bye:
                break
            }
            if case .bye = message { break }
            if case .hello = message { try? await Task.sleep(for: .milliseconds(50)); break }
        }
        if let agentID = agentID(of: hello) {
            await host.runtime.noteOutside(agentID, request: "detach", outcome: "detached", details: ["uid": "\(peer.uid)", "pid": "\(peer.pid)"])
        } else if !isQuery {
            await host.runtime.noteClient("detach", by: who.value.person, outcome: "detached", details: ["uid": "\(peer.uid)", "pid": "\(peer.pid)"])
        }
    }

    /// The declared agent a hello attached as (agents only; the hello was checked at admission).
    private func agentID(of hello: Hello) -> String? {
        hello.client == .agent ? hello.agentID : nil
    }

    /// Answers an outside agent's request and writes the answer itself, so the time from the request's frame being
    /// read to its answer being written is the agent's decision latency, counted against its budget. A slow reader
    /// stalls only its own session.
    private func answer(_ request: AgentRequest, id: UInt64, agent: String, received: ContinuousClock.Instant,
                        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) async throws {
        let answer: AgentAnswer
        if case let .events(limit) = request {
            let count = max(1, min(limit ?? 50, host.options.eventTail))
            answer = .events(events: host.broadcast.tail.suffix(count).map(EventLine.init))
        } else {
            answer = await host.runtime.answer(request, from: agent)
        }
        try await outbound.write(.frame(ServerMessage.agent(requestID: id, answer: answer)))
        if case .propose = request {
            let elapsed = ContinuousClock.now - received
            let nanos = UInt64(max(0, elapsed.components.seconds)) * 1_000_000_000 + UInt64(max(0, elapsed.components.attoseconds / 1_000_000_000))
            await host.runtime.noteOutsideLatency(agent, nanos: nanos)
        }
    }

    /// The writer: answers first, then events, then the newest snapshot as a patch against the one the client holds
    /// (or whole), no more often than the client asked. A stalled client stalls only this task.
    private static func write(_ outbox: SessionOutbox, to outbound: FrameSink, host: ServiceHost,
                              rate: Double, sendsPlant: Bool) async {
        let spacing = Duration.milliseconds(Int(1000 / max(0.2, min(rate, 30))))
        var held: UInt64?
        var lastSent = ContinuousClock.now - spacing
        var snapshotWaiting = sendsPlant
        var needsWhole = sendsPlant
        var tailOnResync = sendsPlant
        do {
            for await _ in outbox.wakes {
                let taken = outbox.take()
                for answer in taken.answers {
                    try await outbound.write(.frame(answer))
                    if case .goodbye = answer { return }
                }
                guard sendsPlant else { continue }
                if let reason = taken.resync {
                    host.count { $0.resyncs += 1 }
                    try await outbound.write(.frame(ServerMessage.resync(reason: reason)))
                    needsWhole = true
                    tailOnResync = true
                } else if !taken.events.isEmpty {
                    try await outbound.write(.frame(ServerMessage.events(taken.events)))
                }
                snapshotWaiting = snapshotWaiting || taken.hasSnapshot
                guard snapshotWaiting, let latest = host.broadcast.latest, latest.number != held else { continue }
                let now = ContinuousClock.now
                if !needsWhole, now - lastSent < spacing {
                    // Not due yet: wake again when it is.
                    let wait = spacing - (now - lastSent)
                    Task { [outbox] in
                        try? await Task.sleep(for: wait)
                        outbox.snapshotArrived()
                    }
                    continue
                }
                let (frame, isWhole) = try host.broadcast.frame(from: needsWhole ? nil : held, to: latest)
                try await outbound.write(frame)
                if isWhole, tailOnResync { try await outbound.write(.frame(ServerMessage.events(host.broadcast.tail))) }
                held = latest.number
                lastSent = now
                snapshotWaiting = false
                needsWhole = false
                tailOnResync = false
            }
        } catch {
            // The client is gone; the reader ends the session.
        }
    }
}

/// At most `burst` commands at once, refilled at `rate` a second.
struct TokenBucket {
    let rate: Double
    let burst: Double
    private var tokens: Double
    private var last = ContinuousClock.now

    init(rate: Double, burst: Double) {
        self.rate = rate
        self.burst = burst
        tokens = burst
    }

    mutating func take() -> Bool {
        let now = ContinuousClock.now
        let elapsed = now - last
        last = now
        tokens = min(burst, tokens + (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * rate)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// Where a session's frames go after the welcome: as they are, or each body compressed into the session's deflate
/// stream (when the hello asked), one frame per message either way.
struct FrameSink {
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let deflater: DeflateStream?

    init(_ outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, compresses: Bool) {
        self.outbound = outbound
        deflater = compresses ? try? DeflateStream() : nil
    }

    func write(_ frame: ByteBuffer) async throws {
        guard let deflater else {
            try await outbound.write(frame)
            return
        }
        let packed = deflater.compress(frame.readableBytesView.dropFirst(4))
        var buffer = ByteBuffer()
        buffer.reserveCapacity(packed.count + 4)
        buffer.writeInteger(UInt32(packed.count))
        buffer.writeBytes(packed)
        try await outbound.write(buffer)
    }
}
