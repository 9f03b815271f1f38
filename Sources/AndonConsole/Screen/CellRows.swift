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
        /// The first rows of a sort by OEE or alarm, of the cells `matches` (in the snapshot's order); the others are
        /// not put in order yet.
        case sortedPrefix([Int], matches: [Int], sort: CellSort, alarms: Int)

        /// True when every row can be had from this listing, not only the first `rows`.
        func covers(_ rows: Int?) -> Bool {
            guard case let .sortedPrefix(prefix, matches, _, _) = self else { return true }
            guard let rows else { return false }
            return prefix.count >= min(rows, matches.count)
        }
    }

    private let snapshot: PlantSnapshot?
    private let source: Listing
    /// Rows in all.
    public let count: Int

    /// The rows for `snapshot` under `filter` (case-insensitive, matched against id, name, line, status and alarm) and `sort`.
    public init(snapshot: PlantSnapshot?, filter: String, sort: CellSort) {
        self.init(snapshot: snapshot, filter: filter, sort: sort, memo: nil)
    }

    /// The same rows, taken from `memo` when it has them for this snapshot, filter and sort. With `needed` (rows in
    /// all → rows that will be asked for), only those first rows may be put in order: ``row(at:)`` must not be asked
    /// for any other.
    init(snapshot: PlantSnapshot?, filter: String, sort: CellSort, memo: SnapshotMemo?, needed: ((Int) -> Int)? = nil) {
        self.snapshot = snapshot
        guard let snapshot else {
            source = .listed([])
            count = 0
            return
        }
        let needle = filter.trimmingCharacters(in: .whitespaces).lowercased()
        let search = Needle(needle)
        // A runtime's snapshot comes with its cells' unchanging texts: the filter is looked for in them once per
        // filter (the memo keeps what was found, outside its lock for the rows), and only what changes (status, top
        // alarm) is read per snapshot.
        let holding: [Bool]? = if let texts = snapshot.currentCellTexts, !needle.isEmpty, let bytes = search.asciiBytes {
            memo?.cellsHolding(bytes, in: texts) ?? texts.cellsHolding(bytes)
        } else {
            nil
        }
        let listing = memo?.cellRows(of: snapshot, needle: needle, sort: sort, needed: needed) {
            Self.listing(snapshot, search: search, holding: holding, sort: sort, needed: needed)
        } ?? Self.listing(snapshot, search: search, holding: holding, sort: sort, needed: needed)
        source = listing
        count = Self.count(of: listing)
    }

    /// The rows in all.
    static func count(of listing: Listing) -> Int {
        switch listing {
        case let .flow(_, _, rows): rows
        case let .listed(rows): rows.count
        case let .sortedPrefix(_, matches, _, _): matches.count
        }
    }

    /// The rows for `snapshot` under `search`, with `holding` (when the snapshot has its ``CellTexts``) the cells whose
    /// unchanging texts hold it.
    private static func listing(_ snapshot: PlantSnapshot, search: Needle, holding: [Bool]?, sort: CellSort, needed: ((Int) -> Int)?) -> Listing {
        let needle = search.text
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
        // Cells are read in place, field by field: copying a whole cell (sensors, timeline) costs more than the rest.
        let texts = snapshot.currentCellTexts
        return snapshot.cells.withUnsafeBufferPointer { cells in
            var matches: [Int]
            if needle.isEmpty {
                matches = Array(cells.indices)
            } else if let holding, let texts {
                let statuses = CellStatus.allCases.filter { search.isIn($0.rawValue) }
                var inTexts = holding
                for i in texts.nonASCII { inTexts[i] = Self.matches(cells, i, search) }
                // A runtime's cell has a top alarm exactly when it has alarms in view; the count is read first, as
                // reading the optional alarm copies it whole.
                let keys = snapshot.keysOfCells
                matches = cells.indices.filter { i in
                    inTexts[i] || (!statuses.isEmpty && statuses.contains(cells[i].status))
                        || (keys[i].activeAlarms > 0 && (cells[i].topAlarm.map { search.isIn($0.message) } ?? false))
                }
            } else {
                matches = cells.indices.filter { Self.matches(cells, $0, search) }
            }
            switch sort {
            case .flow:
                var rows: [Int] = []
                rows.reserveCapacity(matches.count + snapshot.lines.count)
                if let positions = texts?.linePositions {
                    var lastLine = -1
                    for index in matches {
                        let position = positions[index]
                        if position != lastLine, position >= 0 { rows.append(-1 - position) }
                        lastLine = position
                        rows.append(index)
                    }
                } else {
                    var lastLine: String?
                    let lineIndex = Dictionary(snapshot.lines.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
                    for index in matches {
                        let line = cells[index].line
                        if line != lastLine, let position = lineIndex[line] { rows.append(-1 - position) }
                        lastLine = line
                        rows.append(index)
                    }
                }
                matches = rows
            case .oee:
                // A figure not shown (unsettled, or stale data) sorts after every figure shown (see ``CellKeys``).
                let keys = snapshot.keysOfCells
                let keyed = matches.map { (keys[$0].oee, $0) }
                // NaN has no place in an order: sort the whole list then, as always.
                let wanted = keyed.contains { $0.0.isNaN } ? nil : Self.sortedRows(needed, of: keyed.count)
                if let prefix = Self.smallest(keyed, count: wanted) {
                    return .sortedPrefix(prefix, matches: matches, sort: .oee, alarms: Self.alarms(keys, matches))
                }
                matches = keyed.sorted { $0 < $1 }.map(\.1)
            case .alarm:
                let keys = snapshot.keysOfCells
                let keyed = matches.map { (Int(keys[$0].topPriority), $0) }
                if let prefix = Self.smallest(keyed, count: Self.sortedRows(needed, of: keyed.count)) {
                    return .sortedPrefix(prefix, matches: matches, sort: .alarm, alarms: Self.alarms(keys, matches))
                }
                matches = keyed.sorted { $0 < $1 }.map(\.1)
            }
            return .listed(matches)
        }
    }

    /// Rows a partial sort puts in order at least, however few are asked for: a frame asks for its rows several times
    /// (how many there are, the cursor's, those on screen and a screen below), and each asking for more than the
    /// listing has would look at every cell again.
    static let rowsSortedAtLeast = 256

    /// The rows a partial sort of `count` puts in order for `needed` (nil: every row).
    private static func sortedRows(_ needed: ((Int) -> Int)?, of count: Int) -> Int? {
        needed.map { max($0(count), rowsSortedAtLeast) }
    }

    /// Alarms in view in the cells at `indices`.
    private static func alarms(_ keys: [CellKeys], _ indices: [Int]) -> Int {
        indices.reduce(0) { $0 + Int(keys[$1].activeAlarms) }
    }

    /// Alarms in view in the rows before `top` and from `end` on, with `prefix` the running count of alarms over the
    /// rows put in order (see ``alarmPrefix()``).
    func alarmsOutside(top: Int, end: Int, prefix: (running: [Int], total: Int)) -> (above: Int, below: Int) {
        let known = prefix.running.count - 1
        let above = prefix.running[min(max(0, top), known)]
        let shown = prefix.running[min(max(0, end), known)]
        return (above, max(0, prefix.total - shown))
    }

    /// The running count of alarms in view over the rows put in order (`running[i]`: alarms in rows before `i`), and
    /// the alarms in all the rows. O(rows).
    func alarmPrefix() -> (running: [Int], total: Int) {
        var running = [0]
        let rows = rowsInOrder
        running.reserveCapacity(rows + 1)
        let keys = snapshot?.keysOfCells ?? []
        if case let .flow(lineStarts, cellOffsets, _) = source {
            // Row by row in flow order: each line's header, then its cells, which follow one another in the snapshot.
            var total = 0
            for l in lineStarts.indices {
                let end = l + 1 < lineStarts.count ? lineStarts[l + 1] : rows
                running.append(total)
                guard lineStarts[l] + 1 < end else { continue }
                for k in cellOffsets[l]..<(cellOffsets[l] + end - lineStarts[l] - 1) {
                    total += Int(keys[k].activeAlarms)
                    running.append(total)
                }
            }
            return (running, running[rows])
        }
        for index in 0..<rows {
            let alarms = cellIndex(atRow: index).map { Int(keys[$0].activeAlarms) } ?? 0
            running.append(running[index] + alarms)
        }
        if case let .sortedPrefix(_, _, _, total) = source { return (running, total) }
        return (running, running[rows])
    }

    /// The indices of the `count` smallest of `keyed` in order, picked in one pass; nil when sorting them all is as cheap.
    private static func smallest<Key: Comparable>(_ keyed: [(Key, Int)], count: Int?) -> [Int]? {
        guard let count, count >= 0, count * 4 < keyed.count else { return nil }
        var kept: [(Key, Int)] = []
        kept.reserveCapacity(count + 1)
        for candidate in keyed {
            if kept.count == count {
                guard let last = kept.last, candidate < last else { continue }
                kept.removeLast()
            }
            var low = 0, high = kept.count
            while low < high {
                let mid = (low + high) / 2
                if kept[mid] < candidate { low = mid + 1 } else { high = mid }
            }
            kept.insert(candidate, at: low)
        }
        return kept.map(\.1)
    }

    /// The row at `index` (0 ≤ index < count).
    /// The index in the snapshot's cells of the cell on row `index`, or nil for a line header: what ``row(at:)`` finds,
    /// without copying the cell out.
    func cellIndex(atRow index: Int) -> Int? {
        switch source {
        case let .flow(lineStarts, cellOffsets, _):
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if lineStarts[mid] <= index { low = mid } else { high = mid - 1 }
            }
            return lineStarts[low] == index ? nil : cellOffsets[low] + index - lineStarts[low] - 1
        case let .sortedPrefix(rows, _, _, _):
            precondition(index < rows.count, "cells row \(index) asked for beyond the \(rows.count) put in order")
            return rows[index]
        case let .listed(rows):
            return rows[index] < 0 ? nil : rows[index]
        }
    }

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
        case let .sortedPrefix(rows, _, _, _):
            precondition(index < rows.count, "cells row \(index) asked for beyond the \(rows.count) put in order")
            return .cell(snapshot.cells[rows[index]])
        case let .listed(rows):
            let value = rows[index]
            return value < 0 ? .line(snapshot.lines[-1 - value]) : .cell(snapshot.cells[value])
        }
    }

    /// The rows that can be had: all of them, or the first ones of a partial sort.
    var rowsInOrder: Int {
        if case let .sortedPrefix(prefix, _, _, _) = source { return prefix.count }
        return count
    }

    /// The row of the cell `id`, or nil when it is not among the rows (filtered out). Beyond a partial sort's rows, its
    /// row is counted (O(cells)) rather than every row put in order.
    func index(ofCell id: String) -> Int? {
        guard let snapshot else { return nil }
        switch source {
        case let .flow(lineStarts, cellOffsets, _):
            guard let k = snapshot.cells.firstIndex(where: { $0.id == id }) else { return nil }
            var line = 0
            while line + 1 < cellOffsets.count && cellOffsets[line + 1] <= k { line += 1 }
            return lineStarts[line] + 1 + k - cellOffsets[line]
        case let .listed(rows):
            return rows.firstIndex { $0 >= 0 && snapshot.cells[$0].id == id }
        case let .sortedPrefix(rows, matches, sort, _):
            if let row = rows.firstIndex(where: { snapshot.cells[$0].id == id }) { return row }
            // Further down than the rows put in order: its row is how many of the cells shown sort before it, counted
            // without putting them in order.
            guard let k = snapshot.cells.firstIndex(where: { $0.id == id }), matches.contains(k) else { return nil }
            let keys = snapshot.keysOfCells
            if sort == .oee {
                let mine = (keys[k].oee, k)
                return matches.count { (keys[$0].oee, $0) < mine }
            }
            let mine = (Int(keys[k].topPriority), k)
            return matches.count { (Int(keys[$0].topPriority), $0) < mine }
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

    private static func matches(_ cells: UnsafeBufferPointer<CellSnapshot>, _ index: Int, _ needle: Needle) -> Bool {
        needle.isIn(cells[index].id) || needle.isIn(cells[index].name) || needle.isIn(cells[index].line)
            || needle.isIn(cells[index].status.rawValue) || (cells[index].topAlarm.map { needle.isIn($0.message) } ?? false)
    }
}

/// A lowercased filter, looked for in text as `text.lowercased().contains(needle)` does; when both are printable
/// ASCII, byte by byte without building the lowercased copy.
struct Needle {
    let text: String
    private let bytes: [UInt8]?
    /// The needle's bytes when it is printable ASCII (and not empty).
    var asciiBytes: [UInt8]? { bytes }

    init(_ text: String) {
        self.text = text
        bytes = !text.isEmpty && text.utf8.allSatisfy(Self.isPrintableASCII) ? Array(text.utf8) : nil
    }

    private static func isPrintableASCII(_ byte: UInt8) -> Bool { byte >= 0x20 && byte < 0x7F }

    /// True when `haystack`, lowercased, contains the needle.
    func isIn(_ haystack: String) -> Bool {
        if let bytes, let found = haystack.utf8.withContiguousStorageIfAvailable({ Self.find(bytes, in: $0) }), let found {
            return found
        }
        return haystack.lowercased().contains(text)
    }

    /// Whether `needle` is in `haystack` with A–Z folded to a–z; nil when `haystack` is not printable ASCII.
    private static func find(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard haystack.allSatisfy(isPrintableASCII) else { return nil }
        guard needle.count <= haystack.count else { return needle.isEmpty }
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 0x20 : byte }
        for start in 0...(haystack.count - needle.count) {
            var matched = true
            for offset in 0..<needle.count where lower(haystack[start + offset]) != needle[offset] {
                matched = false
                break
            }
            if matched { return true }
        }
        return false
    }
}
