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
    /// The highest sequence number applied, per source.
    public var sources: [String: UInt64]
    /// Earliest and latest applied source timestamps, seconds since the Unix epoch.
    public var firstSourceTime: Double?
    /// Latest applied source timestamp.
    public var lastSourceTime: Double?
    /// Per-cell figures.
    public var cells: [String: CellFigures]
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
                                sources: door.highestSequences, firstSourceTime: feed.firstTimestamp, lastSourceTime: feed.lastTimestamp, cells: cells)
    }
}
