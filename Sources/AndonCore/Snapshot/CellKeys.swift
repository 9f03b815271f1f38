/// What a console sorts and counts a cell by, in a few bytes: the OEE and alarm orders of the cells pane, the
/// header's alarm and cell counts, and the alarms above and below the rows shown read these rather than every
/// cell's whole snapshot, which for a large plant is megabytes a frame.
public struct CellKeys: Sendable, Hashable {
    /// The shift OEE the cells pane shows and sorts by; 2 (after every figure) when none is shown (unsettled, or stale
    /// data). May be NaN, which has no place in an order.
    public var oee: Double
    /// The top alarm's priority (1 most urgent), or 9 without one.
    public var topPriority: Int32
    /// Alarms in view.
    public var activeAlarms: Int32
    /// Alarms that came in during the rate window.
    public var recentAlarmActivations: Int32
    /// Alarms listed (not in Normal, or chattering).
    public var listedAlarms: Int32
    /// The cell's data is stale.
    public var isStale: Bool
    /// The cell is down (held, stopped, aborted, or on the way there or back).
    public var isDown: Bool

    /// The keys of `cell`.
    @inlinable public init(_ cell: CellSnapshot) {
        oee = cell.shiftOEE.isSettled && !cell.isStale ? cell.shiftOEE.value : 2
        topPriority = Int32(clamping: cell.topAlarm?.priority ?? 9)
        activeAlarms = Int32(clamping: cell.activeAlarms)
        recentAlarmActivations = Int32(clamping: cell.recentAlarmActivations)
        listedAlarms = Int32(clamping: cell.alarms.count)
        isStale = cell.isStale
        isDown = cell.state.isDown
    }
}

extension PlantSnapshot {
    /// The keys of every cell, in the cells' order: those the runtime put in the snapshot when they describe these
    /// cells, else worked out now (one pass over the cells).
    public var keysOfCells: [CellKeys] {
        if let cellKeys, cellKeys.count == cells.count { return cellKeys }
        return cells.withUnsafeBufferPointer { cells in cells.indices.map { CellKeys(cells[$0]) } }
    }
}

extension PlantSnapshot {
    /// Works out what a runtime puts in its own snapshots for a console's frames (``cellTexts``, ``cellKeys``,
    /// ``worstAgents``) where it is missing: for a snapshot that came over the wire or was merged from several, so
    /// that the frames drawn from it do not read every cell and agent again. One pass over the cells and agents.
    public mutating func workOutFrameKeys() {
        if currentCellTexts == nil {
            cellTexts = cells.withUnsafeBufferPointer { cells in
                CellTexts(cells: cells.indices.map { (id: cells[$0].id, name: cells[$0].name, line: cells[$0].line) }, lines: lines.map(\.id))
            }
        }
        if cellKeys?.count != cells.count { cellKeys = keysOfCells }
        if worstAgents == nil { worstAgents = AgentOrder.worstFirst(agents, first: min(agents.count, Self.worstAgentsKept)) }
    }
}
