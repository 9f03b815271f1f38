import AndonCore

/// Takes an external telemetry stream into a ``PlantEngine``: parse, validate against the contract, then apply
/// whole messages to the twin and deliver their frames to agents exactly as simulated telemetry is delivered.
///
/// The engine's clock follows the source timestamps: before a message measured at time t is applied, the engine
/// ticks (agents, policy, approvals, audit) until its clock reaches t. A refused message changes nothing but the
/// reject counts. Not thread-safe: one owner feeds it lines in input order.
public final class TelemetryIngest {
    /// The engine fed.
    public let engine: PlantEngine
    /// The options in force.
    public let options: IngestOptions
    /// The contract checks and the per-source, per-cell history.
    @exclusivity(unchecked) public private(set) var validator: TelemetryValidator
    /// Refused messages: counts by reason and the most recent lines.
    @exclusivity(unchecked) public private(set) var rejects: RejectLog
    /// Messages accepted and applied.
    @exclusivity(unchecked) public private(set) var accepted = 0
    /// Input lines read so far (the number of the last line).
    @exclusivity(unchecked) public private(set) var lineNumber = 0
    /// Called for every refused line, after it is counted (the reject file writer).
    public var onReject: ((RejectedLine) -> Void)?
    /// Unix time of the engine's time zero: the UTC minute of the first accepted message.
    public private(set) var epoch: Double?
    private var firstTimestamp: Double?
    private var lastTimestamp: Double?
    @exclusivity(unchecked) private var lastCounters: [(produced: Int, scrap: Int)?]
    @exclusivity(unchecked) private var messagesByCell: [Int]
    @exclusivity(unchecked) private var now = 0.0

    /// Switches `engine` to external telemetry; every cell is stale until it first reports.
    public init(engine: PlantEngine, options: IngestOptions = IngestOptions()) {
        self.engine = engine
        self.options = options
        validator = TelemetryValidator(plant: engine.plant, maxClockSkewSeconds: options.maxClockSkewSeconds)
        rejects = RejectLog(capacity: options.keptRejects)
        lastCounters = Array(repeating: nil, count: engine.twin.cellCount)
        messagesByCell = Array(repeating: 0, count: engine.twin.cellCount)
        engine.telemetrySource = .external
        engine.twin.markAllUnreported()
    }

    /// Takes one line (without its newline). Blank lines are skipped.
    public func ingest(line: String) {
        var text = line
        text.withUTF8 { ingest(line: $0) }
    }

    /// Takes one line given as UTF-8 bytes (without its newline). Blank lines are skipped.
    public func ingest(line bytes: UnsafeBufferPointer<UInt8>) {
        lineNumber += 1
        if lineNumber & 255 == 1 { now = options.clock() }
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) else { return }
        guard bytes.count <= options.maxLineBytes else {
            return reject(bytes, TelemetryRejection(.tooLong, "line of \(bytes.count) bytes (at most \(options.maxLineBytes))"))
        }
        do {
            let message = try TelemetryParser.parse(bytes)
            apply(try validate(message))
        } catch {
            reject(bytes, error)
        }
    }

    /// Takes one message that is already parsed (from a decoder of another wire format, or a benchmark that keeps
    /// JSON out of the measurement): checked against the contract and applied exactly as a parsed line is. A refused
    /// message is counted as a refused line would be, and kept as a short description of what it was.
    public func ingest(message: TelemetryMessage) {
        lineNumber += 1
        if lineNumber & 255 == 1 { now = options.clock() }
        do {
            apply(try validate(message))
        } catch {
            var original = "source \(message.source) seq \(message.sequence) cell \(message.cell) at \(message.timestamp)"
            original.withUTF8 { reject($0, error) }
        }
    }

    /// Validates against the clock read every 256 lines; a message that looks ahead of it is checked again against
    /// the clock as it is now, so a slow stream is never refused as from the future.
    private func validate(_ message: TelemetryMessage) throws(TelemetryRejection) -> ValidatedTelemetry {
        do {
            return try validator.validate(message, now: now)
        } catch where error.reason == .futureTimestamp {
            now = options.clock()
            return try validator.validate(message, now: now)
        }
    }

    /// A line that was longer than the reader's limit: refused without being read whole.
    public func ingestOverlongLine(prefix bytes: UnsafeBufferPointer<UInt8>, length: Int) {
        lineNumber += 1
        reject(bytes, TelemetryRejection(.tooLong, "line of \(length) bytes or more (at most \(options.maxLineBytes))"))
    }

    private func reject(_ bytes: UnsafeBufferPointer<UInt8>, _ rejection: TelemetryRejection) {
        let kept = UnsafeBufferPointer(rebasing: bytes.prefix(RejectLog.maxKeptLineLength))
        var original = String(decoding: kept, as: UTF8.self)
        if bytes.count > kept.count { original += "…" }
        let line = RejectedLine(line: lineNumber, reason: rejection.reason, detail: rejection.detail, original: original)
        rejects.record(line)
        onReject?(line)
    }

    private func apply(_ message: ValidatedTelemetry) {
        let epoch = self.epoch ?? {
            // The run's clock starts on the UTC minute of the first message, so minutes and shifts fall on real ones.
            let e = (message.timestamp / 60).rounded(.down) * 60 - engine.time
            self.epoch = e
            return e
        }()
        let sourceTime = message.timestamp - epoch
        catchUp(to: sourceTime)
        var parts: (produced: Int, scrap: Int)?
        if let counters = message.counters {
            if let last = lastCounters[message.cellIndex] {
                // A counter below the last one means the source reset its counters: count from zero.
                let reset = counters.produced < last.produced || counters.scrap < last.scrap
                parts = reset ? counters : (counters.produced - last.produced, counters.scrap - last.scrap)
            }
            lastCounters[message.cellIndex] = counters
        }
        engine.twin.applyReported(message, at: sourceTime, parts: parts)
        engine.dispatchOutbox()
        accepted += 1
        messagesByCell[message.cellIndex] += 1
        if firstTimestamp == nil { firstTimestamp = message.timestamp }
        lastTimestamp = max(lastTimestamp ?? message.timestamp, message.timestamp)
    }

    /// Ticks the engine until its clock reaches `time`; a long silence is crossed in one step, keeping the
    /// last minute of ticks so timers and approvals see time pass.
    private func catchUp(to time: SimTime) {
        let gap = time - engine.time
        if gap > 3600 { engine.twin.advanceClock(dt: (gap - 60).rounded(.down)) }
        while engine.time < time { engine.tick() }
    }

    /// Advances the engine's clock to `time` with no data (a silent stream): cells go stale as time passes.
    public func advanceClock(to time: SimTime) {
        catchUp(to: time)
    }

    /// Lets agents act on everything delivered so far without moving the clock (after a batch of a live stream).
    public func settle() {
        engine.settle()
    }

    /// Lets agents act on the last messages and commits whatever the audit trail still holds; call at the end of input.
    public func finish() {
        engine.settle()
        _ = engine.commitAudit()
    }

    /// What the stream brought, for the report.
    public var figures: TelemetryFigures {
        var cells: [String: TelemetryFigures.CellFigures] = [:]
        let stale = engine.plant.staleAfterSeconds
        for (i, cell) in engine.plant.cells.enumerated() {
            let age = messagesByCell[i] > 0 ? engine.twin.dataAge(i) : nil
            cells[cell.id] = TelemetryFigures.CellFigures(messages: messagesByCell[i], dataAgeSeconds: age.map { ($0 * 1000).rounded() / 1000 },
                                                          isStale: age.map { $0 > stale } ?? true)
        }
        return TelemetryFigures(lines: lineNumber, accepted: accepted, rejected: rejects.total, rejectedByReason: rejects.countsByName,
                                highestSeqBySource: validator.highestSequences, restartsBySource: validator.restartsBySource, firstSourceTime: firstTimestamp, lastSourceTime: lastTimestamp, cells: cells)
    }

    /// The run's report with the telemetry figures.
    public func report(scenarioName: String, wallSeconds: Double) -> RunReport {
        var report = engine.report(scenarioName: scenarioName, wallSeconds: wallSeconds)
        report.telemetry = figures
        return report
    }

    /// A snapshot with the reject counts, reasons and recent lines filled in.
    public func snapshot(isPaused: Bool = false) -> PlantSnapshot {
        var snapshot = engine.snapshot(isPaused: isPaused, telemetryRejects: rejects.total)
        snapshot.telemetryRejectReasons = rejects.countsByName
        snapshot.recentTelemetryRejects = rejects.recent
        snapshot.telemetryAccepted = accepted
        return snapshot
    }
}
