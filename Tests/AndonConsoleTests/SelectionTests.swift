import AndonCore
import Testing
@testable import AndonConsole

/// The selection follows the item, never the row: `A`, `a` and `Enter` act on what the person chose.
@Suite struct SelectionTests {
    let plant = Fixtures.smallPlant()

    func press(_ keys: [Key], on state: inout ConsoleState, snapshot: PlantSnapshot? = nil, at start: Double = 0) -> [ConsoleEffect] {
        var effects: [ConsoleEffect] = []
        for (index, key) in keys.enumerated() { effects += state.handle(key, at: start + Double(index), snapshot: snapshot ?? plant) }
        return effects
    }

    /// The plant with B2's OEE set to `value`.
    func plant(b2 value: Double) -> PlantSnapshot {
        var plant = plant
        let index = plant.cells.firstIndex { $0.id == "B2" }!
        plant.cells[index].shiftOEE = Fixtures.oee(value)
        return plant
    }

    /// The text of the selected row (the one with the `>` marker) on a screen.
    func selectedLine(_ screen: String) -> String? {
        screen.split(separator: "\n").first { $0.contains("│>") }.map(String.init)
    }

    @Test func aCellSortedByOEEStaysSelectedAsItsRankChanges() {
        var state = ConsoleState(person: Fixtures.supervisor)
        state.observe(plant)
        _ = press([.character("s")], on: &state)
        #expect(state.sort == .oee)
        #expect(state.selectedCell(in: plant)?.id == "A1", "sorting keeps the cell selected, wherever it now is")
        _ = press([.character("g"), .character("j")], on: &state)
        #expect(state.selectedCell(in: plant)?.id == "B2")
        let before = state.selectedRow(.cells, snapshot: plant)
        // B2 recovers: from the lowest OEE but one to the highest.
        let later = plant(b2: 0.99)
        state.observe(later)
        #expect(state.selectedCell(in: later)?.id == "B2")
        #expect(state.selectedRow(.cells, snapshot: later) != before, "its row moved, and the selection with it")
        let screen = Screenshot.render(snapshot: later, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(selectedLine(screen)?.contains("B2") == true, "\(screen)")
        #expect(press([.character("A")], on: &state, snapshot: later, at: 50) == [.send(.acknowledgeAlarms(cell: "B2"))])
    }

    @Test func anApprovalDecidedElsewhereIsSaidSoAndNothingElseIsSelectedInItsPlace() {
        var state = ConsoleState(person: Fixtures.supervisor)
        state.focus = .approvals
        state.observe(plant)
        _ = press([.character("j")], on: &state)
        #expect(state.selectedApproval(in: plant)?.id == "p-1")
        var decided = plant
        let index = decided.approvals.firstIndex { $0.id == "p-1" }!
        decided.approvals[index].state = .approved
        decided.approvals[index].outcome = "approved by dana (supervisor)"
        state.observe(decided)
        #expect(state.selectedApproval(in: decided) == nil, "not the neighbour that moved into its row")
        let screen = Screenshot.render(snapshot: decided, state: state, size: TerminalSize(columns: 120, rows: 40))
        #expect(screen.contains("stop_cell B2 approved by dana"), "\(screen)")
        #expect(press([.character("a")], on: &state, snapshot: decided, at: 10).isEmpty)
        #expect(state.mode == .normal, "no dialog for whatever is there now")
        #expect(state.message?.text.contains("stop_cell B2 approved by dana") == true)
        _ = press([.character("j")], on: &state, snapshot: decided, at: 20)
        #expect(state.selectedApproval(in: decided)?.id == "p-3", "j selects the one now where p-1 was")
    }

    @Test func aSelectedEventStaysSelectedAsNewEventsArrive() {
        var state = ConsoleState(person: Fixtures.supervisor)
        for event in Fixtures.events() { state.receive(event) }
        state.focus = .events
        _ = press([.character("j"), .character("j")], on: &state)
        #expect(state.selected[.events] == "4")
        state.receive(EventEnvelope(sequence: 7, time: 3720, cell: "C5", correlationID: CorrelationID("c-11"),
                                    body: .notice(kind: "incident", message: "C5 bearing hot")))
        #expect(state.selectedRow(.events, snapshot: plant) == .at(3))
        _ = press([.home], on: &state, at: 10)
        #expect(state.selected[.events] == nil, "back at the top, the log follows the newest")
    }

    @Test func aSelectedAgentStaysSelectedAsTheWorstFirstOrderChanges() {
        var state = ConsoleState(person: Fixtures.supervisor)
        state.focus = .latency
        state.observe(plant)
        _ = press([.character("j")], on: &state)
        let agent = state.selected[.latency]
        #expect(agent == "C5.safety")
        var later = plant
        later.agents[1].p99 = 0.00001
        later.agents[1].recentP99 = [0.00001]
        state.observe(later)
        #expect(state.selectedRow(.latency, snapshot: later) == .at(2))
        _ = press([.enter], on: &state, snapshot: later, at: 10)
        #expect(state.detail == .cell("C5"))
    }

    @Test func aFilterTheSelectedCellDoesNotMatchSaysSo() {
        var state = ConsoleState(person: Fixtures.supervisor)
        state.observe(plant)
        _ = press([.character(":")] + "filter c5".map { Key.character($0) } + [.enter], on: &state)
        // Typed with `/`, the selection moves to the first match; set another way, the pane says the cell is out of view.
        #expect(state.selectedCell(in: plant) == nil)
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(screen.contains("A1 not in view (filter)"), "\(screen)")
        _ = press([.character("A")], on: &state, at: 10)
        #expect(state.message?.text.hasPrefix("nothing selected: A1 not in view") == true)
        _ = press([.escape, .character("/"), .character("b"), .enter], on: &state, at: 20)
        #expect(state.selectedCell(in: plant)?.id == "B1")
    }
}

extension SelectionTests {
    @Test func theApprovalsPaneFollowsItsFirstRowUntilSomeoneMovesAndAgainOnceTheyDecide() {
        var state = ConsoleState(person: Fixtures.supervisor)
        state.observe(plant)
        #expect(state.selected[.approvals] == nil)
        var decided = plant
        decided.approvals.removeAll { $0.id == "p-2" }
        state.observe(decided)
        #expect(state.selectedApproval(in: decided)?.id == "p-1", "nobody chose p-2: the riskiest pending is selected")
        state.focus = .approvals
        _ = state.handle(.character("j"), at: 0, snapshot: decided)
        #expect(state.selected[.approvals] == "p-3")
        state.receive(.accepted("approved reduce_speed of A2 as supervisor"), for: .approve(approvalID: "p-3"))
        #expect(state.selected[.approvals] == nil, "decided here: back to following the first row")
    }
}
