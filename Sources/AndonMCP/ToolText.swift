import AndonCore

/// The runtime's answers in words, for a model to read.
enum ToolText {
    static func describe(_ answer: AgentAnswer, agent: String) -> String {
        switch answer {
        case let .plant(brief):
            return "\(brief.name) (\(brief.id)) at \(brief.clock) plant time; policy \(brief.policyVersion ?? "none")"
                + "\(brief.isKillSwitchOn ? "; KILL SWITCH ON: every proposal is judged in shadow and never runs" : "")\n"
                + "agent \(brief.agent.id) \(brief.agent.version), \(brief.agent.mode.rawValue), acts on \(brief.agent.scope): "
                + brief.agent.actions.map(\.rawValue).joined(separator: ", ") + "; at most \(brief.agent.rateLimit)"
        case let .cells(read, cells):
            return "read \(read) (pass based_on_read: \(read) with a proposal based on it)\n" + cells.map(line).joined(separator: "\n")
        case let .cell(read, cell):
            var lines = ["read \(read) (pass based_on_read: \(read) with a proposal based on it)", line(cell)]
            for sensor in cell.sensors {
                let limits = [("low_alarm", sensor.lowAlarm), ("high_warn", sensor.highWarn), ("high_alarm", sensor.highAlarm), ("trip", sensor.trip)]
                    .compactMap { name, value in value.map { "\(name) \(number($0))" } }
                lines.append("  \(sensor.id) (\(sensor.kind)): \(number(sensor.value)) \(sensor.unit), nominal \(number(sensor.nominal)); \(limits.joined(separator: ", "))")
            }
            for alarm in cell.alarms ?? [] { lines.append("  alarm \(alarm.tag) P\(alarm.priority) \(alarm.state): \(alarm.message)") }
            return lines.joined(separator: "\n")
        case let .proposals(list):
            return list.isEmpty ? "no proposals by \(agent) in this run" : list.map(describe).joined(separator: "\n")
        case let .outcome(outcome):
            return describe(outcome)
        case let .events(events):
            return events.isEmpty ? "no events yet" : events.map { "#\($0.sequence) \(TimeText.clock($0.time)) \($0.kind): \($0.text)" }.joined(separator: "\n")
        case let .refused(reason):
            return "refused: \(reason)"
        }
    }

    static func describe(_ outcome: OutsideOutcome) -> String {
        let id = outcome.proposalID.map { "\($0) " } ?? ""
        let replay = outcome.isReplay ? " (a retry of key '\(outcome.idempotencyKey)': nothing was done again)" : ""
        return "\(id)\(outcome.action) of \(outcome.target): \(outcome.state.rawValue.uppercased()): \(outcome.message)\(replay)"
    }

    private static func line(_ cell: CellView) -> String {
        let stale = cell.isStale ? " STALE" : ""
        let sensors = cell.sensors.map { sensor -> String in
            let limit = sensor.highWarn ?? sensor.highAlarm ?? sensor.trip
            return "\(sensor.id) \(number(sensor.value)) \(sensor.unit)\(limit.map { " (first limit \(number($0)))" } ?? "")"
        }
        return "\(cell.id) \(cell.name) [line \(cell.line)] \(cell.status) speed \(number(cell.speedPercent))% data age \(number(cell.dataAgeSeconds)) s\(stale)"
            + " alarms \(cell.activeAlarms); " + sensors.joined(separator: ", ")
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        return String((value * 100).rounded() / 100)
    }
}
