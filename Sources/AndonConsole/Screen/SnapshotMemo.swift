import AndonCore
import Foundation

/// What the console works out from a snapshot, kept until the snapshot (or the sort or filter) changes, so that
/// redrawing or moving the cursor over the same plant does not look at every cell, agent or approval again.
///
/// Entries are keyed by the identity of the snapshot arrays they were worked out from (the arrays are kept, so
/// their storage cannot be reused by a newer snapshot while an entry refers to it). Shared by copies of a
/// ``ConsoleState``; used from one thread at a time, the lock only keeps it sound.
final class SnapshotMemo: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: (source: [ApprovalSnapshot], value: [ApprovalSnapshot])?
    private var worst: (source: [AgentSnapshot], order: [Int])?
    private var rows: (cells: [CellSnapshot], lines: [LineSnapshot], sort: CellSort, needle: String, rows: CellRows.Listing)?
    private var alarms: (cells: [CellSnapshot], value: PlantAlarms)?
    private var alarmPrefix: (cells: [CellSnapshot], sort: CellSort, filter: String, rows: Int, value: (running: [Int], total: Int))?

    /// The running count of alarms over `rows` (see ``CellRows/alarmPrefix()``), once per snapshot, order and filter.
    func alarmPrefix(of rows: CellRows, snapshot: PlantSnapshot, sort: CellSort, filter: String) -> (running: [Int], total: Int) {
        if let cached = lock.withLock({ () -> (running: [Int], total: Int)? in
            guard let entry = alarmPrefix, entry.sort == sort, entry.filter == filter, entry.rows == rows.rowsInOrder,
                  entry.cells.sharesStorage(with: snapshot.cells) else { return nil }
            return entry.value
        }) {
            return cached
        }
        let value = rows.alarmPrefix()
        lock.withLock { alarmPrefix = (snapshot.cells, sort, filter, rows.rowsInOrder, value) }
        return value
    }
    private var holding: (texts: CellTexts, needle: [UInt8], found: [Bool])?
    private var eventLines: (glyphs: Glyphs, bySequence: [UInt64: (event: EventEnvelope, line: any Sendable)])?

    /// An event's line as `write` writes it, written once for each event and glyph set: the events pane shows the same
    /// few dozen events frame after frame. Kept by sequence number, checked against the event itself (a plant-wide
    /// console shows events of several runtimes, whose numbers may meet); at most 512 are kept. (The line's type is the
    /// pane's: this memo keeps it without naming it.)
    func eventLine<Line: Sendable>(_ event: EventEnvelope, glyphs: Glyphs, write: (EventEnvelope, Glyphs) -> Line) -> Line {
        if let line = lock.withLock({ () -> Line? in
            guard let eventLines, eventLines.glyphs == glyphs, let kept = eventLines.bySequence[event.sequence], kept.event == event else { return nil }
            return kept.line as? Line
        }) {
            return line
        }
        let line = write(event, glyphs)
        lock.withLock {
            if eventLines == nil || eventLines?.glyphs != glyphs || (eventLines?.bySequence.count ?? 0) >= 512 { eventLines = (glyphs, [:]) }
            eventLines?.bySequence[event.sequence] = (event, line)
        }
        return line
    }

    /// Which cells hold `needle` in their unchanging texts (see ``CellTexts/cellsHolding(_:)``), once per filter for
    /// as long as the runtime hands on the same texts.
    func cellsHolding(_ needle: [UInt8], in texts: CellTexts) -> [Bool] {
        if let found = lock.withLock({ () -> [Bool]? in
            guard let holding, holding.texts === texts, holding.needle == needle else { return nil }
            return holding.found
        }) {
            return found
        }
        let found = texts.cellsHolding(needle)
        lock.withLock { holding = (texts, needle, found) }
        return found
    }

    private var indices: [Pane: (snapshot: PlantSnapshot, id: String, sort: CellSort, filter: String, row: Int?)] = [:]

    /// The row of item `id` in `pane`, worked out by `find` once per snapshot, order and filter.
    func rowIndex(of id: String, pane: Pane, snapshot: PlantSnapshot, sort: CellSort, filter: String, find: () -> Int?) -> Int? {
        let cached: Int?? = lock.withLock {
            guard let entry = indices[pane], entry.id == id, entry.sort == sort, entry.filter == filter,
                  entry.snapshot.cells.sharesStorage(with: snapshot.cells), entry.snapshot.queues.sharesStorage(with: snapshot.queues),
                  entry.snapshot.agents.sharesStorage(with: snapshot.agents) else { return nil }
            return .some(entry.row)
        }
        if let cached { return cached }
        // Found outside the lock: finding a cell may ask this memo for the rows.
        let row = find()
        lock.withLock { indices[pane] = (snapshot, id, sort, filter, row) }
        return row
    }

    /// The alarms of `snapshot`, in list order, with their counts.
    func alarms(of snapshot: PlantSnapshot) -> PlantAlarms {
        lock.withLock {
            if let alarms, alarms.cells.sharesStorage(with: snapshot.cells) { return alarms.value }
            let value = PlantAlarms(snapshot)
            alarms = (snapshot.cells, value)
            return value
        }
    }

    /// Pending approvals of `snapshot` in ``PlantSnapshot/pendingApprovals`` order (a plant-wide one: by deadline).
    func pendingApprovals(of snapshot: PlantSnapshot) -> [ApprovalSnapshot] {
        lock.withLock {
            if let pending, pending.source.sharesStorage(with: snapshot.approvals) { return pending.value }
            // A plant-wide plant comes with its approvals in deadline order, whichever runtime asks.
            let value = snapshot.runtimes == nil ? snapshot.pendingApprovals : snapshot.approvals.filter { $0.state == .pending }
            pending = (snapshot.approvals, value)
            return value
        }
    }

    /// Indices of the first `count` agents of `snapshot` (or all, when fewer) in worst-first order.
    func agentsWorstFirst(of snapshot: PlantSnapshot, first count: Int) -> ArraySlice<Int> {
        lock.withLock {
            let wanted = min(max(0, count), snapshot.agents.count)
            // The runtime's own order, when its snapshot carries one long enough.
            if let given = snapshot.worstAgents, given.count >= wanted { return given.prefix(wanted) }
            if let worst, worst.source.sharesStorage(with: snapshot.agents), worst.order.count >= wanted {
                return worst.order.prefix(wanted)
            }
            // Redraws usually want the same rows again; ask for a few more so a short scroll is also free.
            let order = AgentOrder.worstFirst(snapshot.agents, first: min(snapshot.agents.count, max(wanted, 64)))
            worst = (snapshot.agents, order)
            return order.prefix(wanted)
        }
    }

    /// The rows of the cells pane for `snapshot` under `needle` (trimmed, lowercased) and `sort`.
    /// With `needed`, a listing that puts only the first rows in order will do (see ``CellRows``).
    func cellRows(of snapshot: PlantSnapshot, needle: String, sort: CellSort, needed: ((Int) -> Int)?,
                  make: () -> CellRows.Listing) -> CellRows.Listing {
        lock.withLock {
            if let rows, rows.sort == sort, rows.needle == needle, rows.cells.sharesStorage(with: snapshot.cells),
               rows.lines.sharesStorage(with: snapshot.lines),
               rows.rows.covers(needed.map { $0(CellRows.count(of: rows.rows)) }) {
                return rows.rows
            }
            let listing = make()
            rows = (snapshot.cells, snapshot.lines, sort, needle, listing)
            return listing
        }
    }
}
