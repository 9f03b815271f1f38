import AndonCore

/// What every widget reads while one frame is composed.
struct FrameContext {
    /// The plant as shown (frozen or latest).
    let snapshot: PlantSnapshot
    /// Console state.
    let state: ConsoleState
    /// Unicode or ASCII glyphs.
    let glyphs: Glyphs

    /// The list position of `pane`, clamped to `count` rows and a window of `height`.
    func position(_ pane: Pane, count: Int, height: Int) -> ListPosition {
        state.position(pane).clamped(count: count, height: height)
    }

    /// True when `pane` has focus and no detail view covers it.
    func isFocused(_ pane: Pane) -> Bool { state.focus == pane && state.detail == nil }
}
