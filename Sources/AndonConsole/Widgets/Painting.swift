/// A run of text in one style.
struct Segment: Equatable, Sendable {
    /// The text.
    var text: String
    /// Its role.
    var role: StyleRole

    init(_ text: String, _ role: StyleRole = .text) {
        self.text = text
        self.role = role
    }
}

extension Canvas {
    /// Writes segments one after another on row `row` of `rect` (relative), starting at column `column`; returns the column reached.
    @discardableResult
    mutating func write(_ segments: [Segment], row: Int, in rect: Rect, column: Int = 0, selected: Bool = false) -> Int {
        var x = rect.x + column
        var segments = segments
        // The selected row carries a marker too, so selection never rests on colour or reverse video alone.
        if selected, column == 0, let first = segments.first, first.text.hasPrefix(" ") {
            segments[0].text = ">" + first.text.dropFirst()
        }
        for segment in segments {
            x += put(segment.text, x: x, y: rect.y + row, style: CellStyle(segment.role, isSelected: selected), clip: rect)
        }
        let wanted = rect.x + column + segments.reduce(0) { $0 + DisplayWidth.of($1.text) }
        if wanted > rect.maxX, rect.width > 0 {
            // Cut: say so with an ellipsis in the last column.
            put("…", x: rect.maxX - 1, y: rect.y + row, style: CellStyle(segments.last?.role ?? .text, isSelected: selected), clip: rect)
        }
        if selected { select(row: rect.y + row, in: rect) }
        return x - rect.x
    }

    /// Writes one string on row `row` of `rect`, cut with an ellipsis when too long.
    mutating func write(_ text: String, _ role: StyleRole = .text, row: Int, in rect: Rect, column: Int = 0) {
        let room = rect.width - column
        guard room > 0 else { return }
        put(DisplayWidth.truncate(text, to: room), x: rect.x + column, y: rect.y + row, style: CellStyle(role), clip: rect)
    }

    /// Draws a box around `rect` with `title` in its top edge; returns the inside.
    mutating func box(_ rect: Rect, title: String, isFocused: Bool = false, glyphs: Glyphs, role: StyleRole = .border) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return rect.inset(by: 1) }
        let style = CellStyle(role)
        let lines = [glyphs.horizontal, glyphs.vertical, glyphs.topLeft, glyphs.topRight, glyphs.bottomLeft, glyphs.bottomRight]
        let area = rect.intersection(bounds)
        if lines.allSatisfy({ $0.unicodeScalars.count == 1 && DisplayWidth.isSimple($0.unicodeScalars.first!) }), !area.isEmpty {
            // One column per glyph: set the cells of the edges directly, as `put` would.
            func edge(_ y: Int, _ left: Character, _ middle: Character, _ right: Character) {
                guard y >= area.y, y < area.maxY else { return }
                for x in area.x..<area.maxX {
                    set(x: x, y: y, CanvasCell(grapheme: x == rect.x ? left : x == rect.maxX - 1 ? right : middle, style: style))
                }
            }
            edge(rect.y, glyphs.topLeft, glyphs.horizontal, glyphs.topRight)
            edge(rect.maxY - 1, glyphs.bottomLeft, glyphs.horizontal, glyphs.bottomRight)
            for y in max(rect.y + 1, area.y)..<max(max(rect.y + 1, area.y), min(rect.maxY - 1, area.maxY)) {
                for x in [rect.x, rect.maxX - 1] where x >= area.x && x < area.maxX {
                    set(x: x, y: y, CanvasCell(grapheme: glyphs.vertical, style: style))
                }
            }
        } else {
            let horizontal = String(repeating: glyphs.horizontal, count: rect.width - 2)
            put(String(glyphs.topLeft) + horizontal + String(glyphs.topRight), x: rect.x, y: rect.y, style: style, clip: rect)
            put(String(glyphs.bottomLeft) + horizontal + String(glyphs.bottomRight), x: rect.x, y: rect.maxY - 1, style: style, clip: rect)
            for y in (rect.y + 1)..<(rect.maxY - 1) {
                put(String(glyphs.vertical), x: rect.x, y: y, style: style, clip: rect)
                put(String(glyphs.vertical), x: rect.maxX - 1, y: y, style: style, clip: rect)
            }
        }
        fill(rect.inset(by: 1))
        if !title.isEmpty, rect.width > 4 {
            let label = DisplayWidth.truncate(isFocused ? "[\(title)]" : " \(title) ", to: rect.width - 4)
            put(label, x: rect.x + 2, y: rect.y, style: CellStyle(isFocused ? .focusedTitle : .title), clip: rect)
        }
        return rect.inset(by: 1)
    }
}
