import AndonCore
import Testing
@testable import AndonConsole

/// The rules that make approving hard to do by accident.
@Suite struct ApprovalConfirmationTests {
    let plant = Fixtures.smallPlant()

    /// A state with the approvals pane focused and the cursor on `id`.
    func state(selecting id: String) -> ConsoleState {
        var state = ConsoleState(person: Fixtures.supervisor)
        state.focus = .approvals
        state.selectedApprovalID = id
        return state
    }

    func confirmation(_ state: ConsoleState) -> ConfirmationDialog? {
        if case let .confirm(confirmation) = state.mode { return confirmation }
        return nil
    }

    @Test func pendingApprovalsAreOrderedByRiskThenDeadline() {
        #expect(plant.pendingApprovals.map(\.id) == ["p-2", "p-1", "p-3"])
    }

    @Test func focusStartsOnNoAndTheDialogNamesActionTargetRiskAndConsequence() throws {
        var state = state(selecting: "p-1")
        #expect(state.handle(.character("a"), at: 0, snapshot: plant).isEmpty)
        let dialog = try #require(confirmation(state))
        #expect(dialog.focus == .no)
        #expect(dialog.action == "stop_cell" && dialog.target == "B2" && dialog.risk == .high)
        #expect(dialog.consequence == ActionKind.stopCell.consequence)
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(screen.contains("stop_cell") && screen.contains("HIGH") && screen.contains("[ No ]"))
    }

    @Test func enterOnNoSendsNothing() {
        var state = state(selecting: "p-3")
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        #expect(state.handle(.enter, at: 1, snapshot: plant).isEmpty)
        #expect(state.mode == .normal)
        #expect(state.inFlight.isEmpty)
    }

    @Test func enterOnYesApprovesAMediumAction() {
        var state = state(selecting: "p-3")
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        _ = state.handle(.tab, at: 0.5, snapshot: plant)
        #expect(state.handle(.enter, at: 1, snapshot: plant) == [.send(.approve(approvalID: "p-3"))])
    }

    @Test func enterNeverApprovesAHighAction() {
        var state = state(selecting: "p-1")
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        _ = state.handle(.tab, at: 0.5, snapshot: plant)
        #expect(confirmation(state)?.focus == .yes)
        #expect(state.handle(.enter, at: 1, snapshot: plant).isEmpty)
        #expect(state.handle(.enter, at: 2, snapshot: plant).isEmpty)
        #expect(confirmation(state) != nil, "the dialog stays open")
        #expect(state.message?.text.contains("press y") == true)
    }

    @Test func yApprovesAHighAction() {
        var state = state(selecting: "p-1")
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        #expect(state.handle(.character("y"), at: 1, snapshot: plant) == [.send(.approve(approvalID: "p-1"))])
        #expect(state.inFlight == ["p-1"])
    }

    @Test func aCriticalActionNeedsTheTypedTargetID() {
        var state = state(selecting: "p-2")
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        #expect(state.handle(.character("y"), at: 1, snapshot: plant).isEmpty, "y is typed, not taken as yes")
        #expect(state.handle(.enter, at: 2, snapshot: plant).isEmpty, "y is not the target id")
        _ = state.handle(.backspace, at: 3, snapshot: plant)
        _ = state.handle(.tab, at: 3.5, snapshot: plant)
        #expect(state.handle(.enter, at: 4, snapshot: plant).isEmpty, "Enter alone never approves critical, even on Yes")
        _ = state.handle(.character("C"), at: 5, snapshot: plant)
        _ = state.handle(.character("5"), at: 6, snapshot: plant)
        #expect(state.handle(.enter, at: 7, snapshot: plant) == [.send(.approve(approvalID: "p-2"))])
    }

    @Test func autoRepeatWithinTheWindowDoesNotSendTwice() {
        var state = state(selecting: "p-3")
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        _ = state.handle(.tab, at: 0.5, snapshot: plant)
        #expect(state.handle(.enter, at: 1.0, snapshot: plant).count == 1)
        // The runtime answers fast; the approval is no longer in flight.
        state.receive(.refused("refused: try again"), for: .approve(approvalID: "p-3"))
        _ = state.handle(.character("a"), at: 1.05, snapshot: plant)
        _ = state.handle(.tab, at: 1.1, snapshot: plant)
        #expect(state.handle(.enter, at: 1.15, snapshot: plant).isEmpty, "a repeated Enter within 300 ms is ignored")
        // A repeated `a` is ignored too.
        state.mode = .normal
        _ = state.handle(.character("a"), at: 5.0, snapshot: plant)
        state.mode = .normal
        _ = state.handle(.character("a"), at: 5.1, snapshot: plant)
        #expect(state.mode == .normal)
    }

    /// `y` approves, then `q` and `y` quit at once: the quit question's `y` approves nothing, so it is not taken for
    /// an auto-repeat of the first, however close the console's loop takes them.
    @Test func aQuitSoonAfterAnApprovalIsTakenAtOnce() {
        var state = state(selecting: "p-1")
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        #expect(state.handle(.character("y"), at: 1, snapshot: plant) == [.send(.approve(approvalID: "p-1"))])
        _ = state.handle(.character("q"), at: 1.05, snapshot: plant)
        #expect(state.handle(.character("y"), at: 1.1, snapshot: plant) == [.quit], "the quit question's y is an answer")
    }

    @Test func anApprovalInFlightIsNotSentAgain() {
        var state = state(selecting: "p-1")
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        #expect(state.handle(.character("y"), at: 1, snapshot: plant).count == 1)
        _ = state.handle(.character("a"), at: 2, snapshot: plant)
        #expect(state.mode == .normal, "no dialog for an approval already sent")
        #expect(state.message?.text.contains("already sent") == true)
        // A dialog that was open when the approval went out sends nothing either.
        state.mode = .confirm(.approving(plant.approvals.first { $0.id == "p-1" }!))
        #expect(state.handle(.character("y"), at: 3, snapshot: plant).isEmpty)
        // The answer shows at once and clears the flag.
        state.receive(.accepted("approved stop_cell of B2 as supervisor"), for: .approve(approvalID: "p-1"))
        #expect(state.inFlight.isEmpty)
        #expect(state.message == StatusMessage("approved stop_cell of B2 as supervisor", tone: .accepted))
    }

    @Test func aDecidedApprovalIsNotSent() {
        var decided = plant
        decided.approvals = decided.approvals.map { var a = $0; a.state = .approved; a.outcome = "approved by ben at 01:01:00"; return a }
        var state = state(selecting: "p-1")
        state.mode = .confirm(.approving(plant.approvals.first { $0.id == "p-1" }!))
        #expect(state.handle(.character("y"), at: 1, snapshot: decided).isEmpty)
        #expect(state.message?.text == "already approved by ben at 01:01:00")
    }

    @Test func rejectRequiresAReasonWhenThePolicySaysSo() {
        var state = state(selecting: "p-1")
        _ = state.handle(.character("r"), at: 0, snapshot: plant)
        #expect(state.handle(.enter, at: 1, snapshot: plant).isEmpty)
        #expect(state.message?.tone == .refused)
        for character in "sensor fault" { _ = state.handle(.character(character), at: 2, snapshot: plant) }
        #expect(state.handle(.enter, at: 3, snapshot: plant) == [.send(.reject(approvalID: "p-1", reason: "sensor fault"))])
    }

    @Test func rejectWithoutAReasonWhereNoneIsRequired() {
        var state = state(selecting: "p-3")
        _ = state.handle(.character("r"), at: 0, snapshot: plant)
        #expect(state.handle(.enter, at: 1, snapshot: plant) == [.send(.reject(approvalID: "p-3", reason: ""))])
    }

    @Test func killSwitchNeedsAnExplicitYes() {
        var state = ConsoleState(person: Fixtures.supervisor)
        _ = state.handle(.character("K"), at: 0, snapshot: plant)
        #expect(confirmation(state)?.focus == .no)
        _ = state.handle(.tab, at: 1, snapshot: plant)
        #expect(state.handle(.enter, at: 2, snapshot: plant).isEmpty)
        #expect(state.handle(.character("y"), at: 3, snapshot: plant) == [.send(.killSwitch(on: true, agentID: nil))])
    }

    @Test func theCursorStaysOnTheSameApprovalWhenAnotherIsDecided() {
        var state = state(selecting: "p-1")
        _ = state.handle(.down, at: 0, snapshot: plant)
        #expect(state.selectedApproval(in: plant)?.id == "p-3")
        var later = plant
        later.approvals.removeAll { $0.id == "p-2" }
        #expect(state.selectedApproval(in: later)?.id == "p-3")
    }
}
