import AndonCore

extension Twin {
    /// Carries out an action on the twin; returns what happened, in words. Idempotency is the executor's job.
    func apply(_ proposal: Proposal) -> String {
        // An action may touch a cell, its line or the line's cells: the next snapshot looks at them all.
        changes.noteAll()
        if proposal.action == .adjustLineRate {
            guard let l = lineIndex[proposal.target] ?? cellIndex[proposal.target].map({ cells[$0].lineIndex }) else { return "unknown target" }
            let factor = 1 + (proposal.parameters["percent"] ?? 0) / 100
            for i in lines[l].cells { cells[i].speed = clampSpeed(cells[i].speed * factor) }
            return "line \(lines[l].spec.id) speed × \(String(format: "%.2f", factor))"
        }
        guard let i = cellIndex[proposal.target] else { return "unknown target \(proposal.target)" }
        let id = cells[i].spec.id
        switch proposal.action {
        case .reduceSpeed:
            let percent = proposal.parameters["percent"] ?? 10
            cells[i].speed = clampSpeed(cells[i].speed * (1 - percent / 100))
            return "\(id) speed now \(Int((cells[i].speed * 100).rounded()))%"
        case .restoreSpeed:
            cells[i].speed = 1
            return "\(id) speed back to 100%"
        case .rebalanceWIP:
            let percent = proposal.parameters["percent"] ?? 10
            cells[i].speed = clampSpeed(cells[i].speed * (1 + percent / 100))
            return "\(id) speed now \(Int((cells[i].speed * 100).rounded()))%"
        case .scheduleMaintenance:
            let minutes = proposal.parameters["minutes"] ?? 20
            guard stop(i, reason: .maintenance) else { return "\(id) cannot stop from \(cells[i].state.rawValue)" }
            cells[i].maintenancePending = true
            cells[i].resumeAt = time + Self.transientSeconds(.stopping) + minutes * 60
            return "\(id) stopping for \(Int(minutes)) min of maintenance"
        case .stopCell:
            guard stop(i, reason: .command) else { return "\(id) cannot stop from \(cells[i].state.rawValue)" }
            let response = floorResponse(i)
            cells[i].resumeAt = time + Self.transientSeconds(.stopping) + response
            cells[i].maintenancePending = true
            return "\(id) stopping for inspection (~\(Int(response / 60)) min)"
        case .holdCell:
            // The floor team answers an interlock: they inspect, fix what tripped it, and release the cell.
            let response = floorResponse(i)
            if cells[i].state == .execute {
                cells[i].resumeAt = time + Self.transientSeconds(.holding) + response
                cells[i].maintenancePending = true
                transition(i, to: .holding, reason: .interlock)
                return "\(id) held by interlock; floor team releases it after inspection (~\(Int(response / 60)) min)"
            }
            guard stop(i, reason: .interlock) else { return "\(id) already safe in \(cells[i].state.rawValue)" }
            cells[i].resumeAt = time + Self.transientSeconds(.stopping) + response
            cells[i].maintenancePending = true
            return "\(id) stopped by interlock; floor team restarts it after inspection (~\(Int(response / 60)) min)"
        case .recalibrate:
            guard cells[i].state == .execute else {
                cells[i].scrapFactor = 1
                return "\(id) recalibrated while not running"
            }
            cells[i].resumeAt = time + Self.transientSeconds(.holding) + 120
            transition(i, to: .holding, reason: .recalibration)
            return "\(id) held 2 min to recalibrate"
        case .quarantineBatch:
            let parts = Int(proposal.parameters["parts"] ?? 10)
            guard let down = cells[i].downstream else {
                let taken = min(parts, lines[cells[i].lineIndex].finished)
                lines[cells[i].lineIndex].finished -= taken
                lines[cells[i].lineIndex].quarantined += taken
                return "\(taken) finished parts quarantined"
            }
            let taken = min(parts, buffers[down].count)
            buffers[down].count -= taken
            lines[cells[i].lineIndex].quarantined += taken
            return "\(taken) parts after \(id) quarantined"
        case .resumeCell:
            switch cells[i].state {
            case .held:
                cells[i].resumeAt = nil
                transition(i, to: .unholding, reason: .none)
                return "\(id) resuming"
            case .stopped:
                cells[i].resumeAt = nil
                cells[i].autoRecover = true
                transition(i, to: .resetting, reason: .none)
                return "\(id) resetting to resume"
            default:
                return "\(id) is not held or stopped"
            }
        case .adjustLineRate:
            return "handled above"
        }
    }

    /// How long the floor team takes to inspect and fix a cell stopped or held for cause.
    func floorResponse(_ i: Int) -> Double {
        min(20, max(3, rng.logNormal(median: 8, sigma: 0.35))) * 60
    }

    private func clampSpeed(_ speed: Double) -> Double { min(1.15, max(0.3, speed)) }

    private func stop(_ i: Int, reason: StateReason) -> Bool {
        guard cells[i].state.canTransition(to: .stopping) else { return false }
        transition(i, to: .stopping, reason: reason)
        return true
    }

    /// Applies a scenario incident.
    func inject(_ incident: Incident) {
        changes.noteAll()
        if case let .demandChange(perHour) = incident.kind, let l = lineIndex[incident.target] {
            lines[l].demandPerHour = perHour
            outbox.append((-1, .notice(kind: "incident", message: "demand on \(incident.target) now \(Int(perHour))/h")))
            return
        }
        guard let i = cellIndex[incident.target] else { return }
        switch incident.kind {
        case let .sensorDrift(sensor, perMinute, duration):
            guard let s = cells[i].spec.sensors.firstIndex(where: { $0.id == sensor }) else { return }
            cells[i].driftRate[s] = perMinute / 60
            cells[i].driftUntil[s] = time + duration
            outbox.append((i, .notice(kind: "incident", message: "\(incident.target) \(sensor) starts drifting")))
        case let .breakdown(repair):
            breakDown(i, repair: repair)
        case let .telemetryLoss(duration):
            cells[i].telemetryLostUntil = time + duration
            outbox.append((i, .notice(kind: "incident", message: "\(incident.target) telemetry lost")))
        case let .scrapDrift(factor):
            cells[i].scrapFactor = factor
            outbox.append((i, .notice(kind: "incident", message: "\(incident.target) scrap drifting")))
        case .demandChange:
            break
        }
    }
}
