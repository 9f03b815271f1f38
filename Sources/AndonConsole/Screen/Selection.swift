import AndonCore

/// Where the selected item of a pane is in the rows shown now.
public enum SelectedRow: Hashable, Sendable {
    /// Nothing to select: the pane is empty.
    case none
    /// At this row.
    case at(Int)
    /// The item is no longer among the rows (decided, filtered out, fallen off the log); it was last seen at `lastRow`.
    case gone(id: String, lastRow: Int)

    /// The row, when the item is there.
    public var row: Int? {
        if case let .at(row) = self { return row }
        return nil
    }
}

/// Selection follows the item, not the row: each pane remembers the id of what was selected (cell, approval, queue,
/// agent, event), and finds its row again in every new snapshot. When the item leaves the view the pane says so and
/// keys that act on a selection refuse, rather than acting on whatever moved into its place.
extension ConsoleState {
    /// The id of the item at `row` of `pane` (nil for a line header or no row).
    func itemID(_ pane: Pane, row: Int, snapshot: PlantSnapshot) -> String? {
        guard row >= 0, let snapshot = viewed(pane, snapshot) else { return nil }
        switch pane {
        case .cells:
            let rows = CellRows(snapshot: snapshot, filter: filter, sort: sort, memo: memo, needed: { _ in row + 1 })
            guard row < rows.count, case let .cell(cell) = rows.row(at: row) else { return nil }
            return cell.id
        case .approvals:
            let pending = memo.pendingApprovals(of: snapshot)
            return row < pending.count ? pending[row].id : nil
        case .queues:
            return row < snapshot.queues.count ? snapshot.queues[row].id : nil
        case .latency:
            guard row < snapshot.agents.count else { return nil }
            return snapshot.agents[memo.agentsWorstFirst(of: snapshot, first: row + 1)[row]].id
        case .events:
            let skipped = frozenSkip
            return row < events.count - skipped ? String(events.newest(skipped + row).sequence) : nil
        }
    }

    /// Events newer than the freeze, which the frozen log leaves out.
    var frozenSkip: Int {
        guard let frozen = frozenSequence else { return 0 }
        var skipped = 0
        while skipped < events.count && events.newest(skipped).sequence > frozen { skipped += 1 }
        return skipped
    }

    /// The row of the item `id` in `pane` now, or nil when it is not there.
    func row(of id: String, in pane: Pane, snapshot: PlantSnapshot) -> Int? {
        guard let snapshot = viewed(pane, snapshot) else { return nil }
        switch pane {
        case .cells:
            return memo.rowIndex(of: id, pane: pane, snapshot: snapshot, sort: sort, filter: filter) {
                // Sorted, its row is counted: the rows need not be put in order to find it.
                CellRows(snapshot: snapshot, filter: filter, sort: sort, memo: memo, needed: { _ in 0 }).index(ofCell: id)
            }
        case .approvals:
            return memo.pendingApprovals(of: snapshot).firstIndex { $0.id == id }
        case .queues:
            return memo.rowIndex(of: id, pane: pane, snapshot: snapshot, sort: sort, filter: "") { snapshot.queues.firstIndex { $0.id == id } }
        case .latency:
            return memo.rowIndex(of: id, pane: pane, snapshot: snapshot, sort: sort, filter: "") {
                snapshot.agents.firstIndex { $0.id == id }.map { AgentOrder.rank(of: $0, in: snapshot.agents) }
            }
        case .events:
            guard let sequence = UInt64(id) else { return nil }
            let skipped = frozenSkip
            var index = 0
            while skipped + index < events.count {
                let found = events.newest(skipped + index).sequence
                if found == sequence { return index }
                if found < sequence { return nil }
                index += 1
            }
            return nil
        }
    }

    /// Where the selected item of `pane` is now. Without a remembered item (before the first snapshot, or the event
    /// log following the newest), the cursor's row.
    public func selectedRow(_ pane: Pane, snapshot: PlantSnapshot?) -> SelectedRow {
        guard let snapshot else { return .none }
        let count = rowCount(pane, snapshot: snapshot)
        guard count > 0 else {
            if let id = selected[pane] { return .gone(id: id, lastRow: 0) }
            return .none
        }
        guard let id = selected[pane] else {
            let cursor = min(max(0, position(pane).cursor), count - 1)
            if pane == .cells {
                // Sorted, only the rows down to the cursor's need to be in order.
                let rows = CellRows(snapshot: viewed(.cells, snapshot), filter: filter, sort: sort, memo: memo, needed: { _ in cursor + 1 })
                return .at(rows.nearestCell(from: cursor, step: 1))
            }
            return .at(cursor)
        }
        if let row = row(of: id, in: pane, snapshot: snapshot) { return .at(row) }
        return .gone(id: id, lastRow: min(max(0, position(pane).cursor), count))
    }

    /// Remembers the item under each cursor where none is remembered yet, and where each remembered one is now.
    /// The event log, the approvals and the latency pane follow their first row (the newest event, the riskiest and
    /// most urgent approval, the worst agent) until someone moves in them. Called for every snapshot shown.
    public mutating func observe(_ snapshot: PlantSnapshot) {
        for pane in Pane.allCases {
            switch selectedRow(pane, snapshot: snapshot) {
            case let .at(row):
                if selected[pane] == nil, pane == .cells || pane == .queues { selected[pane] = itemID(pane, row: row, snapshot: snapshot) }
                if selected[pane] != nil { positions[pane, default: ListPosition()].cursor = row }
            case .gone, .none:
                break
            }
        }
        closeDialogOnDecision(snapshot)
    }

    /// Selects the row `row` of `pane` (clamped; line headers skipped in the direction of `step`).
    mutating func select(row: Int, in pane: Pane, step: Int, snapshot: PlantSnapshot) {
        let count = rowCount(pane, snapshot: snapshot)
        guard count > 0 else { return }
        var target = min(max(0, row), count - 1)
        if pane == .cells { target = CellRows(snapshot: viewed(.cells, snapshot), filter: filter, sort: sort, memo: memo).nearestCell(from: target, step: step) }
        var position = position(pane)
        position.cursor = target
        positions[pane] = position.clamped(count: count, height: height(pane))
        selected[pane] = itemID(pane, row: target, snapshot: snapshot)
    }

    /// What a pane's title adds when its selected item has left the view: `B2 out of view`, `stop_cell B2 approved`.
    func goneNote(_ pane: Pane, snapshot: PlantSnapshot) -> String? {
        // Only a remembered item can be gone.
        guard selected[pane] != nil, case let .gone(id, _) = selectedRow(pane, snapshot: snapshot) else { return nil }
        switch pane {
        case .approvals:
            guard let approval = snapshot.approvals.first(where: { $0.id == id }) else { return "selected approval \(id) gone" }
            let what = "\(approval.proposal.action.rawValue) \(approval.proposal.target)"
            return "\(what) \(approval.outcome ?? approval.state.rawValue)"
        case .cells: return "\(id) not in view" + (filter.isEmpty ? "" : " (filter)")
        case .events: return "selected event left the log"
        case .queues, .latency: return "\(id) not in view"
        }
    }

    /// Says why a key that acts on the selection of `pane` does nothing; returns true when the selection is gone.
    mutating func refuseIfGone(_ pane: Pane, snapshot: PlantSnapshot?) -> Bool {
        guard let snapshot, let note = goneNote(pane, snapshot: snapshot) else { return false }
        message = StatusMessage("nothing selected: \(note); j/k selects another", tone: .refused)
        return true
    }
}
