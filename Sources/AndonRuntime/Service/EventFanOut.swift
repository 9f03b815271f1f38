import AndonCore
import Synchronization

/// Hands every published event to each front end that subscribed, without ever waiting for one: each subscriber has
/// a bounded buffer, and one that falls a whole buffer behind is cut off (its stream finishes, so it can resubscribe
/// and resync) and counted. A subscriber that stops listening leaves.
final class EventFanOut: Sendable {
    private struct State {
        var subscribers: [Int: AsyncStream<EventEnvelope>.Continuation] = [:]
        var nextID = 0
        var highWater = 0
        var cutOff = 0
        var isFinished = false
    }

    /// Name shown in the Queues pane.
    let name: String
    /// Events a subscriber may fall behind before it is cut off.
    let capacity: Int
    private let state = Mutex(State())

    /// A fan-out with `capacity` events of room per subscriber.
    init(name: String, capacity: Int) {
        self.name = name
        self.capacity = max(1, capacity)
    }

    /// A new subscriber's stream; it ends when the subscriber is cut off or the runtime stops.
    func subscribe() -> AsyncStream<EventEnvelope> {
        let (stream, continuation) = AsyncStream.makeStream(of: EventEnvelope.self, bufferingPolicy: .bufferingOldest(capacity))
        let id: Int? = state.withLock { s in
            guard !s.isFinished else { return nil }
            s.nextID += 1
            s.subscribers[s.nextID] = continuation
            return s.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in self?.leave(id) }
        return stream
    }

    private func leave(_ id: Int) {
        _ = state.withLock { $0.subscribers.removeValue(forKey: id) }
    }

    /// Offers `events` to every subscriber; never waits.
    func publish(_ events: [EventEnvelope]) {
        guard !events.isEmpty else { return }
        var behind: [AsyncStream<EventEnvelope>.Continuation] = []
        state.withLock { s in
            for (id, continuation) in s.subscribers {
                delivery: for event in events {
                    switch continuation.yield(event) {
                    case let .enqueued(remaining):
                        s.highWater = max(s.highWater, capacity - remaining)
                    case .dropped:
                        s.subscribers[id] = nil
                        s.cutOff += 1
                        behind.append(continuation)
                        break delivery
                    case .terminated:
                        s.subscribers[id] = nil
                        break delivery
                    @unknown default:
                        s.subscribers[id] = nil
                        break delivery
                    }
                }
            }
        }
        // Finished outside the lock: finishing runs the stream's termination handler, which takes the lock.
        for continuation in behind { continuation.finish() }
    }

    /// Ends every subscriber's stream; later subscribers get an empty one.
    func finish() {
        let all = state.withLock { s in
            s.isFinished = true
            defer { s.subscribers.removeAll() }
            return Array(s.subscribers.values)
        }
        for continuation in all { continuation.finish() }
    }

    /// Subscribers now, and those cut off for falling behind so far.
    var figures: (subscribers: Int, cutOff: Int) {
        state.withLock { ($0.subscribers.count, $0.cutOff) }
    }

    /// The fan-out as a queue: capacity per subscriber, the most any one held, and cut-offs as drops.
    var queueSnapshot: QueueSnapshot {
        state.withLock { s in
            QueueSnapshot(id: name, kind: .mailbox, capacity: capacity, depth: 0, highWater: s.highWater, drops: s.cutOff, waits: 0)
        }
    }
}
