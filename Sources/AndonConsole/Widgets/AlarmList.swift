import AndonCore

/// The alarm list (ISA-18.2 alarm summary): every alarm not in Normal, by priority then newest, with cell, point,
/// value against its limit, since when, and state; shelved ones with the time left, and who shelved them and why.
struct AlarmList {
    let context: FrameContext

    /// Draws into the inside of the detail box; returns nothing to scroll (the list scrolls with its selection).
    func draw(into canvas: inout Canvas, in rect: Rect) -> Int {
        guard rect.height > 0 else { return 0 }
        let state = context.state, snapshot = context.live
        let alarms = state.memo.alarms(of: snapshot)
        canvas.write(summary(alarms), row: 0, in: rect)
        guard rect.height > 2 else { return 0 }
        canvas.write([Segment(" P  " + DisplayWidth.pad("cell", to: 6) + DisplayWidth.pad("point", to: 15) + DisplayWidth.pad("value", to: 11)
                              + DisplayWidth.pad("limit", to: 10) + DisplayWidth.pad("since", to: 9) + "state", .heading)], row: 1, in: rect)
        let rows = state.alarmRows(snapshot)
        let selected = state.selectedAlarmRow(in: snapshot)
        // Below the rows, the selected alarm in full: tag, message, and who shelved it or took it out of service and why.
        let about = selected.row.map { aboutText(rows[$0], width: rect.width) } ?? []
        let footer = rect.height - 2 >= about.count + 3 ? about.count : 0
        let body = Rect(x: rect.x, y: rect.y + 2, width: rect.width, height: rect.height - 2 - footer)
        for (index, line) in about.prefix(footer).enumerated() {
            canvas.write(line, row: rect.height - footer + index, in: rect)
        }
        if rows.isEmpty {
            canvas.write(state.alarmFilter.isEmpty ? "  no alarm out of Normal" : "  no alarm matches \"\(state.alarmFilter)\"", .muted, row: 0, in: body)
            return 0
        }
        var position = state.alarmPosition
        if case let .at(row) = selected { position.cursor = row }
        position = position.clamped(count: rows.count, height: body.height)
        for line in 0..<min(body.height, rows.count - position.top) {
            let index = position.top + line
            canvas.write(AlarmText.row(rows[index], now: snapshot.time, glyphs: context.glyphs), row: line, in: body,
                         selected: index == selected.row && state.mode == .normal || index == selected.row && isPrompting)
        }
        MoreMarker.draw(above: position.top, below: rows.count - position.top - body.height, alarms: nil, into: &canvas, in: body)
        return 0
    }

    private var isPrompting: Bool {
        if case .alarmPrompt = context.state.mode { return true }
        return false
    }

    /// The selected alarm in full, wrapped to `width`: a separator, then its tag, message and note.
    private func aboutText(_ alarm: AlarmSummary, width: Int) -> [[Segment]] {
        var words = "\(alarm.tag): \(alarm.message), \(alarm.state.word)"
        if let until = alarm.shelvedUntil, alarm.state == .shelved { words += " until \(Format.clock(until))" }
        if let note = alarm.note { words += "; " + note }
        if alarm.isChattering { words += "; chattering: in and out of alarm 3 or more times a minute (deadband, on_delay and off_delay in the plant file calm it)" }
        return [[Segment(String(repeating: "─", count: max(0, width)), .border)]] + DetailText.wrap(words, width: max(1, width - 2)).prefix(3).map { [Segment(" " + $0, .muted)] }
    }

    /// `▲1 1 ▲2 0 ▲3 2 ▲4 0   3 unack · 1 shelved   rate 4/10 min`: zero counts of hidden alarms are left out.
    private func summary(_ alarms: PlantAlarms) -> [Segment] {
        var segments: [Segment] = []
        for priority in 1...4 {
            let count = alarms.inView[priority - 1]
            segments.append(Segment(" \(context.glyphs.alarmMark(priority)) \(count)", count > 0 ? .alarm(priority) : .muted))
        }
        var counts = ["\(alarms.unacknowledged) unack"]
        if alarms.shelved > 0 { counts.append("\(alarms.shelved) shelved") }
        if alarms.outOfService > 0 { counts.append("\(alarms.outOfService) out of service") }
        if alarms.suppressed > 0 { counts.append("\(alarms.suppressed) suppressed") }
        segments.append(Segment("   " + counts.joined(separator: " · "), .muted))
        segments.append(Segment("   rate ", .muted))
        segments.append(Segment("\(alarms.rate)/10 min" + (alarms.isFlood ? " FLOOD" : ""), alarms.isFlood ? .outcomeRefused : .text))
        if alarms.chattering > 0 { segments.append(Segment(" · \(alarms.chattering) chattering", .text)) }
        if !context.state.alarmFilter.isEmpty { segments.append(Segment("   /\(context.state.alarmFilter)", .input)) }
        return segments
    }
}

/// One alarm as a line of the list or of a cell's detail.
enum AlarmText {
    /// ` ▲2 B2     vibration        4.8 mm/s    alarm 4.5   00:12:03  UNACK  …`.
    static func row(_ alarm: AlarmSummary, now: SimTime, glyphs: Glyphs, showCell: Bool = true) -> [Segment] {
        let role: StyleRole = alarm.state.isAnnunciated ? .alarm(alarm.priority) : .muted
        let value = alarm.value.map { Format.value($0) + " " + alarm.unit } ?? ""
        let limit = alarm.limitKind.map { kind in kind == .stale ? "stale" : kind.shortName + " " + (alarm.limit.map(Format.value) ?? "") } ?? ""
        var segments = [
            Segment(" " + glyphs.alarmMark(alarm.priority) + " ", role),
            Segment(showCell ? Format.id(alarm.cell, to: 5) + " " : ""),
            Segment(DisplayWidth.pad(DisplayWidth.truncate(alarm.point, to: 14), to: 15)),
            Segment(DisplayWidth.pad(value, to: 11), alarm.state.isActive ? role : .text),
            Segment(DisplayWidth.pad(limit, to: 10), .muted),
            // An alarm suppressed by design or out of service may never have come in: no time to show.
            Segment(DisplayWidth.pad(alarm.state.isAnnunciated || alarm.state == .shelved ? Format.clock(alarm.since) : "-", to: 9), .muted),
            Segment(alarm.state.word, alarm.state.needsAcknowledgement ? role : .muted),
        ]
        if let until = alarm.shelvedUntil, alarm.state == .shelved { segments.append(Segment(" \(Format.countdown(until - now)) left", .text)) }
        if alarm.isChattering { segments.append(Segment(" chattering", .text)) }
        if let note = alarm.note { segments.append(Segment("  " + note, .muted)) }
        return segments
    }
}

extension AlarmLimitKind {
    /// A word of at most five letters for narrow columns: `lo`, `warn`, `alarm`, `trip`, `stale`.
    var shortName: String {
        switch self {
        case .low: "lo"
        case .warning: "warn"
        case .alarm: "alarm"
        case .trip: "trip"
        case .stale: "stale"
        }
    }
}

/// The `↑ 3 more` / `↓ 9 more · 2 alarms` marks on a cut list's first and last rows.
enum MoreMarker {
    /// Marks rows out of view above and below `rect`'s rows, with the alarms among those below and above when given.
    static func draw(above: Int, below: Int, alarms: (above: Int, below: Int)?, into canvas: inout Canvas, in rect: Rect) {
        guard rect.height > 0 else { return }
        func mark(_ text: String, row: Int, alarms count: Int) {
            let words = text + (count > 0 ? " · \(count) alarm\(count == 1 ? "" : "s")" : "") + " "
            let width = min(rect.width, DisplayWidth.of(words))
            canvas.fill(Rect(x: rect.maxX - width, y: rect.y + row, width: width, height: 1))
            canvas.write(words, count > 0 ? .title : .muted, row: row, in: rect, column: max(0, rect.width - width))
        }
        if below > 0 { mark(" ↓ \(below) more", row: rect.height - 1, alarms: alarms?.below ?? 0) }
        if above > 0, rect.height > 1 || below <= 0 { mark(" ↑ \(above) more", row: 0, alarms: alarms?.above ?? 0) }
    }
}
