/// Checks parsed telemetry against the plant and the stream's history, and remembers what it accepted.
///
/// The rule for late and repeated data: per source, sequence numbers must rise. A number already accepted is a
/// ``RejectReason/duplicate`` (applied once, counted, never again); a number below the source's highest that was
/// never accepted is ``RejectReason/outOfOrder``. A number that does not rise on a message measured after everything
/// the source sent before is a restart of the source: accepted, counted, and counting starts again from it. Per cell,
/// source timestamps must not go backwards either, so two sources reporting one cell cannot mix old data in.
/// Nothing is remembered from a refused message.
public struct TelemetryValidator: Sendable {
    /// The plant checked against.
    public let plant: PlantSpec
    /// How far ahead of the reference clock a timestamp may be, seconds.
    public var maxClockSkewSeconds: Double
    private let cellIndex: [String: Int]
    private let sensorIDs: [[String]]
    private let sensorKinds: [[SensorKind]]
    /// Per-source windows, found through `sourceSlots` (or the last source seen, which usually sent the next one too).
    private var sourceSlots: [String: Int] = [:]
    var windows: [SequenceWindow] = []
    var lastSource: (name: String, slot: Int)?
    var lastTimestamp: [Double]
    /// The sources by the bytes of their names, numbered like their windows: a line's source is found without a String.
    var sources = ByteInterner()
    /// The plant's names as bytes, for reading lines straight into plant indices (``validate(line:now:)``).
    let contract: TelemetryContract
    /// The readings of the last message read from a line, handed out in it and reused once the caller has let go of it.
    var readingsBuffer: [(sensor: Int, value: Double)] = []

    /// Creates a validator for `plant`.
    public init(plant: PlantSpec, maxClockSkewSeconds: Double = 300) {
        self.plant = plant
        self.maxClockSkewSeconds = maxClockSkewSeconds
        let cells = plant.cells
        cellIndex = Dictionary(cells.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        sensorIDs = cells.map { $0.sensors.map(\.id) }
        sensorKinds = cells.map { $0.sensors.map(\.kind) }
        lastTimestamp = Array(repeating: -.infinity, count: cells.count)
        contract = TelemetryContract(plant: plant)
    }

    /// The highest sequence number accepted from `source`, if any.
    public func highestSequence(of source: String) -> UInt64? { slot(of: source).map { windows[$0].highest } }

    /// The highest sequence number accepted, per source.
    public var highestSequences: [String: UInt64] { sourceSlots.mapValues { windows[$0].highest } }

    /// How many times `source` was seen to start counting again (see the type's rule).
    public func restarts(of source: String) -> Int { slot(of: source).map { windows[$0].restarts } ?? 0 }

    /// Restarts seen, per source that had one.
    public var restartsBySource: [String: Int] { sourceSlots.compactMapValues { windows[$0].restarts > 0 ? windows[$0].restarts : nil } }

    private func slot(of source: String) -> Int? {
        if let lastSource, lastSource.name == source { return lastSource.slot }
        return sourceSlots[source]
    }

    /// Checks `message`; when it passes, records its sequence number and timestamp and returns it resolved.
    /// - Parameter now: the reference clock, seconds since the Unix epoch (the wall clock in a live run).
    public mutating func validate(_ message: TelemetryMessage, now: Double) throws(TelemetryRejection) -> ValidatedTelemetry {
        let slot = slot(of: message.source)
        let validated = try check(message, now: now, slot: slot)
        if let slot {
            remember(message.sequence, at: message.timestamp, slot: slot, cell: validated.cellIndex)
        } else {
            sourceSlots[message.source] = windows.count
            _ = sources.intern(message.source)
            lastSource = (message.source, windows.count)
            windows.append(SequenceWindow(first: message.sequence, at: message.timestamp))
            lastTimestamp[validated.cellIndex] = message.timestamp
        }
        return validated
    }

    /// Records what an accepted message from a known source leaves behind: its sequence number in the source's window,
    /// the source as the last one seen, the timestamp as its cell's latest.
    mutating func remember(_ sequence: UInt64, at timestamp: Double, slot: Int, cell: Int) {
        windows[slot].accept(sequence, at: timestamp)
        if lastSource?.slot != slot { lastSource = (sources.names[slot], slot) }
        lastTimestamp[cell] = timestamp
    }

    /// Checks without remembering anything.
    public func check(_ message: TelemetryMessage, now: Double) throws(TelemetryRejection) -> ValidatedTelemetry {
        try check(message, now: now, slot: slot(of: message.source))
    }

    private func check(_ message: TelemetryMessage, now: Double, slot: Int?) throws(TelemetryRejection) -> ValidatedTelemetry {
        guard message.schema == telemetrySchemaVersion else {
            throw TelemetryRejection(.unsupportedVersion, "schema \(message.schema) is not supported (this build reads \(telemetrySchemaVersion))")
        }
        guard let c = cellIndex[message.cell] else { throw TelemetryRejection(.unknownCell, "cell \"\(message.cell)\" is not in plant \(plant.id)") }
        var readings: [(sensor: Int, value: Double)] = []
        readings.reserveCapacity(message.readings.count)
        for reading in message.readings {
            // Cells carry a handful of sensors: a scan beats hashing the name.
            guard let s = sensorIDs[c].firstIndex(of: reading.sensor) else {
                throw TelemetryRejection(.unknownSensor, "sensor \"\(reading.sensor)\" is not on cell \(message.cell)")
            }
            let kind = sensorKinds[c][s]
            guard reading.unit == kind.unit else {
                throw TelemetryRejection(.wrongUnit, "\(message.cell).\(reading.sensor) is in \(kind.unit), not \(reading.unit)")
            }
            guard kind.physicalRange.contains(reading.value) else {
                throw TelemetryRejection(.outOfRange, "\(message.cell).\(reading.sensor) = \(reading.value) \(kind.unit) is outside the physical range "
                                                      + "\(kind.physicalRange.lowerBound)…\(kind.physicalRange.upperBound)")
            }
            readings.append((s, reading.value))
        }
        var state: PackMLState?
        if let name = message.state {
            guard let s = PackMLState(rawValue: name) else { throw TelemetryRejection(.unknownState, "\"\(name)\" is not a PackML state name") }
            state = s
        }
        var reason: StateReason?
        if let name = message.reason {
            guard let r = StateReason(rawValue: name) else { throw TelemetryRejection(.unknownState, "\"\(name)\" is not a known state reason") }
            reason = r
        }
        var counters: (produced: Int, scrap: Int)?
        switch (message.produced, message.scrap) {
        case let (produced?, scrap?):
            guard scrap <= produced else { throw TelemetryRejection(.invalidCounter, "scrap \(scrap) is more than produced \(produced)") }
            counters = (produced, scrap)
        case (nil, nil): break
        default: throw TelemetryRejection(.invalidCounter, "produced and scrap come together")
        }
        guard message.timestamp.isFinite, message.timestamp >= 0 else { throw TelemetryRejection(.wrongType, "ts must be seconds since the Unix epoch") }
        guard message.timestamp <= now + maxClockSkewSeconds else {
            throw TelemetryRejection(.futureTimestamp, "ts is \(ConfigNode.format((message.timestamp - now).rounded())) s ahead of the clock "
                                                       + "(at most \(ConfigNode.format(maxClockSkewSeconds.rounded())) s allowed)")
        }
        if let slot {
            let window = windows[slot]
            switch window.verdict(for: message.sequence, at: message.timestamp) {
            case .new, .restart: break
            case .duplicate: throw TelemetryRejection(.duplicate, "\(message.source) seq \(message.sequence) was already applied")
            case .late: throw TelemetryRejection(.outOfOrder, "\(message.source) seq \(message.sequence) arrived after seq \(window.highest)")
            }
        }
        guard message.timestamp >= lastTimestamp[c] else {
            throw TelemetryRejection(.outOfOrder, "ts \(message.timestamp) is before cell \(message.cell)'s latest \(lastTimestamp[c])")
        }
        return ValidatedTelemetry(cellIndex: c, readings: readings, counters: counters, state: state, reason: reason,
                                  timestamp: message.timestamp, source: message.source, sequence: message.sequence)
    }
}
