import AndonCore
import Testing
@testable import AndonConsole

/// The alarm list and acting on one alarm: what is shown, what each key sends, and what is refused before any prompt.
@Suite struct AlarmListTests {
    static let operatorBen = Person(name: "ben", role: .operator)
    static let engineer = Person(name: "chen", role: .engineer)

    /// The small plant, with a shelved alarm on A2, an alarm out of service on C1 and a returned one on B5.
    static func plant() -> PlantSnapshot {
        var plant = Fixtures.smallPlant()
        func set(_ id: String, _ alarms: [AlarmSummary]) {
            let index = plant.cells.firstIndex { $0.id == id }!
            plant.cells[index].alarms = alarms
            plant.cells[index].topAlarm = alarms.first { $0.state.isAnnunciated }
            plant.cells[index].activeAlarms = alarms.count { $0.state.isAnnunciated }
        }
        var shelved = Fixtures.alarm("A2.spindle_vibration.HI", 3, "spindle_vibration high", state: .shelved)
        shelved.shelvedUntil = Fixtures.now + 754
        shelved.note = "shelved by ben (operator): bearing being replaced"
        set("A2", [shelved])
        var out = Fixtures.alarm("C1.bearing_temp.HI", 3, "bearing_temp high", state: .outOfService)
        out.note = "out of service by chen (engineer): transmitter broken"
        set("C1", [out])
        set("B5", [Fixtures.alarm("B5.vibration.TRIP", 1, "vibration TRIP", state: .returnedUnacknowledged)])
        return plant
    }

    let plant = AlarmListTests.plant()

    func press(_ keys: [Key], on state: inout ConsoleState, at start: Double = 0) -> [ConsoleEffect] {
        var effects: [ConsoleEffect] = []
        for (index, key) in keys.enumerated() { effects += state.handle(key, at: start + Double(index), snapshot: plant) }
        return effects
    }

    func typing(_ text: String) -> [Key] { text.map { Key.character($0) } }

    @Test func theListShowsEveryAlarmOutOfNormalByPriorityThenTime() throws {
        var state = ConsoleState(person: Self.operatorBen)
        _ = press([.character("L")], on: &state)
        #expect(state.detail == .alarms)
        let tags = state.alarmRows(plant).map(\.tag)
        #expect(tags == ["B5.vibration.TRIP", "C5.temp.TRIP", "B2.vibration.HI", "A2.spindle_vibration.HI", "C6.load.WARN",
                         "C1.bearing_temp.HI"], "priority, newest first; out of service last")
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(screen.contains("RTN UNACK") && screen.contains("12:34 left") && screen.contains("OUT OF SERVICE"), "\(screen)")
        try assertSnapshot(screen, named: "alarm-list-80x24")
        try assertSnapshot(Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 120, rows: 40)), named: "alarm-list-120x40")
    }

    @Test func aReturnedUnacknowledgedAlarmIsInTheRowAndTheCellDetail() {
        var state = ConsoleState(person: Self.operatorBen)
        let overview = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(overview.contains("B5    ● EXEC      --  42s ▂▂▂▂▂▂▂▂ ▲1 vibration TRIP (cleared, unack)"), "\(overview)")
        state.detail = .cell("B5")
        let detail = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 120, rows: 40))
        #expect(detail.contains("B5.vibration.TRIP RTN UNACK since"))
        #expect(detail.contains("RTN UNACK") && !detail.contains("no alarm in view"))
    }

    @Test func oneAlarmIsAcknowledgedFromTheList() {
        var state = ConsoleState(person: Self.operatorBen)
        _ = press([.character("L"), .character("j")], on: &state)
        #expect(state.selectedAlarm(in: plant)?.tag == "C5.temp.TRIP")
        #expect(press([.character("A")], on: &state, at: 10) == [.send(.acknowledgeAlarm(tag: "C5.temp.TRIP"))])
        #expect(press([.character(":")] + typing("ack c6.load.warn") + [.enter], on: &state, at: 40) == [.send(.acknowledgeAlarm(tag: "C6.load.WARN"))])
    }

    @Test func shelvingTakesATimeAndAReason() {
        var state = ConsoleState(person: Self.operatorBen)
        _ = press([.character("L"), .character("j"), .character("j"), .character("S")], on: &state)
        guard case let .alarmPrompt(prompt) = state.mode else { Issue.record("no prompt: \(String(describing: state.message))"); return }
        #expect(prompt.tag == "B2.vibration.HI" && prompt.duration == "30m")
        #expect(press([.enter], on: &state, at: 10).isEmpty, "no reason, nothing sent")
        #expect(state.message?.text.hasPrefix("say why") == true)
        let effects = press(typing("sensor swap") + [.tab, .backspace, .backspace, .backspace] + typing("2h") + [.enter], on: &state, at: 20)
        #expect(effects == [.send(.shelveAlarm(tag: "B2.vibration.HI", seconds: 7200, reason: "sensor swap"))])
        #expect(state.mode == .normal)
        #expect(press([.character(":")] + typing("shelve c6.load.warn 15m flickers on vibration") + [.enter], on: &state, at: 60)
                == [.send(.shelveAlarm(tag: "C6.load.WARN", seconds: 900, reason: "flickers on vibration"))])
    }

    @Test func whatARoleMayNotDoIsRefusedBeforeAnyPrompt() {
        var observer = ConsoleState(person: Fixtures.observer)
        _ = press([.character("L"), .character("S")], on: &observer)
        #expect(observer.mode == .normal)
        #expect(observer.message?.text == "refused: only operator, supervisor may shelve alarms; olga is observer")
        #expect(press([.character("A")], on: &observer, at: 10).isEmpty)
        observer.selectedAlarmTag = "F4.data.STALE"
        _ = press([.character("S")], on: &observer, at: 15)
        #expect(observer.message?.text.hasPrefix("refused: only operator, supervisor may shelve") == true, "who may comes before which alarm")
        var engineer = ConsoleState(person: Self.engineer)
        _ = press([.character("L"), .character("S")], on: &engineer)
        #expect(engineer.mode == .normal && engineer.message?.tone == .refused)
        _ = press([.character("O")], on: &engineer, at: 10)
        guard case let .alarmPrompt(prompt) = engineer.mode else { Issue.record("no out-of-service prompt"); return }
        #expect(prompt.act == .removeFromService)
        #expect(press(typing("transmitter broken") + [.enter], on: &engineer, at: 20)
                == [.send(.setAlarmOutOfService(tag: "B5.vibration.TRIP", isOutOfService: true, reason: "transmitter broken"))])
        _ = press([.character("G")], on: &engineer, at: 60)
        #expect(press([.character("O")], on: &engineer, at: 61) == [.send(.setAlarmOutOfService(tag: "C1.bearing_temp.HI", isOutOfService: false, reason: ""))],
                "O on an alarm out of service returns it")
        #expect(press([.character("U")], on: &engineer, at: 62).isEmpty)
        #expect(engineer.message?.tone == .refused)
    }

    @Test func theListFiltersAndEscClearsTheFilterFirst() {
        var state = ConsoleState(person: Self.operatorBen)
        _ = press([.character("L"), .character("/")] + typing("trip") + [.enter], on: &state)
        #expect(state.alarmRows(plant).map(\.tag) == ["B5.vibration.TRIP", "C5.temp.TRIP"])
        #expect(state.filter.isEmpty, "the cells filter is untouched")
        _ = press([.escape], on: &state, at: 10)
        #expect(state.alarmFilter.isEmpty && state.detail == .alarms)
        _ = press([.escape], on: &state, at: 20)
        #expect(state.detail == nil)
    }

    @Test func ctrlCCancelsADialogAndQuittingWithApprovalsPendingAsksFirst() {
        var state = ConsoleState(person: Self.operatorBen)
        _ = press([.character("L"), .character("S")], on: &state)
        #expect(press([.interrupt], on: &state, at: 10).isEmpty)
        #expect(state.mode == .normal && state.detail == .alarms, "the prompt is cancelled, nothing else")
        #expect(press([.character("q")], on: &state, at: 20).isEmpty, "approvals are pending: it asks")
        guard case let .confirm(dialog) = state.mode else { Issue.record("no question"); return }
        #expect(dialog.subject == .quit && dialog.consequence.contains("3 approvals wait") && dialog.consequence.contains("0:25"))
        #expect(press([.interrupt], on: &state, at: 30).isEmpty)
        #expect(state.mode == .normal)
        _ = press([.interrupt], on: &state, at: 40)
        #expect(press([.character("y")], on: &state, at: 50) == [.quit])
        var quiet = plant
        quiet.approvals = []
        var idle = ConsoleState(person: Self.operatorBen)
        #expect(idle.handle(.interrupt, at: 0, snapshot: quiet) == [.quit], "nothing pending: Ctrl-C quits")
    }
}

extension AlarmListTests {
    @Test func theCellDetailCountsWhatAWillAcknowledge() {
        var plant = plant
        let index = plant.cells.firstIndex { $0.id == "B2" }!
        var seen = Fixtures.alarm("B2.vibration.HIHI", 2, "vibration very high", state: .acknowledged)
        seen.since = 3500
        plant.cells[index].alarms.append(seen)
        plant.cells[index].activeAlarms = 2
        var state = ConsoleState(person: Self.operatorBen)
        state.detail = .cell("B2")
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 120, rows: 40))
        #expect(screen.contains("2 in view, 1 to acknowledge (A)"), "\(screen)")
    }
}
