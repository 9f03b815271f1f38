import AndonCore

/// A person's act on one alarm, checked and worked out but not yet carried out: the engine puts it on record first.
public struct AlarmActPlan: Sendable {
    /// The cell's index in the twin.
    let cell: Int
    /// The alarm slot's index in the cell.
    let slot: Int
    /// What is done.
    public let act: AlarmAct
    /// The alarm's tag.
    public let tag: String
    /// The point as it will be.
    let point: AlarmPoint
    /// Who did it and why, kept beside a shelved or out-of-service alarm.
    let note: String?
    /// What happened, in words, for the person and the event log.
    public let message: String
    /// The audit payload: who is the record's actor; this says what, to which alarm, and why.
    public let record: [String: String]

    /// The cell's id.
    public var cellID: String { String(tag.prefix { $0 != "." }) }
}

extension Twin {
    /// Checks a person's act on one alarm (role, tag, state, reason and shelf time) and works out its effect without
    /// carrying it out: the plan, or why not.
    public func planAlarmAct(_ command: OperatorCommand, by person: Person) -> Result<AlarmActPlan, AlarmActRefusal> {
        guard let (act, tag) = command.alarmAct else { return .failure(AlarmActRefusal("not an alarm command")) }
        if let refusal = act.refusal(for: person) { return .failure(AlarmActRefusal(refusal)) }
        guard let (i, a) = alarmSlot(tag: tag) else { return .failure(AlarmActRefusal("no alarm \(tag)")) }
        let slot = cells[i].alarms[a]
        let slotTag = slot.tag
        if let why = act.inapplicability(to: slot.point.state, tag: slotTag) { return .failure(AlarmActRefusal(why)) }
        var point = slot.point
        var note: String? = slot.note
        var record = ["command": act.rawValue, "alarm": slotTag, "cell": cells[i].spec.id, "state_before": slot.point.state.rawValue]
        let message: String
        switch command {
        case let .shelveAlarm(_, seconds, reason):
            let reason = reason.trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else { return .failure(AlarmActRefusal("a shelved alarm needs a reason")) }
            guard seconds > 0, seconds <= AlarmAct.longestShelf else {
                return .failure(AlarmActRefusal("shelve for more than 0 and at most \(TimeText.duration(AlarmAct.longestShelf))"))
            }
            point.apply(.shelve(until: time + seconds))
            note = "shelved by \(person.label): \(reason)"
            record["reason"] = reason
            record["for"] = TimeText.duration(seconds)
            record["until"] = String(Int(time + seconds))
            message = "shelved \(slotTag) for \(TimeText.duration(seconds)): \(reason)"
        case let .setAlarmOutOfService(_, true, reason):
            let reason = reason.trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else { return .failure(AlarmActRefusal("taking an alarm out of service needs a reason")) }
            point.apply(.removeFromService)
            note = "out of service by \(person.label): \(reason)"
            record["reason"] = reason
            message = "\(slotTag) out of service: \(reason)"
        case .setAlarmOutOfService:
            point.apply(.returnToService)
            note = nil
            message = "\(slotTag) back in service (\(point.state.word))"
        case .unshelveAlarm:
            point.apply(.shelfExpired)
            note = nil
            message = "\(slotTag) off the shelf (\(point.state.word))"
        default:
            point.apply(.acknowledge)
            message = "acknowledged \(slotTag)"
        }
        record["state"] = point.state.rawValue
        return .success(AlarmActPlan(cell: i, slot: a, act: act, tag: slotTag, point: point, note: note, message: message, record: record))
    }

    /// Carries out a planned act (once it is on record).
    public func carryOut(_ plan: AlarmActPlan) {
        changes.note(plan.cell)
        cells[plan.cell].alarms[plan.slot].point = plan.point
        cells[plan.cell].alarms[plan.slot].note = plan.note
    }

    /// The cell and slot of the alarm tagged `tag` (case-insensitive).
    func alarmSlot(tag: String) -> (cell: Int, slot: Int)? {
        let wanted = tag.lowercased()
        let cellID = String(tag.prefix { $0 != "." })
        guard let i = cellIndex[cellID] ?? cells.indices.first(where: { cells[$0].spec.id.lowercased() == cellID.lowercased() }),
              let a = cells[i].alarms.firstIndex(where: { $0.tag.lowercased() == wanted }) else { return nil }
        return (i, a)
    }

    /// The alarm tagged `tag` as the console shows it, if there is one.
    public func alarm(tag: String) -> AlarmSummary? {
        alarmSlot(tag: tag).map { alarmSummary($0.cell, $0.slot, now: time) }
    }
}

/// Why an act on an alarm was refused, in words.
public struct AlarmActRefusal: Error, Sendable, Hashable {
    /// The words.
    public let message: String

    /// Wraps words.
    public init(_ message: String) { self.message = message }
}
