import AndonCore
import Synchronization

/// A bounded queue between tasks. A full mailbox makes `send` wait (never-dropped classes) or drops the
/// oldest item (telemetry class); it keeps the figures the Queues pane shows.
public final class AsyncMailbox<Element: Sendable>: Sendable {
    private struct State {
        var items: [Element] = []
        var head = 0
        var producers: [CheckedContinuation<Void, Never>] = []
        var consumer: CheckedContinuation<Element?, Never>?
        var isFinished = false
        var highWater = 0
        var drops = 0
        var waits = 0
        var depth: Int { items.count - head }

        mutating func pop() -> Element? {
            guard head < items.count else { return nil }
            let item = items[head]
            head += 1
            if head > 64, head * 2 > items.count {
                items.removeFirst(head)
                head = 0
            }
            return item
        }
    }

    /// Queue name.
    public let name: String
    /// Most items held.
    public let capacity: Int
    private let state = Mutex(State())

    /// Creates a mailbox.
    public init(name: String, capacity: Int) {
        self.name = name
        self.capacity = capacity
    }

    /// Puts an item in; waits while full when `policy` is `.producerWaits`, else drops the oldest.
    public func send(_ element: Element, policy: OverflowPolicy) async {
        while true {
            let outcome: Int = state.withLock { s in
                if s.isFinished { return 0 }
                if let consumer = s.consumer {
                    s.consumer = nil
                    consumer.resume(returning: element)
                    return 0
                }
                if s.depth < capacity {
                    s.items.append(element)
                    s.highWater = max(s.highWater, s.depth)
                    return 0
                }
                if policy == .dropOldest {
                    _ = s.pop()
                    s.drops += 1
                    s.items.append(element)
                    return 0
                }
                s.waits += 1
                return 1
            }
            if outcome == 0 { return }
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if s.depth < capacity || s.isFinished { return true }
                    s.producers.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    /// Takes the next item, waiting for one; nil once finished and empty.
    public func receive() async -> Element? {
        if let ready = takeReady() { return ready.value }
        return await withCheckedContinuation { (continuation: CheckedContinuation<Element?, Never>) in
            let immediate: Element?? = state.withLock { s in
                if let item = s.pop() {
                    if !s.producers.isEmpty { s.producers.removeFirst().resume() }
                    return .some(item)
                }
                if s.isFinished { return .some(nil) }
                s.consumer = continuation
                return nil
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    private func takeReady() -> (value: Element?, Void)? {
        state.withLock { s in
            guard let item = s.pop() else { return nil }
            if !s.producers.isEmpty { s.producers.removeFirst().resume() }
            return (item, ())
        }
    }

    /// Ends the mailbox: waiting producers and the consumer are released.
    public func finish() {
        let (producers, consumer) = state.withLock { s in
            s.isFinished = true
            defer { s.producers.removeAll(); s.consumer = nil }
            return (s.producers, s.consumer)
        }
        producers.forEach { $0.resume() }
        consumer?.resume(returning: nil)
    }

    /// Capacity, depth, high-water mark, drops and waits.
    public var figures: QueueSnapshot {
        state.withLock { s in
            QueueSnapshot(id: name, kind: .mailbox, capacity: capacity, depth: s.depth, highWater: s.highWater, drops: s.drops, waits: s.waits)
        }
    }

    /// The items as an `AsyncStream`, for front ends.
    public func stream() -> AsyncStream<Element> {
        AsyncStream { [self] in await self.receive() }
    }
}
