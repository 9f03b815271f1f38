import AndonCore

/// Where every part released into a line is now; balanced when nothing was lost or invented.
public struct PartsLedger: Sendable, Hashable, Codable {
    /// Line id.
    public var line: String
    /// Parts released into the line (initial buffer stock counts as released).
    public var released: Int
    /// In buffers.
    public var inBuffers: Int
    /// In cells (in process, or finished and waiting to move).
    public var inCells: Int
    /// Out of the last cell, good.
    public var finished: Int
    /// Pulled into quarantine.
    public var quarantined: Int
    /// Scrapped by the line's cells.
    public var scrapped: Int

    /// True when released = buffers + cells + finished + quarantined + scrapped.
    public var isBalanced: Bool { released == inBuffers + inCells + finished + quarantined + scrapped }
}

extension Twin {
    /// The parts ledger of every line.
    public var ledgers: [PartsLedger] {
        lines.map { line in
            let cellRange = line.cells
            let inCells = cellRange.reduce(0) { $0 + (cells[$1].hasPart ? 1 : 0) }
            let scrapped = cellRange.reduce(0) { $0 + cells[$1].scrap }
            let bufferCount = line.spec.buffers.reduce(0) { total, spec in
                total + (buffers.first { $0.spec.id == spec.id }?.count ?? 0)
            }
            return PartsLedger(line: line.spec.id, released: line.released, inBuffers: bufferCount, inCells: inCells,
                               finished: line.finished, quarantined: line.quarantined, scrapped: scrapped)
        }
    }

    /// Number of cells.
    public var cellCount: Int { cells.count }

    /// The PackML state of cell `id`.
    public func state(of id: String) -> PackMLState? { cellIndex[id].map { cells[$0].state } }

    /// Produced, good and scrap of cell `id`.
    public func counts(of id: String) -> (produced: Int, good: Int, scrap: Int)? {
        cellIndex[id].map { (cells[$0].produced, cells[$0].good, cells[$0].scrap) }
    }

    /// Speed setpoint of cell `id`, 1 = design speed.
    public func speed(of id: String) -> Double? { cellIndex[id].map { cells[$0].speed } }

    /// Every state change so far is legal: checked by tests through the recorded timelines.
    func cellSnapshot(_ i: Int, staleAfter: Double) -> CellSnapshot {
        let cell = cells[i]
        let age = dataAge(i)
        let sensors = cell.spec.sensors.enumerated().map { s, spec in
            SensorReading(id: spec.id, kind: spec.kind, value: cell.values[s], nominal: spec.nominal, limits: spec.limits, history: cell.history(sensor: s))
        }
        let stale = age > staleAfter
        return CellSnapshot(id: cell.spec.id, name: cell.spec.name, line: lines[cell.lineIndex].spec.id, kind: cell.spec.kind,
                            state: cell.state, reason: cell.reason, status: stale ? .stale : cell.status,
                            shiftOEE: cell.clock.shiftOEE(idealCycle: cell.spec.cycleSeconds),
                            rollingOEE: cell.clock.rollingOEE(idealCycle: cell.spec.cycleSeconds),
                            produced: cell.produced, good: cell.good, scrap: cell.scrap, speedPercent: cell.speed * 100,
                            topAlarm: cell.topAlarm, activeAlarms: cell.activeAlarmCount, dataAge: age, isStale: stale,
                            sensors: sensors, timeline: cell.timeline, alarms: cell.alarmSummaries(now: time),
                            recentAlarmActivations: cell.recentActivations(now: time))
    }

    func lineSnapshot(_ l: Int) -> LineSnapshot {
        let line = lines[l]
        return LineSnapshot(id: line.spec.id, name: line.spec.name, cells: line.cells.map { cells[$0].spec.id },
                            shiftOEE: line.clock.shiftOEE(idealCycle: line.idealCycle), rollingOEE: line.clock.rollingOEE(idealCycle: line.idealCycle),
                            output: line.finished, taktSeconds: 3600 / line.demandPerHour)
    }

    var bufferSnapshots: [QueueSnapshot] {
        buffers.map { QueueSnapshot(id: $0.spec.id, kind: .wip, capacity: $0.spec.capacity, depth: $0.count, highWater: $0.highWater, drops: 0, waits: $0.waits) }
    }
}
