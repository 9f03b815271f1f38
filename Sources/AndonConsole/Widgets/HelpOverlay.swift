import AndonCore

/// The help overlay: every key, with those the current role can't use marked; long lines wrap, and it scrolls
/// (j/k, PgUp/PgDn, g/G) when the terminal is short.
struct HelpOverlay {
    let context: FrameContext

    /// Width of the key column.
    static let keyWidth = 18

    /// The overlay's lines for an inside `width` columns wide.
    func text(width: Int) -> DetailText {
        let role = context.state.person.role
        var text = DetailText()
        let room = max(1, width - Self.keyWidth - 1)
        for entry in KeyHelp.entries {
            let allowed = entry.action.map { ConsoleState.isAvailable($0, to: role) } ?? true
            let meaning = entry.meaning + (allowed ? "" : "  (not for \(role.rawValue))")
            for (index, part) in DetailText.wrap(meaning, width: room).enumerated() {
                let keys = index == 0 ? entry.keys : ""
                text.lines.append([Segment(" " + DisplayWidth.pad(keys, to: Self.keyWidth), allowed ? .key : .keyUnavailable),
                                   Segment(part, allowed ? .dialog : .keyUnavailable)])
            }
        }
        text.lines.append([])
        for part in DetailText.wrap("Esc or ? closes. The runtime decides what you may do: see the status line.", width: max(1, width - 1)) {
            text.lines.append([Segment(" " + part, .muted)])
        }
        return text
    }

    /// Draws a box centred in `rect`; returns the largest useful scroll.
    @discardableResult
    func draw(into canvas: inout Canvas, in rect: Rect) -> Int {
        // Fits 80×24 whole: 78 columns, one row per entry plus borders, a gap and the closing hint.
        let width = min(rect.width, 78)
        let lines = text(width: max(1, width - 2))
        let box = rect.centered(width: width, height: min(rect.height, lines.lines.count + 2))
        let inside = canvas.box(box, title: "Keys · \(context.state.person.label)", isFocused: true, glyphs: context.glyphs, role: .dialog)
        return lines.draw(into: &canvas, in: inside, scroll: context.state.helpScroll)
    }
}
