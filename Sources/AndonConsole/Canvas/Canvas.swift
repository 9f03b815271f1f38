/// One terminal cell: a grapheme and its style; the right half of a wide grapheme is a continuation.
public struct CanvasCell: Hashable, Sendable {
    /// The grapheme shown (a space when empty; ignored on a continuation).
    public var grapheme: Character
    /// Its style.
    public var style: CellStyle
    /// True for the second column of a double-width grapheme.
    public var isContinuation: Bool

    /// Creates a cell.
    public init(grapheme: Character, style: CellStyle, isContinuation: Bool = false) {
        self.grapheme = grapheme
        self.style = style
        self.isContinuation = isContinuation
    }

    /// An empty cell.
    public static let blank = CanvasCell(grapheme: " ", style: .background)
}

/// An in-memory grid of cells that widgets draw into, clipped to a rectangle.
public struct Canvas: Sendable {
    /// The grid size.
    public let size: TerminalSize
    /// Cells, row by row.
    public private(set) var cells: [CanvasCell]

    /// A blank canvas.
    public init(size: TerminalSize) {
        self.size = TerminalSize(columns: max(0, size.columns), rows: max(0, size.rows))
        cells = Array(repeating: .blank, count: self.size.columns * self.size.rows)
    }

    /// The whole canvas.
    public var bounds: Rect { Rect(x: 0, y: 0, width: size.columns, height: size.rows) }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> CanvasCell {
        cells[y * size.columns + x]
    }

    /// Writes `text` starting at column `x`, row `y` (canvas coordinates), never outside `clip`; returns the columns used.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: CellStyle, clip: Rect) -> Int {
        let area = clip.intersection(bounds)
        guard y >= area.y, y < area.maxY else { return 0 }
        var column = x
        if let width = DisplayWidth.simpleWidth(text), width == text.utf8.count {
            // Printable ASCII: one column per byte.
            for byte in text.utf8 {
                if column >= area.maxX { break }
                if column >= area.x { set(x: column, y: y, CanvasCell(grapheme: Character(Unicode.Scalar(byte)), style: style)) }
                column += 1
            }
            return column - x
        }
        if DisplayWidth.simpleWidth(text) != nil {
            // One grapheme, one column per scalar.
            for scalar in text.unicodeScalars {
                if column >= area.maxX { break }
                if column >= area.x { set(x: column, y: y, CanvasCell(grapheme: Character(scalar), style: style)) }
                column += 1
            }
            return column - x
        }
        for character in text {
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if column >= area.maxX { break }
            if column >= area.x {
                if width == 2 && column + 1 >= area.maxX {
                    set(x: column, y: y, CanvasCell(grapheme: " ", style: style))
                } else {
                    set(x: column, y: y, CanvasCell(grapheme: character, style: style))
                    if width == 2 { set(x: column + 1, y: y, CanvasCell(grapheme: " ", style: style, isContinuation: true)) }
                }
            }
            column += width
        }
        return column - x
    }

    /// Fills `rect` (clipped to the canvas) with `grapheme` in `style`.
    public mutating func fill(_ rect: Rect, with grapheme: Character = " ", style: CellStyle = .background) {
        let area = rect.intersection(bounds)
        guard !area.isEmpty else { return }
        guard grapheme == " " else {
            for y in area.y..<area.maxY {
                for x in area.x..<area.maxX { set(x: x, y: y, CanvasCell(grapheme: grapheme, style: style)) }
            }
            return
        }
        // Blanks, row by row: only the edges need the wide-grapheme bookkeeping of `set`, as a wide grapheme
        // cut in half by the area leaves a blank in its other half.
        let blank = CanvasCell(grapheme: " ", style: style)
        for y in area.y..<area.maxY {
            let start = y * size.columns + area.x, end = y * size.columns + area.maxX
            if area.x > 0, cells[start].isContinuation { cells[start - 1] = CanvasCell(grapheme: " ", style: cells[start - 1].style) }
            if area.maxX < size.columns, cells[end].isContinuation { cells[end] = CanvasCell(grapheme: " ", style: cells[end].style) }
            cells.withUnsafeMutableBufferPointer { row in
                for index in start..<end { row[index] = blank }
            }
        }
    }

    /// Marks every cell of row `y` within `rect` as selected, keeping its role.
    public mutating func select(row y: Int, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard y >= area.y, y < area.maxY else { return }
        for x in area.x..<area.maxX { cells[y * size.columns + x].style.isSelected = true }
    }

    /// Replaces one cell as it is, without the wide-grapheme bookkeeping of drawing.
    mutating func replace(x: Int, y: Int, with cell: CanvasCell) {
        cells[y * size.columns + x] = cell
    }

    /// Sets one cell, blanking the other half of a wide grapheme it overwrites.
    mutating func set(x: Int, y: Int, _ cell: CanvasCell) {
        let index = y * size.columns + x
        // Overwriting half of a wide grapheme blanks the other half.
        if cells[index].isContinuation, x > 0, !cell.isContinuation {
            cells[index - 1] = CanvasCell(grapheme: " ", style: cells[index - 1].style)
        } else if !cell.isContinuation, x + 1 < size.columns, cells[index + 1].isContinuation, DisplayWidth.of(cell.grapheme) < 2 {
            cells[index + 1] = CanvasCell(grapheme: " ", style: cells[index + 1].style)
        }
        cells[index] = cell
    }
}
