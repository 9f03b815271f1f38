import AndonCore

/// Pending approvals, riskiest and most urgent first: risk, action, target, time left, quorum, rationale.
struct ApprovalsPane {
    let context: FrameContext

    /// Draws into the inside of a pane; returns the rows of approvals shown.
    func draw(into canvas: inout Canvas, in rect: Rect) -> Int {
        guard rect.height > 0 else { return 0 }
        let pending = context.state.memo.pendingApprovals(of: context.live)
        if pending.isEmpty {
            canvas.write("no approvals pending", .muted, row: 0, in: rect)
            return rect.height
        }
        let (position, selectedRow) = context.selection(.approvals, count: pending.count, height: rect.height)
        for line in 0..<min(rect.height, pending.count - position.top) {
            let index = position.top + line
            let selected = index == selectedRow && (context.isFocused(.approvals) || isOpen(pending[index]))
            canvas.write(row(pending[index]), row: line, in: rect, selected: selected)
        }
        MoreMarker.draw(above: position.top, below: pending.count - position.top - rect.height, alarms: nil, into: &canvas, in: rect)
        return rect.height
    }

    /// The action column: the longest action name and a space.
    static let actionWidth = (ActionKind.allCases.map { $0.rawValue.count }.max() ?? 16) + 1

    private func isOpen(_ approval: ApprovalSnapshot) -> Bool { context.state.detail == .approval(approval.id) }

    /// One approval's row.
    func row(_ approval: ApprovalSnapshot) -> [Segment] {
        let proposal = approval.proposal
        let left = approval.deadline - context.live.time
        var segments = [
            Segment(" " + DisplayWidth.pad(Format.risk(proposal.risk), to: 5), .risk(proposal.risk)),
        ]
        // A plant-wide console: which runtime asks, and whether it can be reached.
        if let runtimes = context.live.runtimes, let name = RuntimeQualifiedID.split(approval.id)?.runtime {
            let width = min(8, runtimes.map { DisplayWidth.of($0.name) }.max() ?? 0)
            let isUp = runtimes.first { $0.name == name }?.link == .connected
            segments.append(Segment(DisplayWidth.pad(DisplayWidth.truncate(name, to: width), to: width + 1), isUp ? .muted : .auditFailing))
        }
        segments += [
            // Wide enough for every action's name (schedule_maintenance), so action and target never run together.
            Segment(DisplayWidth.pad(proposal.action.rawValue, to: Self.actionWidth)),
            Segment(DisplayWidth.pad(DisplayWidth.truncate(RuntimeQualifiedID.local(proposal.target), to: 6), to: 7)),
            Segment(DisplayWidth.pad(Format.countdown(left), to: 5, alignRight: true), left < 30 ? .outcomeRefused : .text),
            Segment(" \(approval.signatures.count)/\(approval.quorum)", .muted),
        ]
        if approval.isEscalated { segments.append(Segment(" ESCAL", .risk(.high))) }
        if context.state.inFlight.contains(approval.id) { segments.append(Segment(" sent…", .outcomeAccepted)) }
        segments.append(Segment("  " + proposal.rationale, .muted))
        return segments
    }
}
