import AndonCore

/// An external stream feeding a run: each line goes through the ``TelemetryDoor``, and what it admits goes to the
/// engine, in input order. The one path from a line to the plant, for the live runtime, the headless `andon run`,
/// benchmarks and tests.
///
/// Not thread-safe: one owner feeds it.
public final class TelemetryFeed {
    /// The engine fed.
    public let engine: PlantEngine
    /// The door every line goes through.
    @exclusivity(unchecked) public private(set) var door: TelemetryDoor
    /// Called for every refused line, after it is counted (the reject file writer).
    public var onReject: ((RejectedLine) -> Void)?

    /// Switches `engine` to external telemetry (every cell stale until it first reports) behind a door with `options`.
    public init(engine: PlantEngine, options: IngestOptions = IngestOptions()) {
        self.engine = engine
        door = TelemetryDoor(plant: engine.plant, options: options)
        engine.useExternalTelemetry()
    }

    /// Takes one line given as UTF-8 bytes, without its newline.
    public func ingest(line bytes: UnsafeBufferPointer<UInt8>) {
        take(door.admit(line: bytes))
    }

    /// Takes one line given as text, without its newline.
    public func ingest(line: String) {
        take(door.admit(line: line))
    }

    /// Takes one message that is already parsed (another wire format's decoder, a benchmark).
    public func ingest(message: TelemetryMessage) {
        take(door.admit(message: message))
    }

    /// Takes a line that was longer than the reader's limit: refused without being read whole.
    public func ingestOverlongLine(prefix bytes: UnsafeBufferPointer<UInt8>, length: Int) {
        take(.rejected(door.refuseOverlong(prefix: bytes, length: length)))
    }

    /// Takes the lines of a block the reading thread handed over, in order.
    public func ingest(_ block: TelemetryBlock) {
        block.forEachLine { bytes, overlongLength in
            if let overlongLength {
                ingestOverlongLine(prefix: bytes, length: overlongLength)
            } else {
                ingest(line: bytes)
            }
        }
    }

    private func take(_ admission: TelemetryDoor.Admission) {
        switch admission {
        case let .accepted(message): engine.receive(message)
        case let .rejected(line): onReject?(line)
        case .blank: break
        }
    }

    /// Reads JSON lines from `fileDescriptor` to the end of input and takes each in.
    /// - Parameter onBlock: runs after each block read (and when a signal interrupts a read); false stops.
    @discardableResult
    public func consume(fileDescriptor: Int32, onBlock: () -> Bool = { true }) -> LineReader.Ending {
        let reader = LineReader(fileDescriptor: fileDescriptor, maxLineBytes: door.options.maxLineBytes)
        return reader.forEachLine({ ingest(line: $0) }, overlong: { ingestOverlongLine(prefix: $0, length: $1) }, onBlock: onBlock)
    }

    /// The end of input: agents act on the last messages and everything staged is committed.
    public func finish() {
        engine.finishTelemetry()
    }

    /// Messages accepted and applied.
    public var accepted: Int { engine.feed.accepted }
    /// Refused messages: counts by reason and the most recent lines.
    public var rejects: RejectLog { door.rejects }
    /// Input lines read so far.
    public var lineNumber: Int { door.lineNumber }

    /// A snapshot with the door's counts.
    public func snapshot(_ context: SnapshotContext = SnapshotContext()) -> PlantSnapshot {
        var context = context
        context.door = door.figures
        return engine.snapshot(context)
    }

    /// What the stream brought, for the report.
    public var figures: TelemetryFigures { engine.telemetryFigures(door.figures) }

    /// The run's report with the telemetry figures.
    public func report(scenarioName: String, wallSeconds: Double) -> RunReport {
        engine.report(scenarioName: scenarioName, wallSeconds: wallSeconds, door: door.figures)
    }
}
