import AndonCore

/// What an external telemetry stream brought into a run, for the JSON report.
public struct TelemetryFigures: Codable, Sendable, Hashable {
    /// Per-cell figures.
    public struct CellFigures: Codable, Sendable, Hashable {
        /// Messages applied to the cell.
        public var messages: Int
        /// Seconds between the run's clock at the end and the cell's latest source timestamp; nil if it never reported.
        public var dataAgeSeconds: Double?
        /// True when the data is older than the plant's `stale_after` (or never came).
        public var isStale: Bool
    }

    /// Input lines read (blank lines included).
    public var lines: Int
    /// Messages accepted and applied.
    public var accepted: Int
    /// Messages refused, duplicates included.
    public var rejected: Int
    /// Refused messages by reason name.
    public var rejectedByReason: [String: Int]
    /// How many sources had a message applied.
    public var sources: Int
    /// The highest sequence number applied, per source (since its latest restart).
    public var highestSeqBySource: [String: UInt64]
    /// How many times a source was seen to start counting again, per source that did.
    public var restartsBySource: [String: Int]
    /// Earliest and latest applied source timestamps, seconds since the Unix epoch.
    public var firstSourceTime: Double?
    /// Latest applied source timestamp.
    public var lastSourceTime: Double?
    /// Per-cell figures.
    public var cells: [String: CellFigures]

    /// Creates the figures; `sources` is the number of sources in `highestSeqBySource`.
    public init(lines: Int, accepted: Int, rejected: Int, rejectedByReason: [String: Int], highestSeqBySource: [String: UInt64],
                restartsBySource: [String: Int], firstSourceTime: Double?, lastSourceTime: Double?, cells: [String: CellFigures]) {
        self.lines = lines
        self.accepted = accepted
        self.rejected = rejected
        self.rejectedByReason = rejectedByReason
        sources = highestSeqBySource.count
        self.highestSeqBySource = highestSeqBySource
        self.restartsBySource = restartsBySource
        self.firstSourceTime = firstSourceTime
        self.lastSourceTime = lastSourceTime
        self.cells = cells
    }
}

extension PlantEngine {
    /// What the external stream brought: the door's counts beside what the engine applied.
    func telemetryFigures(_ door: TelemetryDoorFigures) -> TelemetryFigures {
        var cells: [String: TelemetryFigures.CellFigures] = [:]
        let stale = plant.staleAfterSeconds
        for (i, cell) in plant.cells.enumerated() {
            let messages = i < feed.messagesByCell.count ? feed.messagesByCell[i] : 0
            let age = messages > 0 ? twin.dataAge(i) : nil
            cells[cell.id] = TelemetryFigures.CellFigures(messages: messages, dataAgeSeconds: age.map { ($0 * 1000).rounded() / 1000 },
                                                          isStale: age.map { $0 > stale } ?? true)
        }
        return TelemetryFigures(lines: door.lines, accepted: feed.accepted, rejected: door.rejects.total, rejectedByReason: door.rejects.countsByName,
                                highestSeqBySource: door.highestSequences, restartsBySource: door.restarts, firstSourceTime: feed.firstTimestamp,
                                lastSourceTime: feed.lastTimestamp, cells: cells)
    }
}
