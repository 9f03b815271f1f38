import AndonCore
import Testing
@testable import AndonConsole

/// Freezing holds the cell and event views only; an approval's dialog follows the live plant and closes when the
/// approval is decided elsewhere; what a person may not do is refused before any dialog.
@Suite struct LiveDialogTests {
    let plant = Fixtures.smallPlant()

    /// The plant `seconds` later: B2 recovered, a new ▲2 alarm on A1.
    func later(by seconds: Double) -> PlantSnapshot {
        var plant = plant
        plant.time += seconds
        let b2 = plant.cells.firstIndex { $0.id == "B2" }!
        plant.cells[b2].shiftOEE = Fixtures.oee(0.99)
        let a1 = plant.cells.firstIndex { $0.id == "A1" }!
        let alarm = Fixtures.alarm("A1.spindle_vibration.HIHI", 2, "spindle_vibration very high")
        plant.cells[a1].alarms = [alarm]
        plant.cells[a1].topAlarm = alarm
        plant.cells[a1].activeAlarms = 1
        return plant
    }

    /// `plant` with approval `id` in `state`, as the runtime reports it once final.
    func plant(_ id: String, _ state: ApprovalState, _ outcome: String) -> PlantSnapshot {
        var plant = plant
        let index = plant.approvals.firstIndex { $0.id == id }!
        plant.approvals[index].state = state
        plant.approvals[index].outcome = outcome
        return plant
    }

    func approving(_ id: String, as person: Person = Fixtures.supervisor) -> ConsoleState {
        var state = ConsoleState(person: person)
        state.focus = .approvals
        state.selectedApprovalID = id
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        return state
    }

    @Test func freezingHoldsTheCellViewsWhileApprovalsDeadlinesAndNewAlarmsStayLive() {
        var state = ConsoleState(person: Fixtures.supervisor)
        for event in Fixtures.events() { state.receive(event) }
        _ = state.handle(.character("p"), at: 0, snapshot: plant)
        let live = later(by: 60)
        state.receive(EventEnvelope(sequence: 7, time: 3780, cell: "A1", correlationID: CorrelationID("c-12"),
                                    body: .notice(kind: "incident", message: "A1 spindle rough")))
        state.observe(live)
        let screen = Screenshot.render(snapshot: live, state: state, size: TerminalSize(columns: 120, rows: 40))
        #expect(screen.contains("FROZEN"))
        #expect(screen.contains("B2    ▲ HELD     48%"), "the cells stay as they were:\n\(screen)")
        #expect(screen.contains("stop_cell            B2      1:41"), "the deadline keeps running:\n\(screen)")
        #expect(screen.contains("▲1 1 ▲2 2 ▲3 1"), "new alarms count at once:\n\(screen)")
        #expect(!screen.contains("A1 spindle rough"), "the event log stays frozen")
        _ = state.handle(.character("L"), at: 1, snapshot: live)
        #expect(Screenshot.render(snapshot: live, state: state, size: TerminalSize(columns: 120, rows: 40)).contains("A1.spindle_vibration.HIHI")
                || state.alarmRows(live).contains { $0.tag == "A1.spindle_vibration.HIHI" }, "the alarm list is live")
        _ = state.handle(.escape, at: 2, snapshot: live)
        _ = state.handle(.character("p"), at: 3, snapshot: live)
        #expect(Screenshot.render(snapshot: live, state: state, size: TerminalSize(columns: 120, rows: 40)).contains("B2    ▲ HELD     99%"))
    }

    @Test func theApproveDialogShowsTimeLeftTheEvidenceAgainstItsLimitAndTheCellAlreadyHeld() {
        var state = approving("p-1")
        let first = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(first.contains("time left    2:41"), "\(first)")
        #expect(first.contains("spindle_vibration (E… 7.4 mm/s  alarm limit 7.1 (+4%)  now 7.4 mm/s"), "\(first)")
        #expect(first.contains("B2 is already ▲ HELD (fault) since 00:58:20"), "\(first)")
        let later = later(by: 30)
        state.observe(later)
        #expect(Screenshot.render(snapshot: later, state: state, size: TerminalSize(columns: 80, rows: 24)).contains("time left    2:11"))
        #expect(state.mode != .normal, "still open while pending")
    }

    @Test(arguments: [(ApprovalState.approved, "approved by dana (supervisor)", "approved by dana (supervisor)"),
                      (.expired, "expired: rejected on timeout", "ran out of time"),
                      (.withdrawn, "withdrawn: vibration back under its limit", "was withdrawn"),
                      (.rejected, "rejected by ben (operator): not now", "rejected by ben")])
    func theDialogClosesSayingWhyWhenTheApprovalIsSettledElsewhere(state final: ApprovalState, outcome: String, said: String) {
        var state = approving("p-1")
        state.observe(plant("p-1", final, outcome))
        #expect(state.mode == .normal)
        #expect(state.message?.tone == .refused)
        #expect(state.message?.text.hasPrefix("dialog closed, nothing sent: stop_cell on B2") == true)
        #expect(state.message?.text.contains(said) == true, "\(state.message?.text ?? "")")
        var rejecting = ConsoleState(person: Fixtures.supervisor)
        rejecting.focus = .approvals
        rejecting.selectedApprovalID = "p-3"
        _ = rejecting.handle(.character("r"), at: 0, snapshot: plant)
        rejecting.observe(plant("p-3", final, outcome))
        #expect(rejecting.mode == .normal, "the reject prompt closes too")
    }

    @Test func aDecisionThePersonMayNotMakeIsRefusedBeforeTheDialog() {
        let ben = Person(name: "ben", role: .operator)
        let state = approving("p-1", as: ben)
        #expect(state.mode == .normal)
        #expect(state.message == StatusMessage("refused: stop_cell on B2 needs a supervisor; ben is operator", tone: .refused))
        var signer = approving("p-1", as: Person(name: "ben", role: .supervisor))
        #expect(signer.mode == .normal)
        #expect(signer.message?.text == "refused: ben has already approved stop_cell on B2; another person must sign (four-eyes)")
        _ = signer.handle(.character("r"), at: 5, snapshot: plant)
        #expect(signer.mode != .normal, "rejecting is not a second signature")
        var observer = ConsoleState(person: Fixtures.observer)
        #expect(observer.handle(.character("K"), at: 0, snapshot: plant).isEmpty)
        #expect(observer.mode == .normal)
        #expect(observer.message?.text == "refused: only supervisors may use the kill switch; olga is observer")
    }
}
