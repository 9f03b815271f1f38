extension Canvas {
    /// Replaces every non-ASCII grapheme with a seven-bit stand-in, for `--ascii` terminals. O(cells).
    public mutating func foldToASCII() {
        for y in 0..<size.rows {
            for x in 0..<size.columns {
                let cell = self[x, y]
                if cell.isContinuation {
                    replace(x: x, y: y, with: CanvasCell(grapheme: " ", style: cell.style))
                } else if !cell.grapheme.isASCII {
                    replace(x: x, y: y, with: CanvasCell(grapheme: Self.asciiStandIn(for: cell.grapheme), style: cell.style))
                }
            }
        }
    }

    /// A seven-bit character that reads like `grapheme`.
    static func asciiStandIn(for grapheme: Character) -> Character {
        switch grapheme {
        case "·", "─", "━": "-"
        case "│": "|"
        case "┌", "┐", "└", "┘": "+"
        case "…": "~"
        case "→", "▸", "›": ">"
        case "←": "<"
        case "↓": "v"
        case "↑", "▲": "^"
        case "×": "x"
        case "µ": "u"
        case "°": "o"
        case "–", "—": "-"
        case "é", "è", "ê": "e"
        default: "?"
        }
    }
}
