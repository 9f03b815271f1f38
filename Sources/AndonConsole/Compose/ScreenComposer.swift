import AndonCore

/// A composed frame and what the state machine should remember about it.
public struct ComposedFrame: Sendable {
    /// The picture.
    public var canvas: Canvas
    /// List rows each pane showed (for paging).
    public var paneHeights: [Pane: Int]
    /// The largest useful scroll of the detail view or help overlay drawn, if one was.
    public var scrollLimit: Int?
}

/// Builds a whole screen from a snapshot and the console state; only what is visible is laid out.
public enum ScreenComposer {
    /// The frame for `snapshot` (nil before the first one arrives) and `state` at `size`.
    public static func compose(snapshot: PlantSnapshot?, state: ConsoleState, size: TerminalSize) -> ComposedFrame {
        var frame = composeGlyphs(snapshot: snapshot, state: state, size: size)
        if state.isASCII { frame.canvas.foldToASCII() }
        return frame
    }

    private static func composeGlyphs(snapshot: PlantSnapshot?, state: ConsoleState, size: TerminalSize) -> ComposedFrame {
        var canvas = Canvas(size: size)
        let glyphs: Glyphs = state.isASCII ? .ascii : .unicode
        guard let snapshot else {
            canvas.write("Andon: waiting for the first plant snapshot…", .muted, row: 0, in: canvas.bounds)
            return ComposedFrame(canvas: canvas, paneHeights: [:])
        }
        var context = FrameContext(live: snapshot, state: state, glyphs: glyphs)
        let header = HeaderBar(context: context)
        let pending = state.memo.pendingApprovals(of: snapshot).count
        let layout = ScreenLayout(size: size, headerRows: header.height(width: size.columns), pendingApprovals: pending, focus: state.focus,
                                  hasDetail: state.detail != nil)
        if layout.arrangement == .tooSmall {
            let need = ScreenLayout.minimumSize
            let message = "terminal too small: need \(need.columns)×\(need.rows), have \(size.columns)×\(size.rows)"
            for (row, line) in DetailText.wrap(message, width: size.columns).prefix(size.rows).enumerated() {
                canvas.write(line, .text, row: row, in: canvas.bounds)
            }
            return ComposedFrame(canvas: canvas, paneHeights: [:])
        }
        if layout.arrangement == .minimal, state.focus != .approvals || state.detail != nil {
            // The approvals pane is all there is: show it focused, as the keys will treat it.
            var focused = state
            focused.focus = .approvals
            focused.detail = nil
            context = FrameContext(live: snapshot, state: focused, glyphs: glyphs)
        }
        header.draw(into: &canvas, in: layout.header)
        var heights: [Pane: Int] = [:]
        for (pane, rect) in layout.panes.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            var title = paneTitle(pane, layout: layout, context: context, pending: pending)
            if let gone = state.goneNote(pane, snapshot: snapshot) { title += " · " + gone }
            let inside = canvas.box(rect, title: title, isFocused: context.isFocused(pane), glyphs: glyphs)
            heights[pane] = switch pane {
            case .cells: CellsPane(context: context).draw(into: &canvas, in: inside)
            case .approvals: ApprovalsPane(context: context).draw(into: &canvas, in: inside)
            case .queues: QueuesPane(context: context).draw(into: &canvas, in: inside)
            case .latency: LatencyPane(context: context).draw(into: &canvas, in: inside)
            case .events: EventsPane(context: context).draw(into: &canvas, in: inside)
            }
        }
        var scrollLimit: Int?
        if let rect = layout.detail { scrollLimit = drawDetail(into: &canvas, in: rect, context: context) }
        StatusLine(context: context).draw(into: &canvas, in: layout.status)
        switch state.mode {
        case .help: scrollLimit = HelpOverlay(context: context).draw(into: &canvas, in: canvas.bounds)
        case let .confirm(confirmation): DialogOverlay(context: context).draw(confirmation, into: &canvas, in: canvas.bounds)
        case let .rejectReason(prompt): DialogOverlay(context: context).draw(prompt, into: &canvas, in: canvas.bounds)
        case let .signature(prompt): DialogOverlay(context: context).draw(prompt, into: &canvas, in: canvas.bounds)
        case let .alarmPrompt(prompt): DialogOverlay(context: context).draw(prompt, into: &canvas, in: canvas.bounds)
        default: break
        }
        return ComposedFrame(canvas: canvas, paneHeights: heights, scrollLimit: scrollLimit)
    }

    private static func paneTitle(_ pane: Pane, layout: ScreenLayout, context: FrameContext, pending: Int) -> String {
        let state = context.state
        switch pane {
        case .approvals:
            return "Approvals \(pending) pending"
        case .cells where !state.filter.isEmpty || state.sort != .flow:
            let filter = state.filter.isEmpty ? "" : " /\(state.filter)"
            return "Cells · \(state.sort.rawValue)\(filter)"
        default:
            guard layout.arrangement == .compact || layout.arrangement == .minimal, pane != .approvals else { return pane.title }
            // Compact screens show one main pane at a time: name the others as tabs.
            return ([pane] + Pane.allCases.filter { $0 != pane && $0 != .approvals }).enumerated()
                .map { $0.offset == 0 ? $0.element.title : $0.element.rawValue }.joined(separator: " · ")
        }
    }

    /// Draws the open detail view; returns its largest useful scroll.
    private static func drawDetail(into canvas: inout Canvas, in rect: Rect, context: FrameContext) -> Int? {
        switch context.state.detail {
        case let .cell(id):
            guard let cell = context.snapshot.cells.first(where: { $0.id == id }) else {
                let inside = canvas.box(rect, title: "Cell \(id)", isFocused: true, glyphs: context.glyphs)
                canvas.write("cell \(id) is not in this snapshot", .muted, row: 0, in: inside)
                return 0
            }
            let inside = canvas.box(rect, title: "Cell \(cell.id) · Esc back", isFocused: true, glyphs: context.glyphs)
            return CellDetail(context: context, cell: cell).text(width: inside.width).draw(into: &canvas, in: inside, scroll: context.state.detailScroll)
        case let .approval(id):
            let inside = canvas.box(rect, title: "Approval \(id) · Esc back", isFocused: true, glyphs: context.glyphs)
            guard let approval = context.live.approvals.first(where: { $0.id == id }) else {
                canvas.write("approval \(id) is no longer in the snapshot", .muted, row: 0, in: inside)
                return 0
            }
            return ApprovalDetail(context: context, approval: approval).text(width: inside.width)
                .draw(into: &canvas, in: inside, scroll: context.state.detailScroll)
        case .telemetryRejects:
            let inside = canvas.box(rect, title: "Telemetry rejects · Esc back", isFocused: true, glyphs: context.glyphs)
            return TelemetryRejectsDetail(context: context).text(width: inside.width)
                .draw(into: &canvas, in: inside, scroll: context.state.detailScroll)
        case let .event(sequence):
            let inside = canvas.box(rect, title: "Event #\(sequence) · j/k scroll · Esc back", isFocused: true, glyphs: context.glyphs)
            guard let event = context.state.events.chronological.last(where: { $0.sequence == sequence }) else {
                canvas.write("event #\(sequence) is no longer in the log", .muted, row: 0, in: inside)
                return 0
            }
            return EventDetail(context: context, event: event).text(width: inside.width).draw(into: &canvas, in: inside, scroll: context.state.detailScroll)
        case .alarms:
            let inside = canvas.box(rect, title: "Alarms · priority, then newest · Esc back", isFocused: true,
                                    glyphs: context.glyphs)
            return AlarmList(context: context).draw(into: &canvas, in: inside)
        case nil:
            return nil
        }
    }
}
