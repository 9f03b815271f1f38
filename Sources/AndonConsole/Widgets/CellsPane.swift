import AndonCore

/// Cells grouped by line in flow order (or sorted), one row each; only the rows in view are built.
struct CellsPane {
    let context: FrameContext

    /// Draws into the inside of a pane; returns the rows shown.
    func draw(into canvas: inout Canvas, in rect: Rect) -> Int {
        let state = context.state
        // Sorted by OEE or alarm, only the rows down to a screen below this one need to be in order.
        // Found first: the rows' memo is locked while it asks how many rows are needed.
        let selected = state.selectedRow(.cells, snapshot: context.snapshot)
        let rows = CellRows(snapshot: context.snapshot, filter: state.filter, sort: state.sort, memo: state.memo) { count in
            context.selection(.cells, count: count, height: rect.height, selected: selected).position.top + 2 * max(0, rect.height)
        }
        guard rect.height > 0 else { return 0 }
        if rows.count == 0 {
            canvas.write(state.filter.isEmpty ? "no cells" : "no cell matches \"\(state.filter)\"", .muted, row: 0, in: rect)
            return rect.height
        }
        let (position, selectedRow) = context.selection(.cells, count: rows.count, height: rect.height, selected: selected)
        let needle = Self.needle(state.filter)
        for line in 0..<min(rect.height, rows.count - position.top) {
            let index = position.top + line
            switch rows.row(at: index) {
            case let .line(snapshot):
                canvas.write(lineHeader(snapshot, width: rect.width), row: line, in: rect)
            case let .cell(cell):
                let selected = index == selectedRow && context.isFocused(.cells)
                canvas.write(cellRow(cell, width: rect.width, needle: needle), row: line, in: rect, selected: selected)
            }
        }
        let drawn = min(rect.height, rows.count - position.top)
        if position.top == 0, drawn < rect.height { drawAlarmsBelow(into: &canvas, in: rect, from: drawn) }
        // A cut pane says how many rows, and how many alarms, are out of view.
        let end = position.top + rect.height
        if position.top > 0 || end < rows.count {
            let prefix = state.memo.alarmPrefix(of: rows, snapshot: context.snapshot, sort: state.sort, filter: state.filter)
            let alarms = rows.alarmsOutside(top: position.top, end: end, prefix: prefix)
            MoreMarker.draw(above: position.top, below: rows.count - end, alarms: alarms, into: &canvas, in: rect)
        }
        return rect.height
    }

    private func lineHeader(_ line: LineSnapshot, width: Int) -> [Segment] {
        // A plant-wide console: the line with no cells that heads a runtime's group.
        if let runtime = context.snapshot.runtimes?.first(where: { $0.headingLineID == line.id }) { return RuntimeText.heading(runtime) }
        var segments = [Segment(line.name, .heading), Segment("  OEE ", .muted), Segment(Format.oee(line.shiftOEE)),
                        Segment("  out ", .muted), Segment(String(line.output))]
        // The line's clock stops while any of its cells is down: say which, so a low figure explains itself.
        if let down = context.state.memo.alarms(of: context.snapshot).downByLine[line.id] {
            let shown = context.snapshot.runtimes == nil ? down : down.map(RuntimeQualifiedID.local)
            segments.append(Segment("  down: " + shown.joined(separator: " "), .status(.held)))
        }
        return segments
    }

    /// Wide enough for name, data age and a small trend beside each cell.
    static let wideWidth = 50

    /// The segments of one cell's row, for a pane `width` columns wide: id, status, OEE, then the most urgent alarm in
    /// view; from ``wideWidth`` on, the data age and a trend of the sensor nearest its limit too, and the cell's name
    /// where there is no alarm to show. A name the filter matched is shown however narrow the pane.
    /// `needle` is ``needle(_:)`` of the filter, worked out once for all the rows.
    func cellRow(_ cell: CellSnapshot, width: Int, needle: Needle) -> [Segment] {
        let glyphs = context.glyphs
        let isWide = width >= Self.wideWidth
        let status = DisplayWidth.pad(glyphs.glyph(for: cell.status) + " " + cell.status.rawValue, to: 10)
        var segments = [
            Segment(" " + Format.id(shownID(cell), to: isWide ? 6 : 8)),
            Segment(status, .status(cell.status)),
            Segment(DisplayWidth.pad(Format.oee(of: cell), to: 4, alignRight: true), cell.isStale ? .status(.stale) : .text),
            Segment(" "),
        ]
        if isWide {
            segments.append(Segment(DisplayWidth.pad(Format.age(cell.dataAge), to: 4, alignRight: true), cell.isStale ? .status(.stale) : .muted))
            segments.append(trend(cell))
        }
        let alarm = cell.topAlarm.flatMap { $0.state.isAnnunciated ? $0 : nil }
        if let alarm {
            segments.append(Segment(" " + glyphs.alarmMark(alarm.priority) + " " + alarm.message, .alarm(alarm.priority)))
            // Back to normal but not yet acknowledged: still in view, and said so.
            if alarm.state == .returnedUnacknowledged { segments.append(Segment(" (cleared, unack)", .muted)) }
            if cell.activeAlarms > 1 { segments.append(Segment(" +\(cell.activeAlarms - 1)", .muted)) }
        }
        if cell.isStale { segments.append(Segment(" data \(Format.age(cell.dataAge)) old", .status(.stale))) }
        if abs(cell.speedPercent - 100) >= 0.5 { segments.append(Segment(" speed \(Int(cell.speedPercent.rounded()))%", .muted)) }
        let matchedName = !needle.text.isEmpty && needle.isIn(cell.name)
        if (isWide && alarm == nil) || matchedName { segments.append(Segment("  " + cell.name, .muted)) }
        return segments
    }

    /// The filter as the rows look for it: trimmed and lowercased (nothing to trim in an empty one).
    static func needle(_ filter: String) -> Needle {
        Needle(filter.isEmpty ? "" : filter.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// The cell's id as its row shows it: in a plant-wide console, under its runtime's heading (flow order, no
    /// filter) the runtime's own id, elsewhere the id qualified by runtime.
    private func shownID(_ cell: CellSnapshot) -> String {
        guard context.snapshot.runtimes != nil, context.state.sort == .flow, context.state.filter.isEmpty else { return cell.id }
        return RuntimeQualifiedID.local(cell.id)
    }

    /// A small trend (the last 8 readings) of the cell's sensor nearest its first high limit, scaled from nominal to
    /// its alarm limit, so a climb shows.
    private func trend(_ cell: CellSnapshot) -> Segment {
        let nearest = cell.sensors.max { a, b in ratio(a) < ratio(b) }
        guard let sensor = nearest, !sensor.history.isEmpty else { return Segment(String(repeating: " ", count: 9)) }
        let values = sensor.history.suffix(8).map(Double.init)
        let ceiling = sensor.limits.highAlarm ?? sensor.limits.trip ?? sensor.limits.highWarn ?? (values.max() ?? 1)
        let line = context.glyphs.sparkline(values, width: 8, floor: min(sensor.nominal, values.min() ?? 0), ceiling: max(ceiling, values.max() ?? 0))
        return Segment(" " + DisplayWidth.pad(line, to: 8), ratio(sensor) >= 1 ? .alarm(3) : .muted)
    }

    /// A sensor's reading over its first high limit.
    private func ratio(_ sensor: SensorReading) -> Double {
        guard let limit = sensor.limits.highWarn ?? sensor.limits.highAlarm ?? sensor.limits.trip, limit > 0 else { return 0 }
        return sensor.value / limit
    }

    /// An alarm's cell in the list below the rows: a plant-wide console's qualified ids get room of their own.
    private func cellColumn(_ cell: String) -> String {
        context.snapshot.runtimes == nil ? Format.id(cell, to: 6) : Format.id(cell, to: 10) + " "
    }

    /// Below the rows, when the pane has room to spare: the plant's alarms in view, most urgent first.
    func drawAlarmsBelow(into canvas: inout Canvas, in rect: Rect, from row: Int) {
        let alarms = context.state.memo.alarms(of: context.live).list.filter { $0.state.isAnnunciated }
        guard rect.height - row >= 4, !alarms.isEmpty else { return }
        canvas.write([Segment("In alarm", .heading), Segment("  L lists every alarm", .muted)], row: row + 1, in: rect)
        for (offset, alarm) in alarms.prefix(rect.height - row - 2).enumerated() {
            canvas.write([Segment(" " + context.glyphs.alarmMark(alarm.priority) + " ", .alarm(alarm.priority)),
                          Segment(cellColumn(alarm.cell)), Segment(alarm.message, .alarm(alarm.priority)),
                          Segment("  " + alarm.state.word + (alarm.isChattering ? " chattering" : ""), .muted)], row: row + 2 + offset, in: rect)
        }
    }
}
