import AndonCore

/// The confirmation and rejection dialogs: they name the action, target, risk and consequence.
struct DialogOverlay {
    let context: FrameContext

    /// Draws the confirmation centred in `rect`.
    func draw(_ confirmation: ConfirmationDialog, into canvas: inout Canvas, in rect: Rect) {
        let width = min(rect.width, 72)
        let consequence = DetailText.wrap(confirmation.consequence, width: max(1, width - 18))
        let box = rect.centered(width: width, height: 9 + consequence.count)
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
                          Segment("  (at most \(Duration.format(seconds: AlarmAct.longestShelf)); it comes back when the time is up)", .muted)],
                         row: row, in: inside)
            row += 1
        }
        canvas.write([Segment(" reason: ", .muted), Segment(prompt.reason + (prompt.field == .reason ? "_" : ""), .input)], row: row, in: inside)
        let keys = isShelf ? " Tab: time or reason · Enter shelves · Esc cancels" : " Enter takes it out of service · Esc cancels"
        canvas.write(keys, .muted, row: row + 2, in: inside)
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
