/// What a mailbox does when it is full.
public enum OverflowPolicy: String, Sendable, Hashable, Codable {
    /// Drop the oldest item and count the drop (telemetry).
    case dropOldest = "drop_oldest"
    /// Refuse the item so the producer waits (proposals, decisions, operator commands).
    case producerWaits = "producer_waits"
}

/// The result of offering an item to a mailbox.
public enum MailboxOffer: Sendable, Equatable {
    /// Taken.
    case accepted
    /// Taken, and the oldest item was dropped to make room.
    case acceptedDroppingOldest
    /// Full: the producer must wait and offer again after the consumer has taken something.
    case full
}

/// A bounded FIFO ring with a declared overflow policy per event class, and the figures a supervisor
/// needs: capacity, depth, high-water mark, drops and producer waits.
public struct Mailbox<Element> {
    /// Name shown in the Queues pane.
    public let name: String
    /// Most items it holds.
    public let capacity: Int
    private var storage: [Element?]
    private var head = 0
    /// Items in it now.
    public private(set) var depth = 0
    /// The most it has held.
    public private(set) var highWater = 0
    /// Items dropped on overflow.
    public private(set) var drops = 0
    /// Times a producer found it full and had to wait.
    public private(set) var waits = 0

    /// Creates an empty mailbox.
    public init(name: String, capacity: Int) {
        precondition(capacity > 0, "a mailbox needs room for at least one item")
        self.name = name
        self.capacity = capacity
        // Room grows as items arrive, up to the capacity: most mailboxes hold one item at a time (a state change,
        // taken at once), and a plant of 10,000 cells has 40,000 of them.
        storage = []
    }

    /// True when nothing is queued.
    public var isEmpty: Bool { depth == 0 }

    /// True when no more fits.
    public var isFull: Bool { depth == capacity }

    /// Offers an item under `policy`.
    public mutating func offer(_ element: Element, policy: OverflowPolicy) -> MailboxOffer {
        if depth == capacity {
            switch policy {
            case .producerWaits:
                waits += 1
                return .full
            case .dropOldest:
                storage[head] = nil
                head = wrapped(head + 1)
                depth -= 1
                drops += 1
                append(element)
                return .acceptedDroppingOldest
            }
        }
        append(element)
        return .accepted
    }

    private mutating func append(_ element: Element) {
        if depth == storage.count { grow() }
        storage[wrapped(head + depth)] = element
        depth += 1
        if depth > highWater { highWater = depth }
    }

    private mutating func grow() {
        let size = min(capacity, max(1, storage.count * 2))
        var grown = [Element?](repeating: nil, count: size)
        for k in 0..<depth { grown[k] = storage[wrapped(head + k)] }
        storage = grown
        head = 0
    }

    /// Counts an item handed straight to the consumer while nothing was waiting: it held one item for that moment.
    @inline(__always)
    public mutating func notePassedThrough() {
        if highWater == 0 { highWater = 1 }
    }

    /// Takes the oldest item.
    public mutating func take() -> Element? {
        guard depth > 0 else { return nil }
        // Moved out rather than copied and then cleared.
        var element: Element?
        swap(&element, &storage[head])
        head = wrapped(head + 1)
        depth -= 1
        return element
    }

    /// A position in the ring, for `index` below twice the storage size (no division on the hot path).
    @inline(__always)
    private func wrapped(_ index: Int) -> Int {
        index >= storage.count ? index - storage.count : index
    }

    /// Figures for the Queues pane.
    public var figures: QueueFigures {
        QueueFigures(capacity: capacity, depth: depth, highWater: highWater, drops: drops, waits: waits)
    }
}

/// Capacity, depth, high-water mark, drops and waits of any queue.
public struct QueueFigures: Sendable, Hashable, Codable {
    /// Most it holds.
    public var capacity: Int
    /// Held now.
    public var depth: Int
    /// Most ever held.
    public var highWater: Int
    /// Dropped on overflow.
    public var drops: Int
    /// Producer waits.
    public var waits: Int
}
