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

/// The Latency pane lists agents worst first, so a short pane shows the ones that matter.
@Suite struct LatencyOrderTests {
    @Test func worstFirst() {
        var plant = Fixtures.smallPlant()
        let template = plant.agents[0]
        func agent(_ id: String, p99: Double, budget: Double, breaches: Int) -> AgentSnapshot {
            var agent = template
            agent.id = id
            agent.p99 = p99
            agent.budgetSeconds = budget
            agent.breaches = breaches
            return agent
        }
        plant.agents = [agent("calm", p99: 0.001, budget: 0.1, breaches: 0), agent("close", p99: 0.09, budget: 0.1, breaches: 0),
                        agent("breached-once", p99: 0.05, budget: 0.1, breaches: 1), agent("over", p99: 0.3, budget: 0.1, breaches: 4),
                        agent("busy", p99: 0.5, budget: 1, breaches: 0)]
        #expect(plant.agentsWorstFirst.map(\.id) == ["over", "breached-once", "close", "busy", "calm"])
    }
}
