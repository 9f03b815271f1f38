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

    // What the console draws of a cell, worked out from the cell in place. A cell or an alarm slot bound to a name,
    // handed to a function or iterated over would be copied with every array and text it holds, so these read
    // through indices only.

    /// What the console draws of cell `i`; what does not change while it runs (its names, its sensors') is shared.
    func cellSnapshot(_ i: Int, staleAfter: Double) -> CellSnapshot {
        let age = dataAge(i)
        let stale = age > staleAfter
        let sensorCount = cells[i].spec.sensors.count
        let sensors = [SensorReading](unsafeUninitializedCapacity: sensorCount) { buffer, initialized in
            for s in 0..<sensorCount {
                (buffer.baseAddress! + s).initialize(to: SensorReading(
                    id: cells[i].spec.sensors[s].id, kind: cells[i].spec.sensors[s].kind, value: cells[i].values[s],
                    nominal: cells[i].spec.sensors[s].nominal, limits: cells[i].spec.sensors[s].limits, history: cells[i].histories.history(s)))
            }
            initialized = sensorCount
        }
        let cycle = cells[i].spec.cycleSeconds
        let quiet = alarmsAreQuiet(i)
        return CellSnapshot(id: cells[i].spec.id, name: cells[i].spec.name, line: lines[cells[i].lineIndex].spec.id, kind: cells[i].spec.kind,
                            state: cells[i].state, reason: cells[i].reason, status: stale ? .stale : CellStatus(state: cells[i].state, reason: cells[i].reason),
                            shiftOEE: cells[i].clock.shiftOEE(idealCycle: cycle), rollingOEE: cells[i].clock.rollingOEE(idealCycle: cycle),
                            produced: cells[i].produced, good: cells[i].good, scrap: cells[i].scrap, speedPercent: cells[i].speed * 100,
                            topAlarm: quiet ? nil : topAlarm(i), activeAlarms: quiet ? 0 : activeAlarmCount(i),
                            dataAge: age, isStale: stale, sensors: sensors, timeline: cells[i].timeline,
                            alarms: quiet ? [] : alarmSummaries(i), recentAlarmActivations: quiet ? 0 : recentActivations(i))
    }

    /// Makes `cell`, a snapshot of cell `i` from any earlier moment, what ``cellSnapshot(_:staleAfter:)`` builds now,
    /// writing into its storage: its texts and its sensors' names and limits never change, so they are left as they
    /// are, its sensor list is rewritten in place when nothing else holds it, and each history is shown its new
    /// window (two integers, while the cell's readings stay in the same store). No allocation and no retained text
    /// for a cell whose alarms are quiet.
    func updateCellSnapshot(_ cell: inout CellSnapshot, _ i: Int, staleAfter: Double) {
        let sensorCount = cells[i].spec.sensors.count
        if cell.sensors.count == sensorCount {
            cell.sensors.withUnsafeMutableBufferPointer { sensors in
                for s in 0..<sensorCount {
                    sensors[s].value = cells[i].values[s]
                    cells[i].histories.show(s, in: &sensors[s].history)
                }
            }
        } else {
            cell.sensors = cellSnapshot(i, staleAfter: staleAfter).sensors
        }
        cell.state = cells[i].state
        cell.reason = cells[i].reason
        cell.produced = cells[i].produced
        cell.good = cells[i].good
        cell.scrap = cells[i].scrap
        cell.speedPercent = cells[i].speed * 100
        if !cell.timeline.sharesStorage(with: cells[i].timeline) { cell.timeline = cells[i].timeline }
        if alarmsAreQuiet(i) {
            // A snapshot the runtime built shows a top alarm exactly when it counts alarms in view (both are of the
            // alarms annunciated); the count is read rather than the alarm, which would be copied to be looked at.
            if cell.activeAlarms != 0 {
                cell.topAlarm = nil
                cell.activeAlarms = 0
            }
        } else {
            cell.topAlarm = topAlarm(i)
            cell.activeAlarms = activeAlarmCount(i)
        }
        // Data age, staleness, status, OEE, the alarm list and rate: as for a cell that only aged.
        refreshTimedFigures(&cell, i, staleAfter: staleAfter)
    }

    /// Brings the figures of `cell`, cell `i`'s snapshot, that change with time alone up to now: its data age and
    /// staleness, its OEE, and its alarms' rate and chattering. Everything else stays as it was shown.
    func refreshTimedFigures(_ cell: inout CellSnapshot, _ i: Int, staleAfter: Double) {
        let age = dataAge(i)
        let stale = age > staleAfter
        cell.dataAge = age
        cell.isStale = stale
        cell.status = stale ? .stale : CellStatus(state: cells[i].state, reason: cells[i].reason)
        let cycle = cells[i].spec.cycleSeconds
        cell.shiftOEE = cells[i].clock.shiftOEE(idealCycle: cycle)
        cell.rollingOEE = cells[i].clock.rollingOEE(idealCycle: cycle)
        if !alarmsAreQuiet(i) {
            cell.alarms = alarmSummaries(i)
            cell.recentAlarmActivations = recentActivations(i)
        } else if !cell.alarms.isEmpty || cell.recentAlarmActivations != 0 {
            cell.alarms = []
            cell.recentAlarmActivations = 0
        }
    }

    /// True when every alarm of cell `i` is in Normal and none has come in: nothing to show. Kept by the cell as its
    /// slots change, so a snapshot of 10,000 cells does not read 70,000 slots to find most of them quiet.
    func alarmsAreQuiet(_ i: Int) -> Bool { cells[i].alarmsAreQuiet }

    /// Cell `i`'s most urgent alarm in view (active or returned unacknowledged): priority first, then one still to be
    /// acknowledged, then the newest.
    func topAlarm(_ i: Int) -> AlarmSummary? {
        var best = -1
        for a in cells[i].alarms.indices where cells[i].alarms[a].point.state.isAnnunciated {
            if best < 0 || alarmRank(i, a) < alarmRank(i, best) { best = a }
        }
        return best < 0 ? nil : alarmSummary(i, best, now: nil)
    }

    private func alarmRank(_ i: Int, _ a: Int) -> (AlarmPriority, Int, SimTime) {
        (cells[i].alarms[a].priority, cells[i].alarms[a].point.state.needsAcknowledgement ? 0 : 1, -cells[i].alarms[a].since)
    }

    /// Cell `i`'s alarms in view: what acknowledging the cell acknowledges.
    func activeAlarmCount(_ i: Int) -> Int {
        var count = 0
        for a in cells[i].alarms.indices where cells[i].alarms[a].point.state.isAnnunciated { count += 1 }
        return count
    }

    /// Alarm `a` of cell `i` as the console shows it; chattering is judged at `now` when given.
    func alarmSummary(_ i: Int, _ a: Int, now: SimTime?) -> AlarmSummary {
        let sensor = cells[i].alarms[a].sensor
        let isSensor = sensor >= 0
        return AlarmSummary(tag: cells[i].alarms[a].tag, priority: cells[i].alarms[a].priority, state: cells[i].alarms[a].point.state,
                            message: cells[i].alarms[a].message, since: cells[i].alarms[a].since, cell: cells[i].spec.id,
                            point: isSensor ? cells[i].spec.sensors[sensor].id : "data", limitKind: cells[i].alarms[a].kind,
                            value: isSensor ? cells[i].values[sensor] : nil, limit: isSensor ? cells[i].alarms[a].limit : nil,
                            unit: isSensor ? cells[i].spec.sensors[sensor].kind.unit : "s", shelvedUntil: cells[i].alarms[a].point.shelvedUntil,
                            note: cells[i].alarms[a].note,
                            isChattering: now.map { AlarmRate.isChattering(cells[i].alarms[a].activations, now: $0) } ?? false)
    }

    /// Every alarm of cell `i` not in Normal, and any chattering one, as the console shows them.
    func alarmSummaries(_ i: Int) -> [AlarmSummary] {
        var result: [AlarmSummary] = []
        for a in cells[i].alarms.indices
        where cells[i].alarms[a].point.state != .normal || AlarmRate.isChattering(cells[i].alarms[a].activations, now: time) {
            result.append(alarmSummary(i, a, now: time))
        }
        return result
    }

    /// Times cell `i`'s alarms came in during the 10 minutes before now.
    func recentActivations(_ i: Int) -> Int {
        var count = 0
        for a in cells[i].alarms.indices { count += AlarmRate.count(cells[i].alarms[a].activations, within: AlarmRate.window, of: time) }
        return count
    }

    /// What the console draws of line `l`, whose cells' ids are `cellIDs` (worked out here when not given).
    func lineSnapshot(_ l: Int, cellIDs: [String]? = nil) -> LineSnapshot {
        let ideal = lines[l].idealCycle
        return LineSnapshot(id: lines[l].spec.id, name: lines[l].spec.name, cells: cellIDs ?? lines[l].cells.map { cells[$0].spec.id },
                            shiftOEE: lines[l].clock.shiftOEE(idealCycle: ideal), rollingOEE: lines[l].clock.rollingOEE(idealCycle: ideal),
                            output: lines[l].finished, taktSeconds: 3600 / lines[l].demandPerHour)
    }

    var bufferSnapshots: [QueueSnapshot] {
        buffers.map { QueueSnapshot(id: $0.spec.id, kind: .wip, capacity: $0.spec.capacity, depth: $0.count, highWater: $0.highWater, drops: 0, waits: $0.waits) }
    }
}
