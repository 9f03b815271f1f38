import AndonCore
import Testing
@testable import AndonConsole

/// Text snapshots of single widgets.
@Suite struct WidgetSnapshotTests {
    func context(_ state: ConsoleState = ConsoleState(person: Fixtures.supervisor)) -> FrameContext {
        FrameContext(live: Fixtures.smallPlant(), state: state, glyphs: .unicode)
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

/// What the console keeps from one snapshot to the next frame gives the same answers as working them out again.
@Suite struct SnapshotMemoTests {
    /// Agents with many ties in load and breaches, so that every rule of the order is used.
    func manyAgents(_ count: Int) -> [AgentSnapshot] {
        let template = Fixtures.smallPlant().agents[0]
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { index in
            var agent = template
            agent.id = "a\(Int.random(in: 0..<(count / 2), using: &generator))"
            agent.budgetSeconds = [0, 0.005, 0.01].randomElement(using: &generator)!
            agent.p99 = [0, 0.001, 0.004, 0.006, 0.02].randomElement(using: &generator)!
            agent.breaches = Int.random(in: 0..<3, using: &generator) == 0 ? index % 3 : 0
            return agent
        }
    }

    /// The worst few, picked in one pass, are the first few of the whole order (a stable sort, ties by id).
    @Test func worstFewMatchTheFullOrder() {
        for _ in 0..<20 {
            let agents = manyAgents(300)
            func load(_ agent: AgentSnapshot) -> Double { agent.budgetSeconds > 0 ? agent.p99 / agent.budgetSeconds : agent.p99 > 0 ? .infinity : 0 }
            func isOver(_ agent: AgentSnapshot) -> Bool { agent.breaches > 0 || load(agent) > 1 }
            let expected = agents.indices.sorted { a, b in
                let x = agents[a], y = agents[b]
                if isOver(x) != isOver(y) { return isOver(x) }
                if load(x) != load(y) { return load(x) > load(y) }
                if x.breaches != y.breaches { return x.breaches > y.breaches }
                if x.id != y.id { return x.id < y.id }
                return a < b
            }
            let places = AgentOrder.idPlaces(agents)
            for count in [0, 1, 7, 40, 74, 75, 299, 300, 400] {
                #expect(AgentOrder.worstFirst(agents, first: count) == Array(expected.prefix(count)))
                // Ties settled by the agents' places in id order come out the same as by their ids.
                #expect(AgentOrder.worstFirst(agents, first: count, idPlaces: places) == Array(expected.prefix(count)))
            }
        }
    }

    /// Rows, pending approvals and worst agents come from the memo for the same snapshot, and are worked out again for a new one.
    /// `plant` with OEE figures and alarms that tie often.
    private func withFigures(_ plant: PlantSnapshot) -> PlantSnapshot {
        var plant = plant
        plant.cells = plant.cells.enumerated().map { index, cell in
            var cell = cell
            cell.shiftOEE = Fixtures.oee(Double(index * 37 % 11) / 10)
            cell.topAlarm = index % 7 == 0 ? Fixtures.alarm("\(cell.id).t", index % 4 + 1, "hot") : nil
            return cell
        }
        return plant
    }

    @Test func sameSnapshotSameAnswers() {
        let state = ConsoleState(person: Fixtures.supervisor)
        var plant = withFigures(Fixtures.largePlant(lines: 10, cellsPerLine: 10))
        plant.agents = manyAgents(500)
        for sort in CellSort.allCases {
            for filter in ["", "L3", "zzz"] {
                let fresh = CellRows(snapshot: plant, filter: filter, sort: sort)
                for _ in 0..<2 {
                    let kept = CellRows(snapshot: plant, filter: filter, sort: sort, memo: state.memo)
                    #expect(kept.count == fresh.count)
                    #expect((0..<kept.count).allSatisfy { kept.row(at: $0).id == fresh.row(at: $0).id })
                }
            }
        }
        // Sorted, only the first rows asked for are put in order, and they are the first rows of the whole order;
        // asking for every row afterwards gives the whole order.
        for sort in [CellSort.oee, .alarm] {
            for filter in ["", "L3"] {
                let fresh = CellRows(snapshot: plant, filter: filter, sort: sort)
                for wanted in [0, 1, 5, 12, 30, 1000] {
                    let memo = SnapshotMemo()
                    let first = CellRows(snapshot: plant, filter: filter, sort: sort, memo: memo) { _ in wanted }
                    #expect(first.count == fresh.count)
                    #expect((0..<min(wanted, first.count)).allSatisfy { first.row(at: $0).id == fresh.row(at: $0).id })
                    let all = CellRows(snapshot: plant, filter: filter, sort: sort, memo: memo)
                    #expect((0..<all.count).allSatisfy { all.row(at: $0).id == fresh.row(at: $0).id })
                }
            }
        }
        // A cell's row, found with only the first rows in order (counted, past them), is its row in the whole order; a
        // cell the filter leaves out has none. Ties in OEE and priority are many here; the plant is large enough for
        // the rows to be put in order only in part.
        let large = withFigures(Fixtures.largePlant(lines: 10, cellsPerLine: 150))
        for sort in [CellSort.oee, .alarm] {
            for filter in ["", "L3"] {
                let fresh = CellRows(snapshot: large, filter: filter, sort: sort)
                let partial = CellRows(snapshot: large, filter: filter, sort: sort, memo: SnapshotMemo()) { _ in 3 }
                #expect(filter == "L3" || partial.rowsInOrder < partial.count, "only some rows in order")
                for cell in stride(from: 0, to: large.cells.count, by: 7).map({ large.cells[$0] }) {
                    #expect(partial.index(ofCell: cell.id) == fresh.index(ofCell: cell.id), "\(sort) \(filter) \(cell.id)")
                }
            }
        }
        #expect(state.memo.agentsWorstFirst(of: plant, first: 10).map { plant.agents[$0].id } == plant.agentsWorstFirst.prefix(10).map(\.id))
        // A new snapshot with other agents and cells: nothing is taken from the old one.
        var next = plant
        next.agents = manyAgents(500)
        next.cells.swapAt(0, 1)
        #expect(state.memo.agentsWorstFirst(of: next, first: 200).map { next.agents[$0].id } == next.agentsWorstFirst.prefix(200).map(\.id))
        let rows = CellRows(snapshot: next, filter: "", sort: .oee, memo: state.memo)
        let fresh = CellRows(snapshot: next, filter: "", sort: .oee)
        #expect((0..<rows.count).allSatisfy { rows.row(at: $0).id == fresh.row(at: $0).id })
        #expect(state.memo.pendingApprovals(of: next).map(\.id) == next.pendingApprovals.map(\.id))
    }
}

extension CellRow {
    /// The line's or the cell's id.
    var id: String {
        switch self {
        case let .line(line): "line " + line.id
        case let .cell(cell): cell.id
        }
    }
}

/// The cells filter finds what lowercasing and searching finds.
@Suite struct NeedleTests {
    @Test func sameAsLowercasedContains() {
        let texts = ["", "L1C2", "Cell 12 of line 3", "EXEC", "vibration HIGH on L10C3", "Ünïcode Straße", "tab\there", "a\r\nb", "ABCabc", "l1", "Ⅻ big"]
        let needles = ["l1", "c2", "cell 1", "exec", "high", "straße", "ü", "\t", "b", "abcabc", "l1c2x", "x", "of line", "ⅻ", " "]
        for text in texts {
            for needle in needles {
                #expect(Needle(needle).isIn(text) == text.lowercased().contains(needle), "\(text) \(needle)")
            }
        }
    }
}
