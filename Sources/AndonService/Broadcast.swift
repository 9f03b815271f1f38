import AndonCore
import AndonWire
import NIOCore
import Synchronization

/// What every session sends, made once: each snapshot numbered and encoded once, the patches between them cached,
/// and the tail of the event log kept for clients that resync. With no session attached a snapshot is only kept, and
/// encoded if one attaches and asks for it: at 10,000 cells an encoded snapshot costs tens of milliseconds and tens of
/// megabytes, which a plant nobody watches remotely should not pay.
final class Broadcast: Sendable {
    private struct State {
        var number: UInt64 = 0
        var latest: SnapshotDocument?
        /// The latest snapshot while nobody has asked for its document.
        var pending: PlantSnapshot?
        /// Documents recently sent, by number: the bases patches are computed from.
        var recent: [UInt64: SnapshotDocument] = [:]
        /// Patch frames by the pair they go between, each encoded once for every session on that base.
        var patches: [Pair: ByteBuffer] = [:]
        /// Whole-snapshot frames by number, encoded once.
        var wholes: [UInt64: ByteBuffer] = [:]
        var tail: [EventEnvelope] = []
        var outboxes: [Int: SessionOutbox] = [:]
    }

    private struct Pair: Hashable {
        let base: UInt64
        let number: UInt64
    }

    /// Documents kept as bases for patches; a client further behind gets a whole snapshot.
    static let basesKept = 4

    /// Events kept for a client that resyncs.
    let tailLength: Int
    /// Most bytes (of their JSON text) the bases may hold together beyond the last two: a document of a plant of
    /// 10,000 cells is a tree of a few hundred megabytes, and four of them took the service past a gigabyte. A large
    /// plant's clients more than one snapshot behind then get a whole one.
    let baseBytes: Int
    private let state = Mutex(State())

    init(tailLength: Int, baseBytes: Int = 64 << 20) {
        self.tailLength = tailLength
        self.baseBytes = baseBytes
    }

    /// Numbers and encodes a new snapshot, then wakes every session; with none attached, only numbers and keeps it.
    func publish(_ snapshot: PlantSnapshot) {
        let isWatched = state.withLock { s in
            guard s.outboxes.isEmpty else { return true }
            s.number += 1
            s.latest = nil
            s.pending = snapshot
            s.recent.removeAll()
            s.patches.removeAll()
            s.wholes.removeAll()
            return false
        }
        guard isWatched else { return }
        let previous = state.withLock { $0.latest }
        guard let document = try? SnapshotDocument(snapshot, after: previous) else { return }
        let outboxes = state.withLock { s in
            s.number += 1
            s.latest = document
            s.pending = nil
            s.recent[s.number] = document
            var bytes = s.recent.values.reduce(0) { $0 + ($1.encodedBytes ?? 0) }
            while s.recent.count > Self.basesKept || s.recent.count > 2 && bytes > baseBytes, let oldest = s.recent.keys.min() {
                bytes -= s.recent[oldest]?.encodedBytes ?? 0
                s.recent[oldest] = nil
            }
            s.patches = s.patches.filter { s.recent[$0.key.base] != nil }
            s.wholes = s.wholes.filter { s.recent[$0.key] != nil }
            return Array(s.outboxes.values)
        }
        for outbox in outboxes { outbox.snapshotArrived() }
    }

    /// Keeps events for resyncs and hands them to every session.
    func publish(_ events: [EventEnvelope]) {
        guard !events.isEmpty else { return }
        let outboxes = state.withLock { s in
            s.tail.append(contentsOf: events)
            if s.tail.count > tailLength { s.tail.removeFirst(s.tail.count - tailLength) }
            return Array(s.outboxes.values)
        }
        for outbox in outboxes { outbox.put(events) }
    }

    /// The latest snapshot's number and document.
    var latest: (number: UInt64, document: SnapshotDocument)? {
        let (number, document, pending) = state.withLock { s in (s.number, s.latest, s.pending) }
        if let document { return (number, document) }
        guard let pending, let made = try? SnapshotDocument(pending) else { return nil }
        state.withLock { s in
            guard s.number == number, s.latest == nil else { return }
            s.latest = made
            s.pending = nil
            s.recent[number] = made
        }
        return (number, made)
    }

    /// The event log's tail.
    var tail: [EventEnvelope] { state.withLock { $0.tail } }

    /// The frame that brings a client holding `base` to snapshot `number`: the patch between them, or the whole
    /// snapshot when the client holds none, its base is no longer kept, or the patch would be the longer of the two.
    /// Each is encoded once, whatever the number of sessions.
    func frame(from base: UInt64?, to latest: (number: UInt64, document: SnapshotDocument)) throws -> (frame: ByteBuffer, isWhole: Bool) {
        let (number, new) = latest
        let pair = base.map { Pair(base: $0, number: number) }
        let (cachedPatch, cachedWhole, old) = state.withLock { s in
            (pair.flatMap { s.patches[$0] }, s.wholes[number], base.flatMap { s.recent[$0] })
        }
        func whole() throws -> (frame: ByteBuffer, isWhole: Bool) {
            if let cachedWhole { return (cachedWhole, true) }
            let frame = ByteBuffer(bytes: FrameCodec.snapshotFrame(number: number, document: new.json))
            state.withLock { $0.wholes[number] = frame }
            return (frame, true)
        }
        guard let base, let pair else { return try whole() }
        let patch: ByteBuffer
        if let cachedPatch {
            patch = cachedPatch
        } else if let old {
            patch = try ByteBuffer.frame(ServerMessage.patch(number: number, base: base, new.patch(from: old)))
            state.withLock { $0.patches[pair] = patch }
        } else {
            return try whole()
        }
        // The whole snapshot's size is known from its document (plus its frame's envelope, under 64 bytes): it is encoded
        // as a frame only when it is sent.
        let wholeBytes = cachedWhole?.readableBytes ?? new.encodedBytes.map { $0 + 64 } ?? Int.max
        return patch.readableBytes < wholeBytes ? (patch, false) : try whole()
    }

    /// Registers a session's outbox under `id`.
    func add(_ outbox: SessionOutbox, id: Int) { state.withLock { $0.outboxes[id] = outbox } }

    /// Forgets a session.
    func remove(id: Int) { _ = state.withLock { $0.outboxes.removeValue(forKey: id) } }
}

/// What one session has to send, kept bounded whatever its client does: answers (always sent), events (up to a
/// limit, past which the session resyncs instead), and the latest snapshot's number (latest wins).
final class SessionOutbox: Sendable {
    struct Taken {
        var answers: [ServerMessage] = []
        var events: [EventEnvelope] = []
        var resync: String?
        var hasSnapshot = false
    }

    private struct State {
        var answers: [ServerMessage] = []
        var events: [EventEnvelope] = []
        var resync: String?
        var hasSnapshot = false
        var isClosed = false
    }

    /// Events held before the session is made to resync.
    let eventLimit: Int
    private let state = Mutex(State())
    private let wake: AsyncStream<Void>.Continuation
    /// Wakes the session's writer (coalesced).
    let wakes: AsyncStream<Void>

    init(eventLimit: Int) {
        self.eventLimit = eventLimit
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// An answer to send (never dropped).
    func put(_ answer: ServerMessage) {
        state.withLock { $0.answers.append(answer) }
        wake.yield()
    }

    /// Events to send; a client that has fallen a whole limit behind gets a resync instead.
    func put(_ events: [EventEnvelope]) {
        state.withLock { s in
            guard s.resync == nil else { return }
            if s.events.count + events.count > eventLimit {
                s.events.removeAll()
                s.resync = "fell more than \(eventLimit) events behind"
            } else {
                s.events.append(contentsOf: events)
            }
        }
        wake.yield()
    }

    /// A new snapshot is there to send.
    func snapshotArrived() {
        state.withLock { $0.hasSnapshot = true }
        wake.yield()
    }

    /// The client asked for a whole snapshot and the event log's tail.
    func requestResync(_ reason: String) {
        state.withLock { $0.resync = reason }
        wake.yield()
    }

    /// Takes everything to send now.
    func take() -> Taken {
        state.withLock { s in
            defer {
                s.answers.removeAll()
                s.events.removeAll()
                s.resync = nil
                s.hasSnapshot = false
            }
            return Taken(answers: s.answers, events: s.events, resync: s.resync, hasSnapshot: s.hasSnapshot)
        }
    }

    /// No more wakes: the writer ends.
    func close() {
        wake.finish()
    }
}
