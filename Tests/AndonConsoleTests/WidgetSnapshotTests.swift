import AndonCore
import Testing
@testable import AndonConsole

/// Text snapshots of single widgets.
@Suite struct WidgetSnapshotTests {
    func context(_ state: ConsoleState = ConsoleState(person: Fixtures.supervisor)) -> FrameContext {
        FrameContext(snapshot: Fixtures.smallPlant(), state: state, glyphs: .unicode)
    }

    @Test func cellsPane() throws {
        var canvas = Canvas(size: TerminalSize(columns: 60, rows: 12))
        _ = CellsPane(context: context()).draw(into: &canvas, in: canvas.bounds)
        try assertSnapshot(TextRenderer.render(canvas), named: "widget-cells-60x12")
    }

    @Test func approvalsPane() throws {
        var state = ConsoleState(person: Fixtures.supervisor)
        state.focus = .approvals
        state.inFlight = ["p-3"]
        var canvas = Canvas(size: TerminalSize(columns: 90, rows: 4))
        _ = ApprovalsPane(context: context(state)).draw(into: &canvas, in: canvas.bounds)
        try assertSnapshot(TextRenderer.render(canvas), named: "widget-approvals-90x4")
    }

    @Test func latencyAndQueuesPanes() throws {
        var canvas = Canvas(size: TerminalSize(columns: 80, rows: 10))
        let (top, bottom) = canvas.bounds.splitTop(4)
        _ = LatencyPane(context: context()).draw(into: &canvas, in: top)
        _ = QueuesPane(context: context()).draw(into: &canvas, in: bottom)
        try assertSnapshot(TextRenderer.render(canvas), named: "widget-latency-queues-80x10")
    }
}
