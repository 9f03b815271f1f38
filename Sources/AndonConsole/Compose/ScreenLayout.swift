/// Where each pane goes for a terminal size: wide, medium, compact (laptop), minimal; the approvals pane goes last.
///
/// As the terminal shrinks, panes go from three columns to two, then to one main pane over the approvals, then to
/// the approvals alone; below ``minimumSize`` only a message is shown.
public struct ScreenLayout: Sendable {
    /// How the panes are arranged.
    public enum Arrangement: Sendable, Hashable {
        /// Below the minimum size: only a message.
        case tooSmall
        /// The approvals pane alone, under the header: the last pane kept.
        case minimal
        /// One main pane (tabbed) over the approvals pane.
        case compact
        /// Cells on the left; approvals, latency, queues and events on the right.
        case medium
        /// Three columns, everything side by side.
        case wide
    }

    /// The smallest usable terminal: room for the header, a few approvals and the status line.
    public static let minimumSize = TerminalSize(columns: 40, rows: 8)

    /// The smallest terminal with a main pane over the approvals.
    public static let compactSize = TerminalSize(columns: 60, rows: 15)

    /// The arrangement chosen.
    public let arrangement: Arrangement
    /// Header rows.
    public let header: Rect
    /// The status row.
    public let status: Rect
    /// Pane boxes (borders included).
    public let panes: [Pane: Rect]
    /// The drill-down box, when one is open.
    public let detail: Rect?

    /// Lays out a screen of `size` with `headerRows` of header, `pendingApprovals` to show, focus on `focus`.
    public init(size: TerminalSize, headerRows: Int, pendingApprovals: Int, focus: Pane, hasDetail: Bool) {
        let screen = Rect(x: 0, y: 0, width: size.columns, height: size.rows)
        guard size.columns >= Self.minimumSize.columns, size.rows >= Self.minimumSize.rows else {
            arrangement = .tooSmall
            header = .zero
            status = .zero
            panes = [:]
            detail = nil
            return
        }
        let (top, rest) = screen.splitTop(headerRows)
        let (body, bottom) = rest.splitBottom(1)
        header = top
        status = bottom
        let wanted = pendingApprovals + 2
        let arrangement: Arrangement = size.columns >= 200 && size.rows >= 50 ? .wide : size.columns >= 120 && size.rows >= 32 ? .medium
            : size.columns >= Self.compactSize.columns && size.rows >= Self.compactSize.rows ? .compact : .minimal
        self.arrangement = arrangement
        var panes: [Pane: Rect] = [:]
        if arrangement == .minimal {
            panes[.approvals] = body
            self.panes = panes
            detail = nil
            return
        }

        if hasDetail || arrangement == .compact {
            // Approvals along the bottom: they keep their rows as the terminal shrinks; the main area gives way first.
            let approvalsRows = min(body.height, max(4, min(wanted, body.height * 2 / 5)))
            let (main, approvals) = body.splitBottom(approvalsRows)
            panes[.approvals] = approvals
            if hasDetail {
                detail = main.isEmpty ? nil : main
            } else {
                detail = nil
                let shown: Pane = focus == .approvals ? .cells : focus
                panes[shown] = main
            }
            self.panes = panes
            return
        }
        detail = nil
        if arrangement == .medium {
            let (left, right) = body.splitLeft(body.width * 46 / 100)
            panes[.cells] = left
            let (approvals, r1) = right.splitTop(max(7, min(wanted, right.height * 3 / 10)))
            let (latency, r2) = r1.splitTop(max(5, r1.height * 9 / 26))
            let (queues, events) = r2.splitTop(r2.height / 2)
            panes[.approvals] = approvals
            panes[.latency] = latency
            panes[.queues] = queues
            panes[.events] = events
        } else {
            let (left, others) = body.splitLeft(body.width * 30 / 100)
            let (middle, right) = others.splitLeft(others.width * 57 / 100)
            panes[.cells] = left
            let (approvals, events) = middle.splitTop(max(8, min(wanted, middle.height * 45 / 100)))
            panes[.approvals] = approvals
            panes[.events] = events
            let (latency, queues) = right.splitTop(right.height / 2)
            panes[.latency] = latency
            panes[.queues] = queues
        }
        self.panes = panes
    }
}
