import AndonCore

/// A reason (and, for a shelf, a time) being typed before an alarm is shelved or taken out of service.
public struct AlarmPrompt: Hashable, Sendable {
    /// Which line is being typed.
    public enum Field: Hashable, Sendable { case duration, reason }

    /// The alarm.
    public var tag: String
    /// Shelve, or take out of service.
    public var act: AlarmAct
    /// `▲2 vibration very high · B2 · UNACK`.
    public var summary: String
    /// How long to shelve for (`30m`, `2h`).
    public var duration = "30m"
    /// Why.
    public var reason = ""
    /// The line keys go to.
    public var field: Field = .reason

    /// A prompt for `act` on `alarm`.
    public init(_ act: AlarmAct, on alarm: AlarmSummary) {
        self.act = act
        tag = alarm.tag
        summary = "▲\(alarm.priority) \(alarm.message) · \(alarm.cell) · \(alarm.state.word)"
    }
}

/// The alarm list: moving over it, and acknowledging, shelving, unshelving and taking out of service the alarm selected.
extension ConsoleState {
    /// The alarms the list shows for `snapshot`: every alarm not in Normal, filtered.
    func alarmRows(_ snapshot: PlantSnapshot) -> [AlarmSummary] {
        memo.alarms(of: snapshot).filtered(alarmFilter)
    }

    /// The row of the selected alarm; `gone` when it has left the list (acknowledged and back to normal, filtered out).
    public func selectedAlarmRow(in snapshot: PlantSnapshot?) -> SelectedRow {
        guard let snapshot else { return .none }
        let rows = alarmRows(snapshot)
        let cursor = min(max(0, alarmPosition.cursor), max(0, rows.count - 1))
        guard let tag = selectedAlarmTag else { return rows.isEmpty ? .none : .at(cursor) }
        if let row = rows.firstIndex(where: { $0.tag == tag }) { return .at(row) }
        return .gone(id: tag, lastRow: min(max(0, alarmPosition.cursor), rows.count))
    }

    /// The alarm selected in the list, if it is still there.
    public func selectedAlarm(in snapshot: PlantSnapshot?) -> AlarmSummary? {
        guard let snapshot, let row = selectedAlarmRow(in: snapshot).row else { return nil }
        return alarmRows(snapshot)[row]
    }

    /// Opens the alarm list.
    mutating func openAlarms(filter: String? = nil) {
        detail = .alarms
        detailScroll = 0
        if let filter { alarmFilter = filter }
    }

    /// Keys while the alarm list is open; nil for a key it leaves to the ordinary handling.
    mutating func handleAlarmList(_ key: Key, snapshot: PlantSnapshot?) -> [ConsoleEffect]? {
        switch key {
        case .down, .character("j"): moveAlarm(by: 1, snapshot: snapshot)
        case .up, .character("k"): moveAlarm(by: -1, snapshot: snapshot)
        case .pageDown, .character(" "): moveAlarm(by: 10, snapshot: snapshot)
        case .pageUp: moveAlarm(by: -10, snapshot: snapshot)
        case .home, .character("g"): moveAlarm(by: -Int(Int32.max), snapshot: snapshot)
        case .end, .character("G"): moveAlarm(by: Int(Int32.max), snapshot: snapshot)
        case .character("A"): return actOnSelectedAlarm(.acknowledge, snapshot: snapshot)
        case .character("S"): return actOnSelectedAlarm(.shelve, snapshot: snapshot)
        case .character("U"): return actOnSelectedAlarm(.unshelve, snapshot: snapshot)
        case .character("O"):
            let back = selectedAlarm(in: snapshot)?.state == .outOfService
            return actOnSelectedAlarm(back ? .returnToService : .removeFromService, snapshot: snapshot)
        case .enter:
            guard let alarm = selectedAlarm(in: snapshot) else { return alarmGone(snapshot) }
            detail = .cell(alarm.cell)
            detailScroll = 0
        case .character("/"): mode = .filter(alarmFilter)
        case .escape where !alarmFilter.isEmpty:
            alarmFilter = ""
            message = StatusMessage("alarm filter cleared")
        default: return nil
        }
        return []
    }

    private mutating func moveAlarm(by delta: Int, snapshot: PlantSnapshot?) {
        guard let snapshot else { return }
        let rows = alarmRows(snapshot)
        guard !rows.isEmpty else { return }
        let step = max(-rows.count, min(rows.count, delta))
        let target: Int = switch selectedAlarmRow(in: snapshot) {
        case .none: 0
        case let .at(row): row + step
        case let .gone(_, lastRow): step > 0 ? lastRow + step - 1 : lastRow + step
        }
        alarmPosition.cursor = min(max(0, target), rows.count - 1)
        selectedAlarmTag = rows[alarmPosition.cursor].tag
    }

    private mutating func alarmGone(_ snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        if case let .gone(tag, _) = selectedAlarmRow(in: snapshot) {
            message = StatusMessage("nothing selected: \(tag) left the list; j/k selects another", tone: .refused)
        } else {
            message = StatusMessage("no alarm to act on")
        }
        return []
    }

    /// Starts `act` on the selected alarm: refused at once when the person's role may not, or the alarm's state does
    /// not allow it; a prompt for a reason where one is needed; otherwise the command. The runtime still decides.
    mutating func actOnSelectedAlarm(_ act: AlarmAct, snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        // Who may comes first: an observer hears that, not which alarm is selected.
        if let refusal = act.refusal(for: person) {
            message = StatusMessage(refusal, tone: .refused)
            return []
        }
        guard let alarm = selectedAlarm(in: snapshot) else { return alarmGone(snapshot) }
        return begin(act, on: alarm)
    }

    /// Starts `act` on `alarm` (see ``actOnSelectedAlarm(_:snapshot:)``).
    mutating func begin(_ act: AlarmAct, on alarm: AlarmSummary) -> [ConsoleEffect] {
        if let refusal = act.refusal(for: person) {
            message = StatusMessage(refusal, tone: .refused)
            return []
        }
        if let why = act.inapplicability(to: alarm.state, tag: alarm.tag) {
            message = StatusMessage(why, tone: .refused)
            return []
        }
        switch act {
        case .shelve, .removeFromService:
            mode = .alarmPrompt(AlarmPrompt(act, on: alarm))
            return []
        case .acknowledge: return [.send(.acknowledgeAlarm(tag: alarm.tag))]
        case .unshelve: return [.send(.unshelveAlarm(tag: alarm.tag))]
        case .returnToService: return [.send(.setAlarmOutOfService(tag: alarm.tag, isOutOfService: false, reason: ""))]
        }
    }

    /// Keys while a shelving or out-of-service reason is typed.
    mutating func handleAlarmPrompt(_ key: Key, _ prompt: AlarmPrompt) -> [ConsoleEffect] {
        var prompt = prompt
        switch key {
        case .escape, .interrupt:
            mode = .normal
            message = StatusMessage("\(prompt.act.words) cancelled; nothing sent")
            return []
        case .tab, .backTab, .up, .down:
            if prompt.act == .shelve { prompt.field = prompt.field == .reason ? .duration : .reason }
        case .backspace, .delete:
            if prompt.field == .reason { _ = prompt.reason.popLast() } else { _ = prompt.duration.popLast() }
        case let .character(character):
            if prompt.field == .reason { prompt.reason.append(character) } else { prompt.duration.append(character) }
        case .enter:
            let reason = prompt.reason.trimmingCharacters(in: .whitespaces)
            guard !reason.isEmpty else {
                message = StatusMessage("say why: a reason is on record with every \(prompt.act == .shelve ? "shelf" : "alarm out of service")", tone: .refused)
                break
            }
            mode = .normal
            if prompt.act == .removeFromService {
                message = StatusMessage("sending: \(prompt.tag) out of service…")
                return [.send(.setAlarmOutOfService(tag: prompt.tag, isOutOfService: true, reason: reason))]
            }
            guard let seconds = TimeText.seconds(parsing: prompt.duration), seconds > 0, seconds <= AlarmAct.longestShelf else {
                mode = .alarmPrompt(prompt)
                message = StatusMessage("shelve for a time such as 15m or 2h, at most \(TimeText.duration(AlarmAct.longestShelf))", tone: .refused)
                return []
            }
            message = StatusMessage("sending: shelve \(prompt.tag) for \(TimeText.duration(seconds))…")
            return [.send(.shelveAlarm(tag: prompt.tag, seconds: seconds, reason: reason))]
        default:
            break
        }
        mode = .alarmPrompt(prompt)
        return []
    }

    /// The alarm tagged like `text` (case-insensitive) in `snapshot`, if it is listed.
    func alarm(tagged text: String, in snapshot: PlantSnapshot?) -> AlarmSummary? {
        guard let snapshot else { return nil }
        let wanted = text.lowercased()
        return memo.alarms(of: snapshot).list.first { $0.tag.lowercased() == wanted }
    }
}
