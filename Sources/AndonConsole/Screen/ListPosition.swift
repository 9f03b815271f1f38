/// A cursor in a scrolling list, and the first row shown.
public struct ListPosition: Hashable, Sendable {
    /// The selected row.
    public var cursor: Int
    /// The first row shown.
    public var top: Int

    /// At the top.
    public init(cursor: Int = 0, top: Int = 0) {
        self.cursor = cursor
        self.top = top
    }

    /// Moves the cursor by `delta` rows within `count`, scrolling so it stays in a window of `height` rows.
    public mutating func move(by delta: Int, count: Int, height: Int) {
        cursor += delta
        self = clamped(count: count, height: height)
    }

    /// The position with the cursor inside the list and visible in a window of `height` rows.
    public func clamped(count: Int, height: Int) -> ListPosition {
        guard count > 0 else { return ListPosition() }
        let rows = max(1, height)
        var result = self
        result.cursor = min(max(0, cursor), count - 1)
        if result.cursor < result.top { result.top = result.cursor }
        if result.cursor >= result.top + rows { result.top = result.cursor - rows + 1 }
        result.top = min(max(0, result.top), max(0, count - rows))
        return result
    }
}
