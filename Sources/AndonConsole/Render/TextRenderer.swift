/// Turns a canvas into plain text, one line per row, for tests and headless screenshots.
public enum TextRenderer {
    /// The canvas as text: rows joined by newlines, trailing spaces removed, continuation cells skipped.
    public static func render(_ canvas: Canvas) -> String {
        var lines: [String] = []
        lines.reserveCapacity(canvas.size.rows)
        for y in 0..<canvas.size.rows {
            var line = ""
            for x in 0..<canvas.size.columns {
                let cell = canvas[x, y]
                if !cell.isContinuation { line.append(cell.grapheme) }
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
