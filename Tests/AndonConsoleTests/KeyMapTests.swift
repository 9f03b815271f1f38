import AndonCore
import Testing
@testable import AndonConsole

/// Navigation, panes, filter, command line and help, without a terminal.
@Suite struct KeyMapTests {
    let plant = Fixtures.smallPlant()

    func press(_ keys: [Key], on state: inout ConsoleState) -> [ConsoleEffect] {
        var effects: [ConsoleEffect] = []
        for (index, key) in keys.enumerated() { effects += state.handle(key, at: Double(index), snapshot: plant) }
        return effects
    }

    func typing(_ text: String) -> [Key] { text.map { Key.character($0) } }

    @Test func viKeysAndArrowsMoveOverCellsSkippingLineHeaders() {
        var state = ConsoleState(person: Fixtures.supervisor)
        #expect(state.selectedCell(in: plant)?.id == "A1")
        _ = press([.character("j")], on: &state)
        #expect(state.selectedCell(in: plant)?.id == "A2")
        _ = press([.down, .down, .down, .down], on: &state)
        #expect(state.selectedCell(in: plant)?.id == "A6")
        _ = press([.character("j")], on: &state)
        #expect(state.selectedCell(in: plant)?.id == "B1", "the Line B header is skipped")
        _ = press([.character("k")], on: &state)
        #expect(state.selectedCell(in: plant)?.id == "A6")
        _ = press([.character("G")], on: &state)
        #expect(state.selectedCell(in: plant)?.id == "C6")
        _ = press([.character("g")], on: &state)
        #expect(state.selectedCell(in: plant)?.id == "A1")
        _ = press([.up, .character("k")], on: &state)
        #expect(state.selectedCell(in: plant)?.id == "A1")
    }

    @Test func tabAndShiftTabCycleThePanes() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.tab], on: &state)
        #expect(state.focus == .approvals)
        _ = press([.tab, .tab, .tab], on: &state)
        #expect(state.focus == .events)
        _ = press([.tab], on: &state)
        #expect(state.focus == .cells)
        _ = press([.backTab], on: &state)
        #expect(state.focus == .events)
    }

    @Test func enterOpensDetailAndEscGoesBack() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.character("j"), .enter], on: &state)
        #expect(state.detail == .cell("A2"))
        _ = press([.escape], on: &state)
        #expect(state.detail == nil)
        _ = press([.tab, .enter], on: &state)
        #expect(state.detail == .approval("p-2"))
    }

    @Test func capitalTOpensTelemetryRejectsAndEscGoesBack() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.character("T")], on: &state)
        #expect(state.detail == .telemetryRejects)
        #expect(state.detailScroll == 0)
        _ = press([.character("j")], on: &state)
        #expect(state.detailScroll == 1, "j scrolls the view, not the cells")
        _ = press([.escape], on: &state)
        #expect(state.detail == nil)
        #expect(state.detailScroll == 0)
        #expect(state.mode == .normal)
        _ = press([.character(":")] + typing("rejects") + [.enter], on: &state)
        #expect(state.detail == .telemetryRejects, ":rejects opens it too")
        _ = press([.escape], on: &state)
        #expect(state.detail == nil)
    }

    @Test func slashFiltersCellsAndEscClears() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.character("/")] + typing("held") + [.enter], on: &state)
        #expect(state.filter == "held")
        #expect(state.mode == .normal)
        #expect(CellRows(snapshot: plant, filter: state.filter, sort: state.sort).count == 2, "the Line B header and B2")
        #expect(state.selectedCell(in: plant)?.id == "B2")
        _ = press([.escape], on: &state)
        #expect(state.filter.isEmpty)
    }

    @Test func sortingByAlarmPutsPriorityOneFirst() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.character("s"), .character("s")], on: &state)
        #expect(state.sort == .alarm)
        #expect(state.selectedCell(in: plant)?.id == "C5")
        _ = press([.character("j")], on: &state)
        #expect(state.selectedCell(in: plant)?.id == "B2")
    }

    @Test func commandLine() {
        var state = ConsoleState(person: Fixtures.supervisor)
        #expect(press([.character(":")] + typing("fps 10") + [.enter], on: &state) == [.setFPS(10)])
        #expect(press([.character(":")] + typing("theme mono") + [.enter], on: &state) == [.setTheme("mono")])
        #expect(press([.character(":")] + typing("operator bob") + [.enter], on: &state) == [.switchOperator("bob")])
        #expect(press([.character(":")] + typing("pause") + [.enter], on: &state) == [.send(.setPaused(true))])
        _ = press([.character(":")] + typing("cell c5") + [.enter], on: &state)
        #expect(state.detail == .cell("C5"))
        #expect(press([.character(":")] + typing("fps 0") + [.enter], on: &state).isEmpty)
        #expect(state.message?.tone == .refused)
        _ = press([.character(":")] + typing("frobnicate") + [.enter], on: &state)
        #expect(state.message?.text.hasPrefix("unknown command") == true)
        _ = press([.character(":")] + typing("quit") + [.escape], on: &state)
        #expect(state.mode == .normal)
    }

    @Test func eachCommandLineReplacesTheLastMessage() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.character(":")] + typing("sort nonsense") + [.enter], on: &state)
        #expect(state.message == StatusMessage("usage: :sort flow|oee|alarm", tone: .refused))
        _ = press([.character(":")] + typing("sort oee") + [.enter], on: &state)
        #expect(state.sort == .oee)
        #expect(state.message == StatusMessage("cells sorted by oee"))
        _ = press([.character(":")] + typing("ascii") + [.enter], on: &state)
        #expect(state.message == StatusMessage("drawing with ASCII only"))
        _ = press([.character(":")] + typing("ack") + [.enter], on: &state)
        _ = press([.character(":")] + typing("cell c5") + [.enter], on: &state)
        #expect(state.detail == .cell("C5"))
        #expect(state.message == nil, "the usage line of :ack no longer applies")
        _ = press([.character(":")] + typing("cell") + [.enter], on: &state)
        #expect(state.message == StatusMessage("usage: :cell ID", tone: .refused))
        _ = press([.character(":"), .enter], on: &state)
        #expect(state.message == StatusMessage("empty command; ? lists the keys and commands", tone: .refused))
    }

    @Test func aKeyThatDoesNothingSaysSo() {
        var state = ConsoleState(person: Fixtures.supervisor)
        #expect(press([.character("Z")], on: &state).isEmpty)
        #expect(state.message == StatusMessage("Z does nothing here; ? lists the keys", tone: .refused))
        _ = press([.character("\u{7}")], on: &state)
        #expect(state.message == StatusMessage("that key does nothing here; ? lists the keys", tone: .refused))
    }

    @Test func helpOverlayListsEveryKeyAndMarksThoseTheRoleCannotUse() {
        var state = ConsoleState(person: Fixtures.observer)
        _ = press([.character("?")], on: &state)
        #expect(state.mode == .help)
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 120, rows: 40))
        for entry in KeyHelp.entries { #expect(screen.contains(entry.keys)) }
        #expect(screen.contains("(not for observer)"))
        _ = press([.escape], on: &state)
        #expect(state.mode == .normal)
    }

    @Test func pFreezesTheViewAndQQuits() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.character("p")], on: &state)
        #expect(state.isFrozen)
        #expect(Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 120, rows: 40)).contains("FROZEN"))
        _ = press([.character("p")], on: &state)
        #expect(!state.isFrozen)
        #expect(press([.character("q")], on: &state).isEmpty, "approvals are pending: q asks first")
        #expect(press([.character("y")], on: &state) == [.quit])
    }

    @Test func theRuntimesRefusalIsShownEvenWhenTheKeyWasGreyedOut() {
        var state = ConsoleState(person: Fixtures.observer)
        state.focus = .approvals
        _ = press([.character("a"), .character("y")], on: &state)
        state.receive(.refused("refused: observers cannot approve"), for: .approve(approvalID: "p-2"))
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(screen.contains("refused: observers cannot approve"))
    }
}
