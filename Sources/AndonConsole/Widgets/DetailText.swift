/// Lines of a drill-down view, drawn with a scroll offset.
struct DetailText {
    /// The lines.
    var lines: [[Segment]] = []

    /// Adds a line.
    mutating func add(_ segments: Segment...) { lines.append(segments) }

    /// Adds a heading after a blank line.
    mutating func heading(_ text: String) {
        if !lines.isEmpty { lines.append([]) }
        lines.append([Segment(text, .heading)])
    }

    /// Adds `text` wrapped at word boundaries to `width`, each line prefixed by `indent`.
    mutating func wrapped(_ text: String, width: Int, role: StyleRole = .text, indent: String = "  ") {
        for line in Self.wrap(text, width: max(1, width - DisplayWidth.of(indent))) { lines.append([Segment(indent + line, role)]) }
    }

    /// Draws from line `scroll` into `rect`, lines wider than it wrapped (nothing is cut in a detail view); returns the
    /// largest scroll that still shows something new. When the lines do not all fit, the last row says so and holds
    /// no text: a hint written over a line's end would cut what it says (a limit of `hi 90.0` read as `hi 9`).
    @discardableResult
    func draw(into canvas: inout Canvas, in rect: Rect, scroll: Int) -> Int {
        let lines = self.lines.flatMap { Self.wrap($0, width: rect.width) }
        let shown = lines.count > rect.height && rect.height > 1 ? rect.height - 1 : rect.height
        let top = min(max(0, scroll), max(0, lines.count - shown))
        for row in 0..<max(0, min(shown, lines.count - top)) {
            canvas.write(lines[top + row], row: row, in: rect)
        }
        if top + shown < lines.count, rect.height > 0 {
            let more = "j/k scroll ↓"
            let column = max(0, rect.width - DisplayWidth.of(more))
            canvas.write(more, .muted, row: rect.height - 1, in: rect, column: column)
        }
        return max(0, lines.count - shown)
    }

    /// A line of segments broken into lines of at most `width` columns, at spaces where possible, keeping each part's
    /// style; the lines after the first are indented by two columns.
    static func wrap(_ line: [Segment], width: Int) -> [[Segment]] {
        guard width > 4, line.reduce(0, { $0 + DisplayWidth.of($1.text) }) > width else { return [line] }
        let indent = "  "
        var result: [[Segment]] = []
        var current: [Segment] = []
        var used = 0
        func flush() {
            result.append(current)
            current = [Segment(indent)]
            used = indent.count
        }
        for segment in line {
            var rest = Substring(segment.text)
            while !rest.isEmpty {
                if used == indent.count, result.count > 0 { rest = rest.drop { $0 == " " } }
                guard !rest.isEmpty else { break }
                let room = width - used
                if DisplayWidth.of(rest) <= room {
                    current.append(Segment(String(rest), segment.role))
                    used += DisplayWidth.of(rest)
                    break
                }
                var head = Substring(DisplayWidth.truncate(String(rest), to: max(0, room), ellipsis: false))
                if let space = head.lastIndex(of: " "), space > head.startIndex {
                    head = head[...space]
                } else if used > indent.count || (result.isEmpty && used > 0) {
                    // The word does not fit after what is on the line: it starts the next one.
                    flush()
                    continue
                }
                if head.isEmpty {
                    flush()
                    continue
                }
                current.append(Segment(String(head), segment.role))
                rest = rest.dropFirst(head.count)
                flush()
            }
        }
        if current.count > 1 || result.isEmpty { result.append(current) }
        return result
    }

    /// `text` broken into lines of at most `width` columns, at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        var result: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            var word = String(word)
            while DisplayWidth.of(word) > width {
                if !current.isEmpty { result.append(current); current = "" }
                let head = DisplayWidth.truncate(word, to: width, ellipsis: false)
                result.append(head)
                word = String(word.dropFirst(head.count))
            }
            if current.isEmpty {
                current = word
            } else if DisplayWidth.of(current) + 1 + DisplayWidth.of(word) <= width {
                current += " " + word
            } else {
                result.append(current)
                current = word
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}
