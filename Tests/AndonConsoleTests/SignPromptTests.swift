import AndonCore
import Testing
@testable import AndonConsole

/// An approval whose rule asks for a signature: after the confirmation the console asks for the signing passphrase,
/// never draws it, sends it only with Enter, forgets it on Esc, and is ready again once the runtime has answered.
@Suite struct SignPromptTests {
    let plant: PlantSnapshot = {
        var plant = Fixtures.smallPlant()
        plant.approvals = [Fixtures.approval("p-9", action: .stopCell, target: "B2", line: "B", risk: .high, deadline: 3900, quorum: 2,
                                             signatureRequired: true, rationale: "B2 near its trip limit")]
        return plant
    }()

    func confirmed() -> ConsoleState {
        var state = ConsoleState(person: Fixtures.supervisor)
        state.focus = .approvals
        state.selectedApprovalID = "p-9"
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        if case let .confirm(dialog) = state.mode {
            #expect(dialog.requiresSignature)
            #expect(dialog.howToConfirm.contains("sign"), "\(dialog.howToConfirm)")
        } else {
            Issue.record("the confirmation opens first: \(state.mode)")
        }
        #expect(state.handle(.character("y"), at: 1, snapshot: plant).isEmpty, "confirming alone sends nothing")
        return state
    }

    func type(_ text: String, into state: inout ConsoleState) {
        for character in text { _ = state.handle(.character(character), at: 2, snapshot: plant) }
    }

    @Test func thePassphraseIsAskedForNeverDrawnAndSentWithEnter() {
        var state = confirmed()
        guard case .signature = state.mode else {
            Issue.record("the signature prompt follows the confirmation: \(state.mode)")
            return
        }
        #expect(state.message?.text == "type your signing passphrase (not shown) and press Enter")
        type("s3cret-words", into: &state)
        let screen = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 120, rows: 40))
        #expect(screen.contains("Sign: approve stop_cell on B2"), "\(screen)")
        #expect(screen.contains("(not shown)"))
        #expect(!screen.contains("s3cret") && !screen.contains("************"), "neither the passphrase nor its length is drawn")
        let effects = state.handle(.enter, at: 3, snapshot: plant)
        #expect(effects == [.send(.sign(approvalID: "p-9", passphrase: Passphrase("s3cret-words")))])
        #expect(state.mode == .normal)
        #expect(state.inFlight.contains("p-9"))
        // A refusal (a wrong passphrase) frees the approval for another try.
        state.receive(.refused("refused: wrong signing passphrase for ana; 4 more tries before signing is locked"),
                      for: .sign(approvalID: "p-9", passphrase: Passphrase("s3cret-words")))
        #expect(!state.inFlight.contains("p-9"), "the console is ready for another try once the runtime has answered")
        #expect(state.message?.tone == .refused)
    }

    @Test func backspaceEditsAndAnEmptyPassphraseIsNotSent() {
        var state = confirmed()
        #expect(state.handle(.enter, at: 2, snapshot: plant).isEmpty)
        #expect(state.message?.text == "a signature needs your signing passphrase; Esc cancels")
        type("abcé", into: &state)
        _ = state.handle(.backspace, at: 2, snapshot: plant)
        type("d", into: &state)
        #expect(state.handle(.enter, at: 3, snapshot: plant) == [.send(.sign(approvalID: "p-9", passphrase: Passphrase("abcd")))],
                "backspace takes one character back, however many bytes it had")
    }

    @Test func escapeCancelsAndSendsNothing() {
        var state = confirmed()
        type("half typed", into: &state)
        #expect(state.handle(.escape, at: 2, snapshot: plant).isEmpty)
        #expect(state.mode == .normal)
        #expect(state.message?.text == "signing cancelled; nothing sent")
        #expect(!state.inFlight.contains("p-9"))
    }
}
