import AndonCore

extension Twin {
    /// Moves each sensor toward what the cell's speed, wear and drift make it, adds noise, records history
    /// and evaluates alarm limits.
    func updateSensors(_ i: Int, dt: Double) {
        let running = cells[i].state == .execute
        let speed = cells[i].speed
        for s in cells[i].spec.sensors.indices {
            // The sensor's figures are read in place: a copy of its definition would retain its id for nothing.
            let kind = cells[i].spec.sensors[s].kind, nominal = cells[i].spec.sensors[s].nominal
            if time <= cells[i].driftUntil[s] { cells[i].drift[s] += cells[i].driftRate[s] * dt }
            let base = nominal + cells[i].runHours * cells[i].spec.sensors[s].wearPerHour + cells[i].drift[s]
            let target: Double
            var tau = 0.0
            switch kind {
            case .vibration:
                target = running ? base * speed * speed : base * 0.08
                tau = 5
            case .temperature:
                let ambient = min(nominal, 22)
                target = running ? ambient + (base - ambient) * (0.7 + 0.3 * speed) : ambient + (base - ambient) * 0.35
                tau = 180
            case .spindleLoad:
                target = running ? base * (0.6 + 0.4 * speed) : 0
                tau = 3
            case .pressure:
                target = running ? base * (0.95 + 0.05 * speed) : base * 0.97
                tau = 5
            case .current:
                target = running ? base * (0.7 + 0.3 * speed) : base * 0.2
                tau = 3
            case .torque:
                target = running ? base : 0
            }
            if tau > 0 {
                cells[i].process[s] += (target - cells[i].process[s]) * min(1, dt / tau)
            } else {
                cells[i].process[s] = target
            }
            let reading = cells[i].process[s] + cells[i].spec.sensors[s].noise * rng.gaussian()
            let range = kind.physicalRange
            cells[i].values[s] = min(range.upperBound, max(range.lowerBound, reading))
        }
        cells[i].recordHistory()
        evaluateAlarms(i, running: running)
    }

    /// Runs each alarm point of cell `i` against its reading: limits with deadband, on- and off-delay, low limits
    /// suppressed by design while the cell is not running, and shelves that run out.
    func evaluateAlarms(_ i: Int, running: Bool) {
        // Each slot is read in place: a copy would retain its note and activations for nothing.
        for a in cells[i].alarms.indices {
            if let until = cells[i].alarms[a].point.shelvedUntil, time >= until { expireShelf(i, a) }
            let sensor = cells[i].alarms[a].sensor
            guard sensor >= 0 else { continue }
            if cells[i].alarms[a].direction == .low {
                // Suppressed by design while the cell is not running: a stopped press has no seal pressure to speak of.
                // An alarm still waiting to be acknowledged stays in view until it is.
                if !running {
                    if cells[i].alarms[a].point.conditionActive {
                        changeCondition(i, a, active: false, message: "\(cells[i].alarms[a].message): cell not running")
                    }
                    if cells[i].alarms[a].point.state == .normal { cells[i].alarms[a].point.apply(.suppress) }
                    // Written only when set: every write to a slot has the cell work out again whether its alarms are quiet.
                    if cells[i].alarms[a].crossedAt != nil { cells[i].alarms[a].crossedAt = nil }
                    continue
                }
                if cells[i].alarms[a].point.state == .suppressed { cells[i].alarms[a].point.apply(.unsuppress) }
            }
            let beyond = cells[i].alarms[a].inAlarm(cells[i].values[sensor])
            guard beyond != cells[i].alarms[a].point.conditionActive else {
                if cells[i].alarms[a].crossedAt != nil { cells[i].alarms[a].crossedAt = nil }
                continue
            }
            let crossed = cells[i].alarms[a].crossedAt ?? time
            cells[i].alarms[a].crossedAt = crossed
            guard time - crossed >= (beyond ? cells[i].alarms[a].onDelay : cells[i].alarms[a].offDelay) else { continue }
            cells[i].alarms[a].crossedAt = nil
            changeCondition(i, a, active: beyond, message: cells[i].alarms[a].message)
        }
    }

    /// Applies a change of the process condition of alarm `a` of cell `i` and tells the rest of the runtime.
    private func changeCondition(_ i: Int, _ a: Int, active: Bool, message: String) {
        changes.note(i)
        cells[i].alarms[a].point.apply(active ? .activate : .clear)
        if active {
            cells[i].alarms[a].since = time
            cells[i].alarms[a].noteActivation(at: time)
        }
        let slot = cells[i].alarms[a]
        outbox.append((i, .alarm(AlarmChange(tag: slot.tag, priority: slot.priority, state: slot.point.state, message: message))))
    }

    /// Alarm `a` of cell `i` comes off the shelf: back unacknowledged if still in alarm (ISA-18.2), and said so.
    private func expireShelf(_ i: Int, _ a: Int) {
        changes.note(i)
        cells[i].alarms[a].point.apply(.shelfExpired)
        cells[i].alarms[a].note = nil
        let slot = cells[i].alarms[a]
        outbox.append((i, .alarm(AlarmChange(tag: slot.tag, priority: slot.priority, state: slot.point.state, message: "\(slot.message): shelf time is up"))))
    }

    /// Publishes a telemetry frame for every cell whose telemetry is flowing.
    func publishTelemetry() {
        for i in cells.indices where time >= cells[i].telemetryLostUntil {
            cells[i].lastTelemetry = time
            queueTelemetry(i) {
                TelemetryFrame(cell: cells[i].spec.id, readings: cells[i].values, sourceTime: time, produced: cells[i].produced,
                               scrap: cells[i].scrap, state: cells[i].state)
            }
        }
    }

    /// Seconds since the cell's last telemetry.
    func dataAge(_ i: Int) -> Double { time - cells[i].lastTelemetry }

    /// Raises or clears a cell's data-quality alarm; returns true when its state changed.
    @discardableResult
    func setDataQualityAlarm(_ i: Int, active: Bool) -> Bool {
        let a = cells[i].dataQualityIndex
        guard active != cells[i].alarms[a].point.conditionActive else { return false }
        changeCondition(i, a, active: active, message: active ? "data stale: agents stand down" : "data fresh again")
        return true
    }

    /// How many of cell `i`'s alarms ``acknowledgeAlarms(_:)`` would acknowledge now.
    func unacknowledgedAlarmCount(_ i: Int) -> Int {
        var alarms = cells[i].alarms
        var count = 0
        for a in alarms.indices where alarms[a].point.apply(.acknowledge) { count += 1 }
        return count
    }

    /// Acknowledges every alarm of a cell; returns how many changed.
    func acknowledgeAlarms(_ i: Int) -> Int {
        changes.note(i)
        var changed = 0
        for a in cells[i].alarms.indices where cells[i].alarms[a].point.apply(.acknowledge) { changed += 1 }
        return changed
    }
}
