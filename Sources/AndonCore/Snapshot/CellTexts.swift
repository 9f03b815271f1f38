/// What the cells pane's filter reads of a cell that does not change while a plant runs (its id, its name and its
/// line's id), lowercased into one buffer, with each cell's line as a position in the snapshot's lines.
///
/// A runtime makes it once and hands the same one on with every snapshot, so a console can look for a filter in
/// every cell of a large plant in one pass over bytes, and keep what it found for the next snapshot, rather than
/// read three texts of every cell again for each. It is not sent over the wire: a snapshot without it is filtered
/// the long way.
public final class CellTexts: Sendable {
    /// Cells described.
    public let count: Int
    /// Each cell's id, name and line id, lowercased, joined by 0x01 and ended by 0x00 (which no filter holds).
    private let bytes: [UInt8]
    /// Where cell `i`'s texts start in ``bytes``; `starts[count]` is the end.
    private let starts: [Int]
    /// The cells whose texts are not all printable ASCII, where a byte search would not be what
    /// `text.lowercased().contains(filter)` says: they are left to the caller.
    public let nonASCII: [Int]
    /// Cell `i`'s line as its position in the snapshot's lines, or -1.
    public let linePositions: [Int]

    /// Texts of `cells` (id, name, line id), whose lines are `lines` (line ids in the snapshot's order).
    public init(cells: [(id: String, name: String, line: String)], lines: [String]) {
        var bytes: [UInt8] = [], starts: [Int] = [], nonASCII: [Int] = [], positions: [Int] = []
        starts.reserveCapacity(cells.count + 1)
        positions.reserveCapacity(cells.count)
        var lineIndex: [String: Int] = [:]
        for (position, line) in lines.enumerated() where lineIndex[line] == nil { lineIndex[line] = position }
        for (i, cell) in cells.enumerated() {
            starts.append(bytes.count)
            let texts = [cell.id, cell.name, cell.line]
            if !texts.allSatisfy({ $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }) { nonASCII.append(i) }
            for (k, text) in texts.enumerated() {
                if k > 0 { bytes.append(0x01) }
                bytes.append(contentsOf: text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 })
            }
            // Cells apart, so that no match runs from one into the next.
            bytes.append(0x00)
            positions.append(lineIndex[cell.line] ?? -1)
        }
        starts.append(bytes.count)
        count = cells.count
        self.bytes = bytes
        self.starts = starts
        self.nonASCII = nonASCII
        linePositions = positions
    }

    /// For each cell, whether its id, name or line id holds `needle` (lowercased printable ASCII bytes, not empty),
    /// A–Z read as a–z; the cells in ``nonASCII`` are false here and left to the caller. One pass over the bytes.
    public func cellsHolding(_ needle: [UInt8]) -> [Bool] {
        var found = [Bool](repeating: false, count: count)
        guard let first = needle.first, !needle.isEmpty else { return found }
        let n = needle.count
        bytes.withUnsafeBufferPointer { text in
            needle.withUnsafeBufferPointer { needle in
                var cell = 0
                var i = 0
                let end = text.count
                while i + n <= end {
                    if text[i] == first {
                        var k = 1
                        while k < n && text[i + k] == needle[k] { k += 1 }
                        if k == n {
                            while starts[cell + 1] <= i { cell += 1 }
                            found[cell] = true
                            // The next cell: one match is enough.
                            i = starts[cell + 1]
                            continue
                        }
                    }
                    i += 1
                }
            }
        }
        for i in nonASCII { found[i] = false }
        return found
    }
}
