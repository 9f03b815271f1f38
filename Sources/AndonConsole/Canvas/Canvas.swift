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
///
/// Cells are kept packed: a grapheme of one Unicode scalar (nearly every one on a console) is kept as the scalar, and
/// a longer one (an emoji sequence, a letter with a combining mark) in a list beside the grid, the cell holding its
/// place in it. A cell is then a plain value: a frame writes some twelve thousand of them, and writing a `Character`
/// over another released the old one and retained the new.
public struct Canvas: Sendable {
    /// The grid size.
    public let size: TerminalSize
    /// Cells, row by row, packed.
    private var packed: [PackedCell]
    /// The graphemes of more than one scalar written so far, which packed cells name by their place.
    private var longGraphemes: [Character] = []

    /// A blank canvas.
    public init(size: TerminalSize) {
        self.size = TerminalSize(columns: max(0, size.columns), rows: max(0, size.rows))
        packed = Array(repeating: PackedCell(CanvasCell.blank.style), count: self.size.columns * self.size.rows)
    }

    /// The whole canvas.
    public var bounds: Rect { Rect(x: 0, y: 0, width: size.columns, height: size.rows) }

    /// Every cell, row by row (a new array: read single cells through the subscript).
    public var cells: [CanvasCell] { packed.map(unpack) }

    /// The cell at column `x`, row `y`.
    public subscript(x: Int, y: Int) -> CanvasCell {
        unpack(packed[y * size.columns + x])
    }

    private func unpack(_ cell: PackedCell) -> CanvasCell {
        let grapheme = cell.code & PackedCell.long != 0
            ? longGraphemes[Int(cell.code & ~PackedCell.long)]
            : Character(Unicode.Scalar(cell.code).unsafelyUnwrapped)
        return CanvasCell(grapheme: grapheme, style: cell.style, isContinuation: cell.isContinuation)
    }

    private mutating func pack(_ cell: CanvasCell) -> PackedCell {
        let scalars = cell.grapheme.unicodeScalars
        let code: UInt32
        if scalars.count == 1, let scalar = scalars.first {
            code = scalar.value
        } else if let last = longGraphemes.last, last == cell.grapheme {
            // The same as the last one (a run of it, a fill): one place for all.
            code = PackedCell.long | UInt32(longGraphemes.count - 1)
        } else {
            code = PackedCell.long | UInt32(longGraphemes.count)
            longGraphemes.append(cell.grapheme)
        }
        return PackedCell(code: code, style: cell.style, isContinuation: cell.isContinuation)
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
                if column >= area.x { setNarrow(x: column, y: y, PackedCell(code: UInt32(byte), style: style)) }
                column += 1
            }
            return column - x
        }
        if DisplayWidth.simpleWidth(text) != nil {
            // One grapheme, one column per scalar.
            for scalar in text.unicodeScalars {
                if column >= area.maxX { break }
                if column >= area.x { setNarrow(x: column, y: y, PackedCell(code: scalar.value, style: style)) }
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
        let blank = PackedCell(style)
        for y in area.y..<area.maxY {
            let start = y * size.columns + area.x, end = y * size.columns + area.maxX
            if area.x > 0, packed[start].isContinuation { packed[start - 1] = PackedCell(packed[start - 1].style) }
            if area.maxX < size.columns, packed[end].isContinuation { packed[end] = PackedCell(packed[end].style) }
            packed.withUnsafeMutableBufferPointer { row in
                for index in start..<end { row[index] = blank }
            }
        }
    }

    /// Marks every cell of row `y` within `rect` as selected, keeping its role.
    public mutating func select(row y: Int, in rect: Rect) {
        let area = rect.intersection(bounds)
        guard y >= area.y, y < area.maxY else { return }
        for x in area.x..<area.maxX { packed[y * size.columns + x].style.isSelected = true }
    }

    /// Replaces one cell as it is, without the wide-grapheme bookkeeping of drawing.
    mutating func replace(x: Int, y: Int, with cell: CanvasCell) {
        packed[y * size.columns + x] = pack(cell)
    }

    /// Sets one cell, blanking the other half of a wide grapheme it overwrites.
    mutating func set(x: Int, y: Int, _ cell: CanvasCell) {
        let index = y * size.columns + x
        // Overwriting half of a wide grapheme blanks the other half.
        if packed[index].isContinuation, x > 0, !cell.isContinuation {
            packed[index - 1] = PackedCell(packed[index - 1].style)
        } else if !cell.isContinuation, x + 1 < size.columns, packed[index + 1].isContinuation, DisplayWidth.of(cell.grapheme) < 2 {
            packed[index + 1] = PackedCell(packed[index + 1].style)
        }
        packed[index] = pack(cell)
    }

    /// Sets one cell to a grapheme of one column and one scalar, as ``set(x:y:_:)`` does.
    @inline(__always)
    private mutating func setNarrow(x: Int, y: Int, _ cell: PackedCell) {
        let index = y * size.columns + x
        if packed[index].isContinuation, x > 0 {
            packed[index - 1] = PackedCell(packed[index - 1].style)
        } else if x + 1 < size.columns, packed[index + 1].isContinuation {
            packed[index + 1] = PackedCell(packed[index + 1].style)
        }
        packed[index] = cell
    }
}

/// A cell as a canvas keeps it: the grapheme's scalar, or the place of a longer grapheme in the canvas's list.
private struct PackedCell: Sendable {
    /// Set in ``code`` when it is a place in the list of long graphemes (scalars end at U+10FFFF).
    static let long: UInt32 = 1 << 31
    var code: UInt32
    var style: CellStyle
    var isContinuation = false

    init(code: UInt32, style: CellStyle, isContinuation: Bool = false) {
        self.code = code
        self.style = style
        self.isContinuation = isContinuation
    }

    /// A blank (a space) in `style`.
    init(_ style: CellStyle) {
        self.init(code: 0x20, style: style)
    }
}
