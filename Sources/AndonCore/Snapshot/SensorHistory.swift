/// A sensor's recent readings, oldest first (for sparklines): a window onto storage its cell's readings are appended
/// to and never written over.
///
/// A snapshot of 10,000 cells used to copy every sensor's 60 readings out of the twin's ring each time it was built
/// (10 MB a snapshot, and an array per sensor in every generation a console or the runtime held). Now each cell keeps
/// its readings in a ``HistoryStorage`` with room beyond the window; a reading set is appended after the last, and a
/// snapshot shows a window of what was there when it was built. What a window shows is never written again: a store
/// that is full is left to the windows onto it, and the readings go on in a new one. So a snapshot is shown a new
/// window by writing two integers, and a window is safe to read on any thread once the snapshot holding it was handed
/// over.
public struct SensorHistory: Sendable, RandomAccessCollection, Hashable, Codable, ExpressibleByArrayLiteral {
    /// The readings this window looks at.
    @usableFromInline var storage: HistoryStorage
    /// Where the window's first reading is in ``storage``.
    @usableFromInline var offset: Int
    /// How many readings it shows.
    @usableFromInline var size: Int

    /// A history of `values`, in storage of its own.
    public init(_ values: some Collection<Float>) {
        storage = HistoryStorage(capacity: values.count)
        var i = 0
        for value in values {
            storage.values[i] = value
            i += 1
        }
        storage.columns = values.count
        offset = 0
        size = values.count
    }

    /// A history of the values written.
    public init(arrayLiteral elements: Float...) { self.init(elements) }

    /// The `count` readings from `offset` in `storage`, which are written and will not change.
    init(storage: HistoryStorage, offset: Int, count: Int) {
        self.storage = storage
        self.offset = offset
        size = count
    }

    /// Shows the `count` readings from `offset` in `storage`: a window on the same storage as before is moved by
    /// writing its two integers, with no retain or release.
    @inlinable
    public mutating func show(_ storage: HistoryStorage, offset: Int, count: Int) {
        if self.storage !== storage { self.storage = storage }
        self.offset = offset
        size = count
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { size }
    @inlinable public var count: Int { size }

    @inlinable
    public subscript(position: Int) -> Float {
        precondition(position >= 0 && position < size, "history index out of range")
        return storage.values[offset + position]
    }

    public static func == (a: SensorHistory, b: SensorHistory) -> Bool {
        a.count == b.count && (a.storage === b.storage && a.offset == b.offset || a.elementsEqual(b))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for value in self { hasher.combine(value) }
    }

    /// Read as an array of numbers, as it is written: straight into storage of its own when the reader knows how
    /// many there are (a console decodes every sensor's history of every snapshot it is sent).
    public init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        guard let count = container.count else {
            self.init(try [Float](from: decoder))
            return
        }
        let storage = HistoryStorage(capacity: count)
        for i in 0..<count { storage.values[i] = try container.decode(Float.self) }
        storage.columns = count
        self.init(storage: storage, offset: 0, count: count)
    }

    /// Written as an array of numbers, oldest first.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.unkeyedContainer()
        for value in self { try container.encode(value) }
    }
}

/// Storage for readings that are appended and never written over (see ``SensorHistory``): `capacity` values, of
/// which the first are written. Only its owner writes, and only beyond every window shown onto it.
public final class HistoryStorage: @unchecked Sendable {
    @usableFromInline let values: UnsafeMutablePointer<Float>
    /// How many values it has room for.
    public let capacity: Int
    /// How far its owner has written (per sensor, for a cell's store): a copy of the owner that finds this beyond
    /// its own end did not write it, and appends to a new store rather than over what the other wrote.
    var columns = 0

    init(capacity: Int) {
        self.capacity = capacity
        // Left unwritten: a window reads only what was appended (and its twin writes a store's every value only
        // over the run of a few dozen ticks).
        values = .allocate(capacity: Swift.max(1, capacity))
    }

    deinit { values.deallocate() }
}

/// A cell's sensor readings as the twin keeps them: each reading set appended to one store, a region of `span`
/// values per sensor, the last ``length`` of each shown. When a region is full, the last readings are carried to a
/// new store and the old one is left to the snapshots that show it. A plain value: a copy that appends after the
/// other did appends to a store of its own.
public struct SensorHistories: Sendable {
    /// The readings kept per sensor.
    public let length: Int
    /// How many sensors.
    public let sensors: Int
    /// Room per sensor in a store: the window and half as much again, so a store is replaced every `length / 2`
    /// reading sets.
    public let span: Int
    /// The store now.
    public private(set) var storage: HistoryStorage
    /// Reading sets written to ``storage`` (per sensor).
    public private(set) var end = 0
    /// Readings kept per sensor (at most ``length``).
    public private(set) var count = 0

    /// No readings yet, for `sensors` sensors, keeping `length` each.
    ///
    /// `phase` moves the first store's start on by that many reading sets (taken modulo the room left after a move,
    /// ``storesEvery``), so it, and every store after it, fills that much sooner. Cells that get their readings in the
    /// same second and are given different phases change stores in different seconds: for the second or so in which
    /// the snapshots still show an old store, two stores are alive for a few cells rather than for the whole plant.
    public init(sensors: Int, length: Int, phase: Int = 0) {
        self.sensors = sensors
        self.length = length
        span = length + Swift.max(1, length / 2)
        storage = HistoryStorage(capacity: sensors * span)
        let phases = storesEvery
        end = ((phase % phases) + phases) % phases
        storage.columns = end
    }

    /// How many reading sets a store takes once it has the readings carried over from the one before: the number of
    /// phases in which cells' stores can change.
    public var storesEvery: Int { span - (length - 1) }

    /// Appends one reading per sensor (`values[s]` for sensor `s`).
    public mutating func append(_ values: [Double]) {
        precondition(values.count >= sensors, "a reading per sensor")
        if end == span || storage.columns != end { moveToNewStorage() }
        for s in 0..<sensors { storage.values[s * span + end] = Float(values[s]) }
        end += 1
        storage.columns = end
        count = Swift.min(count + 1, length)
    }

    /// Where sensor `s`'s shown readings start in ``storage``.
    @inlinable
    func windowStart(_ s: Int) -> Int { s * span + end - count }

    /// Sensor `s`'s readings, oldest first.
    public func history(_ s: Int) -> SensorHistory {
        SensorHistory(storage: storage, offset: windowStart(s), count: count)
    }

    /// Makes `history` show sensor `s`'s readings now.
    @inlinable
    public func show(_ s: Int, in history: inout SensorHistory) {
        history.show(storage, offset: windowStart(s), count: count)
    }

    /// Carries the last readings (those that will still be shown after the next append) to a new store.
    private mutating func moveToNewStorage() {
        let kept = Swift.min(count, length - 1)
        let next = HistoryStorage(capacity: sensors * span)
        if kept > 0 {
            for s in 0..<sensors { (next.values + s * span).initialize(from: storage.values + s * span + end - kept, count: kept) }
        }
        storage = next
        end = kept
        count = kept
        next.columns = kept
    }
}
