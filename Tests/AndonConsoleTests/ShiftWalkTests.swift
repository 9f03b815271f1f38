import AndonCore
import Testing
@testable import AndonConsole

/// The small things a shift supervisor met walking the console: each fixed and held here.
@Suite struct ShiftWalkTests {
    let plant = Fixtures.smallPlant()

    func press(_ keys: [Key], on state: inout ConsoleState, at start: Double = 0) -> [ConsoleEffect] {
        var effects: [ConsoleEffect] = []
        for (index, key) in keys.enumerated() { effects += state.handle(key, at: start + Double(index), snapshot: plant) }
        return effects
    }

    func typing(_ text: String) -> [Key] { text.map { Key.character($0) } }

    @Test func ackTakesACellIDInAnyCaseAsCellDoes() {
        var state = ConsoleState(person: Fixtures.supervisor)
        #expect(press([.character(":")] + typing("ack b2") + [.enter], on: &state) == [.send(.acknowledgeAlarms(cell: "B2"))])
        #expect(press([.character(":")] + typing("ack zz9") + [.enter], on: &state).isEmpty)
        #expect(state.message == StatusMessage("no cell or alarm zz9", tone: .refused))
    }

    @Test func theKillSwitchDialogDoesNotSpeakOfApproving() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.character("K")], on: &state)
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(screen.contains("press y to turn the kill switch on"))
        #expect(!screen.contains("to approve") && !screen.contains("approves"), "\(screen)")
        _ = press([.tab, .enter], on: &state, at: 10)
        #expect(state.message?.text.contains("approve") == false)
    }

    @Test func oneFrameIsSingular() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.character(":")] + typing("fps 1") + [.enter], on: &state)
        #expect(state.message == StatusMessage("at most 1 frame per second"))
        _ = press([.character(":")] + typing("fps 4") + [.enter], on: &state, at: 20)
        #expect(state.message == StatusMessage("at most 4 frames per second"))
    }

    @Test func statusMessagesExpire() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = press([.character("Z")], on: &state)
        #expect(state.message != nil)
        let wait = state.expireMessage(at: 100)
        #expect(wait == ConsoleState.messageLifetime(for: .refused))
        #expect(state.expireMessage(at: 100 + ConsoleState.messageLifetime(for: .refused) - 1) != nil)
        #expect(state.message != nil)
        #expect(state.expireMessage(at: 100 + ConsoleState.messageLifetime(for: .refused)) == nil)
        #expect(state.message == nil)
        // A new message (even the same words again) starts its own time.
        _ = press([.character("Z")], on: &state, at: 200)
        _ = state.expireMessage(at: 200)
        _ = press([.character("Z")], on: &state, at: 205)
        #expect(state.expireMessage(at: 205 + ConsoleState.messageLifetime(for: .refused) - 1) != nil)
        #expect(state.message != nil)
    }

    @Test func focusSurvivesATemporaryShrink() {
        var state = ConsoleState(person: Fixtures.supervisor)
        state.focus = .cells
        // The terminal shrinks: only the approvals pane fits, and keys go to it.
        state.paneHeights = ScreenComposer.compose(snapshot: plant, state: state, size: TerminalSize(columns: 50, rows: 10)).paneHeights
        _ = press([.character("j")], on: &state)
        #expect(state.selectedApproval(in: plant)?.id == "p-1", "j moved in the approvals, the only pane shown")
        #expect(state.focus == .cells, "the chosen focus is kept")
        // It grows again: the cells pane has the keys as before.
        state.paneHeights = ScreenComposer.compose(snapshot: plant, state: state, size: TerminalSize(columns: 120, rows: 40)).paneHeights
        _ = press([.character("j")], on: &state, at: 10)
        #expect(state.selectedCell(in: plant)?.id == "A2")
    }

    @Test func helpScrollsAtSixtyByFifteen() {
        var state = ConsoleState(person: Fixtures.observer)
        _ = press([.character("?")], on: &state)
        let size = TerminalSize(columns: 60, rows: 15)
        let first = Screenshot.render(snapshot: plant, state: state, size: size)
        let lines = first.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.contains("┌") && $0.contains("Keys") }, "the top border is on screen")
        #expect(lines.contains { $0.contains("└") && $0.contains("┘") }, "the bottom border is on screen")
        #expect(first.contains("scroll"), "it says there is more")
        #expect(!first.contains("…"), "nothing is cut: long lines wrap\n\(first)")
        _ = press([.character("G")], on: &state, at: 10)
        let last = Screenshot.render(snapshot: plant, state: state, size: size)
        #expect(last.contains(":reload") && last.contains("Esc or ? closes"), "\(last)")
        _ = press([.character("g")], on: &state, at: 20)
        #expect(Screenshot.render(snapshot: plant, state: state, size: size) == first)
        _ = press([.escape], on: &state, at: 30)
        #expect(state.mode == .normal)
    }
}

/// Nothing abnormal out of sight: the header always carries the plant's abnormal summary, and a cut pane says what it hides.
@Suite struct AbnormalSummaryTests {
    let plant = Fixtures.smallPlant()

    @Test(arguments: ScreenSnapshotTests.sizes)
    func theHeaderCarriesTheAbnormalSummaryAtEverySize(size: TerminalSize) {
        let screen = Screenshot.render(snapshot: plant, state: ConsoleState(person: Fixtures.supervisor), size: size)
        let header = screen.split(separator: "\n").prefix(2).joined(separator: "\n")
        for part in ["▲1 1 ▲2 1 ▲3 1", "unack 3", "3/10m", "stale 1", "down 2", "next 0:25 C5"] {
            #expect(header.contains(part), "\(part) missing from the header at \(size.columns)×\(size.rows):\n\(header)")
        }
    }

    @Test func aCutCellsPaneSaysHowManyRowsAndAlarmsAreBelow() {
        let screen = Screenshot.render(snapshot: plant, state: ConsoleState(person: Fixtures.supervisor), size: TerminalSize(columns: 80, rows: 24))
        #expect(screen.contains("↓ 7 more · 2 alarms"), "C5's ▲1 and C6's ▲3 are below the fold:\n\(screen)")
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = state.handle(.character("G"), at: 0, snapshot: plant)
        let bottom = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        let marker = bottom.split(separator: "\n").first { $0.contains("↑") }
        #expect(marker?.contains("↑ 7 more") == true && marker?.contains("alarm") == false, "the line A rows hide no alarm:\n\(bottom)")
    }

    @Test func aQuietPlantSaysSo() {
        var quiet = plant
        for index in quiet.cells.indices {
            quiet.cells[index].alarms = []
            quiet.cells[index].topAlarm = nil
            quiet.cells[index].activeAlarms = 0
            quiet.cells[index].recentAlarmActivations = 0
        }
        quiet.approvals = []
        let screen = Screenshot.render(snapshot: quiet, state: ConsoleState(person: Fixtures.supervisor), size: TerminalSize(columns: 120, rows: 40))
        #expect(screen.split(separator: "\n")[0].contains("no alarms · down 2 · stale 1 · 0/10m"), "\(screen)")
    }
}

/// Alarm colour in the latency pane means a budget breached now; a chronic breach is a calm count.
@Suite struct BudgetStandingTests {
    func agent(recent: [Double], breaches: Int) -> AgentSnapshot {
        AgentSnapshot(id: "L.planner", cell: "L1", kind: .planner, version: "1", mode: .active, budgetSeconds: 0.25, p50: 0.1, p90: 0.2,
                      p99: recent.last ?? 0, max: 0.9, breaches: breaches, decisions: 1000, proposals: 0, recentP99: recent, isSimulated: true)
    }

    @Test func onlyABreachHappeningNowTakesTheAlarmColour() {
        #expect(BudgetStanding(agent(recent: [0.05, 0.06, 0.4], breaches: 3)) == .breachingNow)
        #expect(BudgetStanding(agent(recent: [0.05, 0.06, 0.4], breaches: 3)).role == .budgetBreach)
        let chronic = BudgetStanding(agent(recent: Array(repeating: 0.3, count: 12), breaches: 900))
        #expect(chronic == .chronic)
        #expect(chronic.role != .budgetBreach, "a chronic breach is shown calmly")
        #expect(BudgetStanding(agent(recent: [0.4, 0.05, 0.06], breaches: 3)).role == .muted, "past breaches are a muted count")
        #expect(BudgetStanding(agent(recent: [0.05, 0.21], breaches: 0)) == .close)
        #expect(BudgetStanding(agent(recent: [0.05, 0.06], breaches: 0)).role == .budgetOK)
    }
}

/// OEE figures a supervisor can trust: none before enough data, none for a cell whose data is stale, and a line
/// says which of its cells are down.
@Suite struct OEEDisplayTests {
    @Test func unsettledAndStaleFiguresAreNotShownAndDownCellsAreNamed() {
        var plant = Fixtures.smallPlant()
        plant.lines[0].shiftOEE = OEE(availability: 1, performance: 1, quality: 1, plannedSeconds: 120, idealCycleSeconds: 60, isSettled: false)
        let screen = Screenshot.render(snapshot: plant, state: ConsoleState(person: Fixtures.supervisor), size: TerminalSize(columns: 120, rows: 40))
        #expect(screen.contains("Line A  OEE --  out 1100"), "not 100% after two minutes:\n\(screen)")
        #expect(screen.contains("B5    ● EXEC      --"), "a stale cell's last figure is not shown as if valid:\n\(screen)")
        #expect(screen.contains("Line B  OEE 69%  out 1107  down: B2"))
        var state = ConsoleState(person: Fixtures.supervisor)
        state.detail = .cell("A1")
        let detail = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 120, rows: 40))
        #expect(detail.contains("line Line A OEE --") && detail.contains("OEE = availability × performance × quality"), "\(detail)")
    }
}

/// Nothing cut without a way to read it: detail views wrap, an event opens in full, approval rows keep their columns.
@Suite struct FullTextTests {
    let plant = Fixtures.smallPlant()

    @Test func enterOnAnEventOpensItInFull() {
        var state = ConsoleState(person: Fixtures.supervisor)
        for event in Fixtures.events() { state.receive(event) }
        state.receive(EventEnvelope(sequence: 7, time: 3720, cell: "B2", correlationID: CorrelationID("c-p-1"),
                                    body: .operatorCommand(person: Person(name: "dana", role: .supervisor), command: "reject",
                                                           outcome: "rejected stop_cell of B2 as supervisor: the bearing was replaced at 00:50 and the reading is a loose sensor cable")))
        state.focus = .events
        _ = state.handle(.enter, at: 0, snapshot: plant)
        #expect(state.detail == .event(7))
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(screen.contains("loose sensor cable"), "the whole outcome, wrapped:\n\(screen)")
        #expect(screen.contains("Chain c-p-1"))
        _ = state.handle(.escape, at: 1, snapshot: plant)
        #expect(state.detail == nil && state.focus == .events)
    }

    @Test func detailViewsWrapRatherThanCut() {
        var plant = plant
        let index = plant.approvals.firstIndex { $0.id == "p-1" }!
        plant.approvals[index].proposal.rationale = "vibration 7.4 mm/s above the 7.1 alarm limit for 4 minutes and still climbing at 0.3 mm/s a minute; bearing wear likely"
        var state = ConsoleState(person: Fixtures.supervisor)
        state.detail = .approval("p-1")
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 40))
        let box = screen.split(separator: "\n").dropFirst(2).prefix(30)
        #expect(!box.contains { $0.contains("…") }, "nothing cut in the detail:\n\(screen)")
        #expect(screen.contains("bearing wear likely") && screen.contains("may decide:") && screen.contains("  supervisor "), "\(screen)")
    }

    @Test func anApprovalRowKeepsActionAndTargetApart() {
        var plant = plant
        let index = plant.approvals.firstIndex { $0.id == "p-3" }!
        plant.approvals[index].proposal.action = .scheduleMaintenance
        let screen = Screenshot.render(snapshot: plant, state: ConsoleState(person: Fixtures.supervisor), size: TerminalSize(columns: 80, rows: 24))
        #expect(screen.contains("schedule_maintenance A2"), "\(screen)")
    }
}

/// The cells pane uses the room it has, and a filter never keeps a row for a reason the row does not show.
@Suite struct CellsRoomTests {
    @Test func atOneTwentyByFortyTheCellsPaneShowsNamesAgeATrendAndTheAlarmsInView() {
        let plant = Fixtures.smallPlant()
        let screen = Screenshot.render(snapshot: plant, state: ConsoleState(person: Fixtures.supervisor), size: TerminalSize(columns: 120, rows: 40))
        #expect(screen.contains("│>A1    ● EXEC     81%   1s"), "data age beside the OEE:\n\(screen)")
        #expect(screen.contains("Cell A1"), "the cell's name where there is no alarm to show")
        #expect(screen.contains("In alarm") && screen.contains(" ▲1 C5    bearing temp TRIP  UNACK"), "the spare rows show the alarms in view:\n\(screen)")
        #expect(screen.contains("▁") || screen.contains("▂"), "a small trend")
    }

    @Test func aRowKeptForItsNameShowsTheName() {
        var plant = Fixtures.smallPlant()
        // B2 shows its alarm where a cell without one shows its name.
        let index = plant.cells.firstIndex { $0.id == "B2" }!
        plant.cells[index].name = "Stamping press"
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = state.handle(.character("/"), at: 0, snapshot: plant)
        for character in "stamp" { _ = state.handle(.character(character), at: 0, snapshot: plant) }
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(screen.contains("B2    ▲ HELD     48%   1s ▂▂▃▁▁▁▂▂ ▲2 vibration HI  Stamping press"), "\(screen)")
    }
}
