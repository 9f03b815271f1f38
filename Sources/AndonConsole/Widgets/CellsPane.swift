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
        for line in 0..<min(rect.height, rows.count - position.top) {
            let index = position.top + line
            switch rows.row(at: index) {
            case let .line(snapshot):
                canvas.write(lineHeader(snapshot, width: rect.width), row: line, in: rect)
            case let .cell(cell):
                let selected = index == selectedRow && context.isFocused(.cells)
                canvas.write(cellRow(cell), row: line, in: rect, selected: selected)
            }
        }
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
        var segments = [Segment(line.name, .heading), Segment("  OEE ", .muted), Segment(Format.oee(line.shiftOEE)),
                        Segment("  out ", .muted), Segment(String(line.output))]
        // The line's clock stops while any of its cells is down: say which, so a low figure explains itself.
        let down = line.cells.compactMap { id in context.snapshot.cells.first { $0.id == id && $0.state.isDown }?.id }
        if !down.isEmpty { segments.append(Segment("  down: " + down.joined(separator: " "), .status(.held))) }
        return segments
    }

    /// The segments of one cell's row.
    func cellRow(_ cell: CellSnapshot) -> [Segment] {
        let glyphs = context.glyphs
        let status = DisplayWidth.pad(glyphs.glyph(for: cell.status) + " " + cell.status.rawValue, to: 10)
        var segments = [
            Segment(" " + DisplayWidth.pad(cell.id, to: 8)),
            Segment(status, .status(cell.status)),
            Segment(DisplayWidth.pad(Format.oee(of: cell), to: 4, alignRight: true), cell.isStale ? .status(.stale) : .text),
            Segment(" "),
        ]
        if let alarm = cell.topAlarm, alarm.state.isAnnunciated {
            segments.append(Segment(" " + glyphs.alarmMark(alarm.priority) + " " + alarm.message, .alarm(alarm.priority)))
            // Back to normal but not yet acknowledged: still in view, and said so.
            if alarm.state == .returnedUnacknowledged { segments.append(Segment(" (cleared, unack)", .muted)) }
            if cell.activeAlarms > 1 { segments.append(Segment(" +\(cell.activeAlarms - 1)", .muted)) }
        }
        if cell.isStale { segments.append(Segment(" data \(Format.age(cell.dataAge)) old", .status(.stale))) }
        if abs(cell.speedPercent - 100) >= 0.5 { segments.append(Segment(" speed \(Int(cell.speedPercent.rounded()))%", .muted)) }
        return segments
    }
}
