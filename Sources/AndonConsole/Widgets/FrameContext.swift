import AndonCore

/// What every widget reads while one frame is composed.
struct FrameContext {
    /// The latest plant, frozen or not: approvals, deadlines, the abnormal summary and the alarm list come from it.
    let live: PlantSnapshot
    /// The plant the cell views show: the frozen one while frozen (`p`), else the latest.
    var snapshot: PlantSnapshot { state.frozenPlant ?? live }
    /// Console state.
    let state: ConsoleState
    /// Unicode or ASCII glyphs.
    let glyphs: Glyphs

    /// The list position of `pane`, clamped to `count` rows and a window of `height`.
    func position(_ pane: Pane, count: Int, height: Int) -> ListPosition {
        state.position(pane).clamped(count: count, height: height)
    }

    /// The list position of `pane` with the cursor on its selected item, and that item's row (nil when it has gone:
    /// the cursor is then where it was last seen, and no row shows as selected).
    func selection(_ pane: Pane, count: Int, height: Int, selected known: SelectedRow? = nil) -> (position: ListPosition, row: Int?) {
        var position = state.position(pane)
        let selected = known ?? state.selectedRow(pane, snapshot: live)
        switch selected {
        case let .at(row): position.cursor = row
        case let .gone(_, lastRow): position.cursor = lastRow
        case .none: break
        }
        return (position.clamped(count: count, height: height), selected.row)
    }

    /// True when `pane` has focus and no detail view covers it.
    func isFocused(_ pane: Pane) -> Bool { state.focus == pane && state.detail == nil }
}
