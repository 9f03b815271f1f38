import AndonCore
import Foundation

/// The plant twin: cells, buffers and material flow, advanced in fixed steps of simulated time.
///
/// Deterministic: the same spec, seed and inputs give the same states, counts and events. Parts are
/// conserved: everything released into a line is in a buffer, in a cell, finished, quarantined or scrapped.
/// Hot stored properties skip dynamic exclusivity checks (`@exclusivity(unchecked)`): one owner drives the
/// twin on one thread, the debug test suite ran with the checks on, and they cost about a tenth of ingest time.
public final class Twin {
    /// The plant definition.
    public let spec: PlantSpec
    @exclusivity(unchecked) var cells: [CellModel]
    @exclusivity(unchecked) var buffers: [BufferModel]
    @exclusivity(unchecked) var lines: [LineModel]
    /// Simulated time now.
    @exclusivity(unchecked) public internal(set) var time: SimTime = 0
    @exclusivity(unchecked) var rng: SeededRandom
    /// Events produced since the last drain: cell index (or -1) and payload.
    @exclusivity(unchecked) var outbox: [(cell: Int, body: EventBody)] = []
    let cellIndex: [String: Int]
    let lineIndex: [String: Int]
    var shiftNumber = 0
    /// The cells that changed since the last snapshot: every mutation of a cell outside a step notes its cell here.
    @exclusivity(unchecked) var changes: CellChanges
    /// Per cell, whether anyone takes its telemetry frames (its agents, its line's planners, a tap); the engine says.
    /// A frame nobody takes is only numbered (``eventCount``), not queued in the outbox and walked again for nobody.
    @exclusivity(unchecked) var forwardsTelemetry: [Bool]
    /// Events numbered so far, telemetry included: the one sequence the engine, the desk and the ingest share
    /// (``EventStamper`` numbers from it).
    @exclusivity(unchecked) var eventCount: UInt64 = 0

    struct BufferModel {
        let spec: BufferSpec
        var count: Int
        var highWater: Int
        var waits = 0
    }

    struct LineModel {
        let spec: LineSpec
        var demandPerHour: Double
        let cells: Range<Int>
        var released = 0
        var finished = 0
        var quarantined = 0
        var clock: LineClock
        let idealCycle: Double
    }

    /// Builds the twin at time zero, every cell in Execute.
    public init(spec: PlantSpec, seed: UInt64, windowMinutes: Int = 15, startTime: SimTime = 0) {
        self.spec = spec
        time = startTime
        shiftNumber = Int(startTime / spec.shiftSeconds)
        rng = SeededRandom(seed: seed)
        // Allocated at their size: a plant of 10,000 cells has as many cells and nearly as many buffers.
        var cells: [CellModel] = []
        cells.reserveCapacity(spec.lines.reduce(0) { $0 + $1.cells.count })
        var buffers: [BufferModel] = []
        buffers.reserveCapacity(spec.lines.reduce(0) { $0 + $1.buffers.count })
        var lines: [LineModel] = []
        lines.reserveCapacity(spec.lines.count)
        for (l, line) in spec.lines.enumerated() {
            let first = cells.count
            let bufferBase = buffers.count
            for buffer in line.buffers.sorted(by: { a, b in
                (line.cells.firstIndex { $0.id == a.from } ?? 0) < (line.cells.firstIndex { $0.id == b.from } ?? 0)
            }) {
                buffers.append(BufferModel(spec: buffer, count: buffer.initial, highWater: buffer.initial))
            }
            for (c, cell) in line.cells.enumerated() {
                let upstream = c == 0 ? nil : bufferBase + c - 1
                let downstream = c == line.cells.count - 1 ? nil : bufferBase + c
                // Cells in turn change history stores in different seconds (see `SensorHistories.init(sensors:length:phase:)`).
                cells.append(CellModel(spec: cell, lineIndex: l, upstream: upstream, downstream: downstream, windowMinutes: windowMinutes,
                                       historyPhase: cells.count))
            }
            let ideal = line.cells.map(\.cycleSeconds).max() ?? 1
            lines.append(LineModel(spec: line, demandPerHour: line.demandPerHour, cells: first..<cells.count,
                                   released: line.buffers.reduce(0) { $0 + $1.initial }, clock: LineClock(windowMinutes: windowMinutes), idealCycle: ideal))
        }
        self.cells = cells
        self.buffers = buffers
        self.lines = lines
        changes = CellChanges(count: cells.count)
        forwardsTelemetry = Array(repeating: true, count: cells.count)
        cellIndex = Dictionary(uniqueKeysWithValues: cells.enumerated().map { ($1.spec.id, $0) })
        lineIndex = Dictionary(uniqueKeysWithValues: lines.enumerated().map { ($1.spec.id, $0) })
        for i in cells.indices {
            self.cells[i].lastTelemetry = startTime
            self.cells[i].stateSince = startTime
            self.cells[i].timeline = [StateSpan(state: .execute, reason: .none, since: startTime)]
            self.cells[i].failureClock = rng.exponential(mean: cells[i].spec.mtbfSeconds)
            self.cells[i].faultClock = rng.exponential(mean: Self.minorFaultMean)
        }
    }

    /// Mean running time between short fault holds.
    static let minorFaultMean = 3.0 * 3600

    /// Moves time on by `dt` and starts a new shift on every clock when one begins.
    func moveClock(by dt: Double) {
        time += dt
        changes.noteClock()
        // Whether each line is up, as its cells stand now (reported telemetry changes them between steps).
        noteLinesUp()
        // A shift's last second belongs to it: the boundary itself starts nothing.
        let shift = Int((time - 1e-6) / spec.shiftSeconds)
        if shift != shiftNumber {
            shiftNumber = shift
            for i in cells.indices { cells[i].clock.startShift() }
            for l in lines.indices { lines[l].clock.startShift() }
        }
    }

    /// Advances every cell by `dt` seconds.
    public func step(dt: Double = 1) {
        moveClock(by: dt)
        // Every cell's sensors and history move.
        changes.noteAll()
        for l in lines.indices {
            for i in lines[l].cells.reversed() {
                stepCell(i, dt: dt)
            }
            // Line OEE: a line is up while none of its cells is down, however long its buffers hide a stop.
            lines[l].clock.isUp = !lines[l].cells.contains { cells[$0].state.isDown }
            let last = lines[l].cells.upperBound - 1
            lines[l].clock.advance(state: cells[last].state, stateIndex: cells[last].stateIndex, dt: dt, now: time)
        }
    }

    // MARK: State changes

    func transition(_ i: Int, to next: PackMLState, reason: StateReason) {
        let from = cells[i].state
        changes.note(i)
        precondition(from.canTransition(to: next), "illegal PackML transition \(from) → \(next) in cell \(cells[i].spec.id)")
        cells[i].state = next
        cells[i].stateIndex = StateClock.stateIndex[next]!
        cells[i].reason = reason
        cells[i].stateSince = time
        cells[i].transientLeft = next.isTransient ? Self.transientSeconds(next) : 0
        cells[i].timeline.append(StateSpan(state: next, reason: reason, since: time))
        if cells[i].timeline.count > 16 { cells[i].timeline.removeFirst(cells[i].timeline.count - 16) }
        outbox.append((i, .stateChanged(StateChange(from: from, to: next, reason: reason))))
    }

    static func transientSeconds(_ state: PackMLState) -> Double {
        switch state {
        case .starting: 5
        case .stopping: 3
        case .holding, .unholding: 2
        case .suspending, .unsuspending: 1
        case .aborting: 2
        case .clearing: 20
        case .resetting: 10
        case .completing: 2
        default: 0
        }
    }

    private func finishTransient(_ i: Int) {
        let reason = cells[i].reason
        switch cells[i].state {
        case .starting, .unholding, .unsuspending: transition(i, to: .execute, reason: .none)
        case .holding: transition(i, to: .held, reason: reason)
        case .suspending: transition(i, to: .suspended, reason: reason)
        case .stopping: transition(i, to: .stopped, reason: reason)
        case .aborting: transition(i, to: .aborted, reason: reason)
        case .clearing: transition(i, to: .stopped, reason: reason)
        case .resetting: transition(i, to: .idle, reason: .none)
        case .completing: transition(i, to: .complete, reason: .none)
        default: break
        }
    }

    // MARK: The step of one cell

    private func stepCell(_ i: Int, dt: Double) {
        cells[i].clock.advance(state: cells[i].state, stateIndex: cells[i].stateIndex, dt: dt, now: time)
        switch cells[i].state {
        case .execute:
            runCell(i, dt: dt)
        case .suspended:
            if cells[i].reason == .starved, canTake(i) || cells[i].hasPart {
                transition(i, to: .unsuspending, reason: .none)
            } else if cells[i].reason == .blocked, tryPush(i) {
                transition(i, to: .unsuspending, reason: .none)
            }
        case .held, .aborted, .stopped:
            if let resume = cells[i].resumeAt, time >= resume {
                cells[i].resumeAt = nil
                endTimedState(i)
            } else if cells[i].state == .stopped, cells[i].autoRecover, cells[i].resumeAt == nil {
                transition(i, to: .resetting, reason: .none)
            }
        case .idle:
            if cells[i].autoRecover {
                cells[i].autoRecover = false
                transition(i, to: .starting, reason: .none)
            }
        default:
            if cells[i].state.isTransient {
                cells[i].transientLeft -= dt
                if cells[i].transientLeft <= 0 { finishTransient(i) }
            }
        }
        updateSensors(i, dt: dt)
    }

    private func endTimedState(_ i: Int) {
        switch cells[i].state {
        case .held:
            if cells[i].reason == .recalibration { cells[i].scrapFactor = 1 }
            if cells[i].maintenancePending {
                cells[i].maintenancePending = false
                completeMaintenance(i)
            }
            transition(i, to: .unholding, reason: .none)
        case .aborted:
            // The repair replaces what broke: wear and drift go with it.
            completeMaintenance(i)
            transition(i, to: .clearing, reason: .breakdown)
        case .stopped:
            if cells[i].maintenancePending {
                cells[i].maintenancePending = false
                completeMaintenance(i)
            }
            cells[i].autoRecover = true
            transition(i, to: .resetting, reason: .none)
        default: break
        }
    }

    private func completeMaintenance(_ i: Int) {
        cells[i].runHours = 0
        for s in cells[i].drift.indices {
            cells[i].drift[s] = 0
            cells[i].driftRate[s] = 0
        }
        cells[i].speed = 1
        cells[i].failureClock = rng.exponential(mean: cells[i].spec.mtbfSeconds)
    }

    private func runCell(_ i: Int, dt: Double) {
        cells[i].runHours += dt / 3600
        // Breakdowns, more likely as vibration rises above its warning limit.
        cells[i].failureClock -= dt * wearHazard(i)
        if cells[i].failureClock <= 0 {
            breakDown(i, repair: min(3, max(0.3, rng.exponential(mean: 1))) * cells[i].spec.mttrSeconds)
            return
        }
        cells[i].faultClock -= dt
        if cells[i].faultClock <= 0 {
            cells[i].faultClock = rng.exponential(mean: Self.minorFaultMean)
            cells[i].resumeAt = time + min(600, rng.logNormal(median: 90, sigma: 0.6))
            transition(i, to: .holding, reason: .fault)
            return
        }
        if !cells[i].hasPart {
            guard take(i) else {
                transition(i, to: .suspending, reason: .starved)
                return
            }
        }
        if !cells[i].partDone {
            cells[i].progress += dt * cells[i].speed / (cells[i].spec.cycleSeconds * cells[i].cycleFactor)
            if cells[i].progress >= 1 { completePart(i) }
        }
        if cells[i].partDone, !tryPush(i) {
            transition(i, to: .suspending, reason: .blocked)
        }
    }

    private func wearHazard(_ i: Int) -> Double {
        guard let v = cells[i].spec.sensors.firstIndex(where: { $0.kind == .vibration }),
              let warn = cells[i].spec.sensors[v].limits.highWarn else { return 1 }
        return 1 + max(0, cells[i].values[v] / warn - 1) * 4
    }

    private func completePart(_ i: Int) {
        let cell = cells[i]
        let scrapChance = min(0.9, cell.spec.scrapRate * cell.scrapFactor * (1 + cell.runHours / 200))
        cells[i].produced += 1
        if rng.chance(scrapChance) {
            cells[i].scrap += 1
            cells[i].clock.count(good: false)
            cells[i].hasPart = false
            cells[i].partDone = false
            countLineOutput(i, good: false)
        } else {
            cells[i].good += 1
            cells[i].clock.count(good: true)
            cells[i].partDone = true
        }
    }

    private func countLineOutput(_ i: Int, good: Bool) {
        guard cells[i].downstream == nil else { return }
        lines[cells[i].lineIndex].clock.count(good: good)
    }

    private func canTake(_ i: Int) -> Bool {
        guard let up = cells[i].upstream else { return true }
        return buffers[up].count > 0
    }

    private func take(_ i: Int) -> Bool {
        if let up = cells[i].upstream {
            guard buffers[up].count > 0 else { return false }
            buffers[up].count -= 1
        } else {
            lines[cells[i].lineIndex].released += 1
        }
        cells[i].hasPart = true
        cells[i].partDone = false
        cells[i].progress = 0
        cells[i].cycleFactor = max(0.85, 1 + 0.03 * rng.gaussian())
        return true
    }

    private func tryPush(_ i: Int) -> Bool {
        guard cells[i].partDone else { return true }
        if let down = cells[i].downstream {
            guard buffers[down].count < buffers[down].spec.capacity else {
                buffers[down].waits += 1
                return false
            }
            buffers[down].count += 1
            buffers[down].highWater = max(buffers[down].highWater, buffers[down].count)
        } else {
            lines[cells[i].lineIndex].finished += 1
            countLineOutput(i, good: true)
        }
        cells[i].hasPart = false
        cells[i].partDone = false
        return true
    }

    func breakDown(_ i: Int, repair: Double) {
        guard cells[i].state.canTransition(to: .aborting) else { return }
        changes.note(i)
        cells[i].failureClock = rng.exponential(mean: cells[i].spec.mtbfSeconds)
        cells[i].resumeAt = time + Self.transientSeconds(.aborting) + repair
        cells[i].autoRecover = true
        transition(i, to: .aborting, reason: .breakdown)
    }
}

extension Twin {
    /// Queues cell `i`'s telemetry frame for delivery, or, when nobody takes the cell's frames, only numbers it. A
    /// frame is queued anyway behind other events still waiting, so that every event keeps the number it has when
    /// all frames are delivered.
    @inline(__always)
    func queueTelemetry(_ i: Int, _ frame: () -> TelemetryFrame) {
        if forwardsTelemetry[i] || !outbox.isEmpty {
            outbox.append((i, .telemetry(frame())))
        } else {
            eventCount += 1
        }
    }
}

