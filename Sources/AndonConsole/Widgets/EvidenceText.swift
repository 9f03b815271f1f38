import AndonCore

/// An approval's evidence beside the plant as it is now: the figure the agent saw, the limit it was compared with and
/// which limit that is (warning, alarm, trip), and the sensor's value now; and whether the cell is already down.
enum EvidenceText {
    /// The sensor behind `evidence` on `cell`: the one named, or named before a qualifier (`vibration (EWMA)`).
    static func sensor(for evidence: Evidence, in cell: CellSnapshot?) -> SensorReading? {
        cell?.sensors.first { evidence.name == $0.id || evidence.name.hasPrefix($0.id + " ") }
    }

    /// Which of `limits` `limit` is: `low alarm`, `warning`, `alarm`, `trip`.
    static func limitName(_ limit: Double, of limits: SensorLimits) -> String? {
        if limit == limits.trip { return "trip" }
        if limit == limits.highAlarm { return "alarm" }
        if limit == limits.highWarn { return "warning" }
        if limit == limits.lowAlarm { return "low alarm" }
        return nil
    }

    /// `vibration (EWMA)  4.8 mm/s  warning limit 2.8 (+71%)  now 5.1`.
    static func segments(_ evidence: Evidence, cell: CellSnapshot?, nameWidth: Int = 22) -> [Segment] {
        var line = [Segment("  " + DisplayWidth.pad(DisplayWidth.truncate(evidence.name, to: nameWidth - 1), to: nameWidth), .muted),
                    Segment(Format.value(evidence.value) + " " + evidence.unit)]
        let sensor = sensor(for: evidence, in: cell)
        if let limit = evidence.limit {
            let which = sensor.flatMap { limitName(limit, of: $0.limits) }.map { "\($0) limit" } ?? "limit"
            let over = limit != 0 ? (evidence.value - limit) / abs(limit) : 0
            line.append(Segment("  \(which) \(Format.value(limit))", .muted))
            if over > 0 { line.append(Segment(" (+\(Format.percent(over)))", .outcomeRefused)) }
        }
        if let sensor { line += [Segment("  now ", .muted), Segment(Format.value(sensor.value) + " " + sensor.kind.unit)] }
        return line
    }

    /// `B2 is already HELD (interlock) since 00:12:03`, when the cell is down; nil otherwise.
    static func alreadyDown(_ cell: CellSnapshot?, glyphs: Glyphs) -> [Segment]? {
        guard let cell, cell.state.isDown else { return nil }
        let since = cell.timeline.last.map { " since \(Format.clock($0.since))" } ?? ""
        let status = CellStatus(state: cell.state, reason: cell.reason)
        return [Segment("  \(cell.id) is already ", .muted), Segment(glyphs.glyph(for: status) + " " + status.rawValue, .status(status)),
                Segment((cell.reason == .none ? "" : " (\(cell.reason.rawValue))") + since, .muted)]
    }
}
