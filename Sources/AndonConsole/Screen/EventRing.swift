import AndonCore

/// The most recent events, bounded; the oldest fall off the end.
public struct EventRing: Sendable {
    /// Most events kept.
    public let capacity: Int
    private var storage: [EventEnvelope] = []
    private var start = 0

    /// An empty ring holding at most `capacity` events.
    public init(capacity: Int = 500) {
        self.capacity = max(1, capacity)
        storage.reserveCapacity(self.capacity)
    }

    /// Events held.
    public var count: Int { storage.count }

    /// Adds an event, dropping the oldest when full; telemetry is not logged.
    public mutating func append(_ event: EventEnvelope) {
        if case .telemetry = event.body { return }
        if storage.count < capacity {
            storage.append(event)
        } else {
            storage[start] = event
            start = (start + 1) % capacity
        }
    }

    /// The `index`-th newest event (0 is the newest).
    public func newest(_ index: Int) -> EventEnvelope {
        storage[(start + storage.count - 1 - index) % storage.count]
    }

    /// Events oldest first. O(count).
    public var chronological: [EventEnvelope] {
        Array(storage[start...] + storage[..<start])
    }

    /// Events of the chain `correlationID`, oldest first. O(count).
    public func chain(_ correlationID: CorrelationID) -> [EventEnvelope] {
        chronological.filter { $0.correlationID == correlationID }
    }

    /// Events about `cell`, newest first, at most `limit`. O(count).
    public func about(cell: String, limit: Int) -> [EventEnvelope] {
        var found: [EventEnvelope] = []
        var index = 0
        while index < count && found.count < limit {
            let event = newest(index)
            if event.cell == cell { found.append(event) }
            index += 1
        }
        return found
    }
}
