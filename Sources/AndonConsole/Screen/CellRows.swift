import AndonCore
import Foundation

/// How the cells pane orders cells.
public enum CellSort: String, Sendable, Hashable, CaseIterable {
    /// Lines in order, cells in flow order, under line headers.
    case flow
    /// Lowest shift OEE first.
    case oee
    /// Most urgent alarm first.
    case alarm

    /// The next order, for the `s` key.
    public var next: CellSort {
        let all = CellSort.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }
}

/// One row of the cells pane.
public enum CellRow: Sendable {
    /// A line header.
    case line(LineSnapshot)
    /// A cell.
    case cell(CellSnapshot)
}

/// The rows of the cells pane, addressable by index without building every row.
///
/// In flow order without a filter, a row is found from the lines alone (O(lines)); a filter or another
/// order has to look at every cell once (O(cells)), which the console does once per snapshot, filter and sort
/// (see ``SnapshotMemo``).
public struct CellRows: Sendable {
    /// Where the rows come from: the lines alone (flow order, no filter), or a list of cell indices and line headers
    /// (a line header `l` is stored as `-1 - l`).
    enum Listing: Sendable {
        case flow(lineStarts: [Int], cellOffsets: [Int], count: Int)
        case listed([Int])
    }

    private let snapshot: PlantSnapshot?
    private let source: Listing
    /// Rows in all.
    public let count: Int

    /// The rows for `snapshot` under `filter` (case-insensitive, matched against id, name, line, status and alarm) and `sort`.
    public init(snapshot: PlantSnapshot?, filter: String, sort: CellSort) {
        self.init(snapshot: snapshot, filter: filter, sort: sort, memo: nil)
    }

    /// The same rows, taken from `memo` when it has them for this snapshot, filter and sort.
    init(snapshot: PlantSnapshot?, filter: String, sort: CellSort, memo: SnapshotMemo?) {
        self.snapshot = snapshot
        guard let snapshot else {
            source = .listed([])
            count = 0
            return
        }
        let needle = filter.trimmingCharacters(in: .whitespaces).lowercased()
        let listing = memo?.cellRows(of: snapshot, needle: needle, sort: sort) { Self.listing(snapshot, needle: needle, sort: sort) }
            ?? Self.listing(snapshot, needle: needle, sort: sort)
        source = listing
        switch listing {
        case let .flow(_, _, rows): count = rows
        case let .listed(rows): count = rows.count
        }
    }

    private static func listing(_ snapshot: PlantSnapshot, needle: String, sort: CellSort) -> Listing {
        let inLineOrder = snapshot.lines.reduce(0) { $0 + $1.cells.count } == snapshot.cells.count
        if sort == .flow && needle.isEmpty && inLineOrder {
            var lineStarts: [Int] = [], cellOffsets: [Int] = []
            lineStarts.reserveCapacity(snapshot.lines.count)
            cellOffsets.reserveCapacity(snapshot.lines.count)
            var row = 0, offset = 0
            for line in snapshot.lines {
                lineStarts.append(row)
                cellOffsets.append(offset)
                row += 1 + line.cells.count
                offset += line.cells.count
            }
            return .flow(lineStarts: lineStarts, cellOffsets: cellOffsets, count: row)
        }
        var matches = snapshot.cells.indices.filter { needle.isEmpty || Self.matches(snapshot.cells[$0], needle) }
        switch sort {
        case .flow:
            var rows: [Int] = []
            var lastLine: String?
            let lineIndex = Dictionary(snapshot.lines.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
            for index in matches {
                let line = snapshot.cells[index].line
                if line != lastLine, let position = lineIndex[line] { rows.append(-1 - position) }
                lastLine = line
                rows.append(index)
            }
            matches = rows
        case .oee:
            let keys = snapshot.cells.map(\.shiftOEE.value)
            matches.sort { (keys[$0], $0) < (keys[$1], $1) }
        case .alarm:
            let keys = snapshot.cells.map { $0.topAlarm?.priority ?? 9 }
            matches.sort { (keys[$0], $0) < (keys[$1], $1) }
        }
        return .listed(matches)
    }

    /// The row at `index` (0 ≤ index < count).
    public func row(at index: Int) -> CellRow {
        let snapshot = snapshot!
        switch source {
        case let .flow(lineStarts, cellOffsets, _):
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if lineStarts[mid] <= index { low = mid } else { high = mid - 1 }
            }
            if lineStarts[low] == index { return .line(snapshot.lines[low]) }
            return .cell(snapshot.cells[cellOffsets[low] + index - lineStarts[low] - 1])
        case let .listed(rows):
            let value = rows[index]
            return value < 0 ? .line(snapshot.lines[-1 - value]) : .cell(snapshot.cells[value])
        }
    }

    /// True when the row at `index` is a line header.
    public func isLineHeader(_ index: Int) -> Bool {
        if case .line = row(at: index) { return true }
        return false
    }

    /// `index` moved off a line header, in the direction of `step` when possible.
    public func nearestCell(from index: Int, step: Int) -> Int {
        guard count > 0 else { return 0 }
        var position = min(max(0, index), count - 1)
        let direction = step < 0 ? -1 : 1
        while isLineHeader(position) {
            let next = position + direction
            if next < 0 || next >= count { return min(max(0, index - direction), count - 1) }
            position = next
        }
        return position
    }

    private static func matches(_ cell: CellSnapshot, _ needle: String) -> Bool {
        cell.id.lowercased().contains(needle) || cell.name.lowercased().contains(needle) || cell.line.lowercased().contains(needle)
            || cell.status.rawValue.lowercased().contains(needle) || (cell.topAlarm?.message.lowercased().contains(needle) ?? false)
    }
}
