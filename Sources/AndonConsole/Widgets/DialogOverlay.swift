import AndonCore

/// The confirmation and rejection dialogs: they name the action, target, risk and consequence.
struct DialogOverlay {
    let context: FrameContext

    /// Draws the confirmation centred in `rect`; an approval's dialog also shows, from the live plant, the time left,
    /// each figure of evidence beside its limit and the value now, and whether the cell is already down.
    func draw(_ confirmation: ConfirmationDialog, into canvas: inout Canvas, in rect: Rect) {
        let width = min(rect.width, 76)
        let consequence = DetailText.wrap(confirmation.consequence, width: max(1, width - 18))
        let live = liveLines(confirmation)
        let box = rect.centered(width: width, height: 9 + consequence.count + live.count)
        let inside = canvas.box(box, title: confirmation.title, isFocused: true, glyphs: context.glyphs, role: .dialog)
        var row = 1
        func line(_ segments: [Segment]) {
            canvas.write(segments, row: row, in: inside)
            row += 1
        }
        line([Segment(" action       ", .muted), Segment(confirmation.action, .title)])
        line([Segment(" target       ", .muted), Segment(confirmation.target, .title)])
        line([Segment(" risk         ", .muted), Segment(Format.risk(confirmation.risk), .risk(confirmation.risk))])
        for (index, text) in consequence.enumerated() {
            line([Segment(index == 0 ? " consequence  " : "              ", .muted), Segment(text)])
        }
        for segments in live { line(segments) }
        row += 1
        if confirmation.requiresTypedTarget {
            line([Segment(" type \(confirmation.target): ", .dialog), Segment(confirmation.typed + "_", .input)])
        } else {
            let no = confirmation.focus == .no ? "[ No ]" : "  No  "
            let yes = confirmation.focus == .yes ? "[ Yes ]" : "  Yes  "
            line([Segment("      "), Segment(no, confirmation.focus == .no ? .focusedTitle : .muted), Segment("    "),
                  Segment(yes, confirmation.focus == .yes ? .focusedTitle : .muted)])
        }
        canvas.write(" " + confirmation.howToConfirm, .muted, row: min(row, inside.height - 1), in: inside)
    }

    /// For an approval: time left (ticking), the evidence against its limits and the value now, and the cell's state.
    private func liveLines(_ confirmation: ConfirmationDialog) -> [[Segment]] {
        guard case let .approve(id) = confirmation.subject, let approval = context.live.approvals.first(where: { $0.id == id }) else { return [] }
        let left = approval.deadline - context.live.time
        let onTimeout = approval.decision.requirement?.onTimeout.rawValue ?? "reject"
        var lines = [[Segment(" time left    ", .muted), Segment(Format.countdown(left), left < 30 ? .outcomeRefused : .title),
                      Segment("  then: \(onTimeout)" + (approval.isEscalated ? " · ESCALATED" : ""), .muted)]]
        let cell = approval.runtime == nil ? context.live.cells.first { $0.id == approval.proposal.target } : nil
        if let runtime = approval.runtime { lines.append([Segment(" runtime      ", .muted), Segment("\(runtime): it runs there", .title)]) }
        if !approval.proposal.evidence.isEmpty { lines.append([Segment(" evidence", .muted)]) }
        for evidence in approval.proposal.evidence { lines.append(EvidenceText.segments(evidence, cell: cell)) }
        if let down = EvidenceText.alreadyDown(cell, glyphs: context.glyphs) { lines.append(down) }
        if approval.isFromEarlierRun { lines.append([Segment(" asked before a restart: the evidence is the earlier run's plant", .risk(.high))]) }
        return lines
    }

    /// Draws the shelving or out-of-service prompt centred in `rect`.
    func draw(_ prompt: AlarmPrompt, into canvas: inout Canvas, in rect: Rect) {
        let isShelf = prompt.act == .shelve
        let box = rect.centered(width: min(rect.width, 72), height: isShelf ? 9 : 8)
        let title = isShelf ? "Shelve \(prompt.tag)?" : "Take \(prompt.tag) out of service?"
        let inside = canvas.box(box, title: title, isFocused: true, glyphs: context.glyphs, role: .dialog)
        canvas.write(" " + prompt.summary, .dialog, row: 1, in: inside)
        var row = 2
        if isShelf {
            canvas.write([Segment(" for:    ", .muted), Segment(prompt.duration + (prompt.field == .duration ? "_" : ""), .input),
                          Segment("  (at most \(TimeText.duration(AlarmAct.longestShelf)); it comes back when the time is up)", .muted)],
                         row: row, in: inside)
            row += 1
        }
        canvas.write([Segment(" reason: ", .muted), Segment(prompt.reason + (prompt.field == .reason ? "_" : ""), .input)], row: row, in: inside)
        let keys = isShelf ? " Tab: time or reason · Enter shelves · Esc cancels" : " Enter takes it out of service · Esc cancels"
        canvas.write(keys, .muted, row: row + 2, in: inside)
    }

    /// Draws the signing prompt centred in `rect`: what is being signed, by whom, and what the signature means; the
    /// passphrase itself is never drawn, not even as dots.
    func draw(_ prompt: SignPrompt, into canvas: inout Canvas, in rect: Rect) {
        let person = context.state.person
        let box = rect.centered(width: min(rect.width, 72), height: 8)
        let inside = canvas.box(box, title: "Sign: approve \(prompt.summary)", isFocused: true, glyphs: context.glyphs, role: .dialog)
        canvas.write(" The policy requires a signature for this approval.", .dialog, row: 1, in: inside)
        canvas.write([Segment(" meaning: ", .muted), Segment("approved \(prompt.summary) as \(person.role.rawValue), by \(person.name)", .title)],
                     row: 2, in: inside)
        canvas.write([Segment(" signing passphrase: ", .muted), Segment("(not shown)", .input)], row: 3, in: inside)
        canvas.write(" Enter signs and sends · Esc cancels", .muted, row: 5, in: inside)
    }

    /// Draws the rejection reason prompt centred in `rect`.
    func draw(_ prompt: RejectPrompt, into canvas: inout Canvas, in rect: Rect) {
        let box = rect.centered(width: min(rect.width, 72), height: 7)
        let inside = canvas.box(box, title: "Reject \(prompt.summary)?", isFocused: true, glyphs: context.glyphs, role: .dialog)
        canvas.write(prompt.isReasonRequired ? " The policy requires a reason." : " Reason (optional):", .dialog, row: 1, in: inside)
        canvas.write([Segment(" reason: ", .muted), Segment(prompt.reason + "_", .input)], row: 2, in: inside)
        canvas.write(" Enter sends the rejection · Esc cancels", .muted, row: 4, in: inside)
    }
}
