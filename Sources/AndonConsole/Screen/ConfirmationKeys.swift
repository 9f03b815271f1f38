import AndonCore
import Foundation

extension ConsoleState {
    /// Keys while a confirmation is open: only an explicit yes sends anything.
    mutating func handleConfirmation(_ key: Key, _ confirmation: ConfirmationDialog, snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        var dialog = confirmation
        switch key {
        case .escape, .interrupt:
            return cancel()
        case .tab, .backTab, .left, .right:
            dialog.focus = dialog.focus == .no ? .yes : .no
        case .backspace, .delete:
            if !dialog.typed.isEmpty { dialog.typed.removeLast() }
        case .enter:
            if dialog.requiresTypedTarget {
                if dialog.typed == dialog.target { return confirm(dialog, snapshot: snapshot) }
                message = StatusMessage("type \(dialog.target) exactly to \(dialog.verb): a critical action", tone: .refused)
            } else if dialog.focus == .no {
                return cancel()
            } else if dialog.enterApproves {
                return confirm(dialog, snapshot: snapshot)
            } else {
                message = StatusMessage("\(dialog.risk.rawValue) risk: Enter does not \(dialog.verb); press y", tone: .refused)
            }
        case let .character(character):
            if dialog.requiresTypedTarget {
                dialog.typed.append(character)
            } else if character == "y" || character == "Y" {
                return confirm(dialog, snapshot: snapshot)
            } else if character == "n" || character == "N" || character == "q" {
                return cancel()
            } else if character == "h" || character == "l" {
                dialog.focus = dialog.focus == .no ? .yes : .no
            }
        default:
            break
        }
        mode = .confirm(dialog)
        return []
    }

    private mutating func cancel() -> [ConsoleEffect] {
        if case let .confirm(dialog) = mode, dialog.subject == .quit {
            mode = .normal
            message = StatusMessage("still here")
            return []
        }
        mode = .normal
        message = StatusMessage("cancelled; nothing sent")
        return []
    }

    private mutating func confirm(_ dialog: ConfirmationDialog, snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        mode = .normal
        switch dialog.subject {
        case let .approve(id):
            if inFlight.contains(id) {
                message = StatusMessage("approval of \(dialog.target) already sent; waiting for the runtime")
                return []
            }
            if let approval = snapshot?.approvals.first(where: { $0.id == id }), approval.state.isFinal {
                message = StatusMessage("already \(approval.outcome ?? approval.state.rawValue)", tone: .refused)
                return []
            }
            if dialog.requiresSignature {
                mode = .signature(SignPrompt(approvalID: id, summary: "\(dialog.action) on \(dialog.target)"))
                message = StatusMessage("type your signing passphrase (not shown) and press Enter")
                return []
            }
            inFlight.insert(id)
            message = StatusMessage("sending approval of \(dialog.action) on \(dialog.target)…")
            return [.send(.approve(approvalID: id))]
        case let .killSwitch(on):
            message = StatusMessage(on ? "sending kill switch on…" : "sending kill switch off…")
            return [.send(.killSwitch(on: on, agentID: nil))]
        case .quit:
            return [.quit]
        }
    }

    /// Keys while a signing passphrase is typed: nothing of it is drawn; Enter sends it with the approval, and the
    /// prompt forgets it either way.
    mutating func handleSignature(_ key: Key, _ prompt: SignPrompt) -> [ConsoleEffect] {
        var prompt = prompt
        switch key {
        case .escape, .interrupt:
            mode = .normal
            message = StatusMessage("signing cancelled; nothing sent")
            return []
        case .backspace, .delete:
            if !prompt.passphrase.isEmpty {
                // One character back, however many bytes it took.
                var text = String(decoding: prompt.passphrase.bytes, as: UTF8.self)
                text.removeLast()
                prompt.passphrase = Passphrase(text)
            }
        case let .character(character):
            prompt.passphrase = Passphrase(bytes: prompt.passphrase.bytes + Array(String(character).utf8))
        case .enter:
            guard !prompt.passphrase.isEmpty else {
                message = StatusMessage("a signature needs your signing passphrase; Esc cancels", tone: .refused)
                break
            }
            return sendDecision(on: prompt.approvalID, summary: prompt.summary, saying: "signed approval",
                                .sign(approvalID: prompt.approvalID, passphrase: prompt.passphrase))
        default:
            break
        }
        mode = .signature(prompt)
        return []
    }

    /// Keys while a rejection reason is typed.
    mutating func handleRejectReason(_ key: Key, _ prompt: RejectPrompt) -> [ConsoleEffect] {
        var prompt = prompt
        switch key {
        case .escape, .interrupt:
            mode = .normal
            message = StatusMessage("rejection cancelled; nothing sent")
            return []
        case .backspace, .delete:
            if !prompt.reason.isEmpty { prompt.reason.removeLast() }
        case let .character(character):
            prompt.reason.append(character)
        case .enter:
            let reason = prompt.reason.trimmingCharacters(in: .whitespaces)
            if reason.isEmpty && prompt.isReasonRequired {
                message = StatusMessage("the policy requires a reason to reject \(prompt.summary)", tone: .refused)
                break
            }
            return sendDecision(on: prompt.approvalID, summary: prompt.summary, saying: "rejection",
                                .reject(approvalID: prompt.approvalID, reason: reason))
        default:
            break
        }
        mode = .rejectReason(prompt)
        return []
    }

    /// Leaves the prompt and sends a decision typed into it, unless one on that approval is already on its way.
    private mutating func sendDecision(on approvalID: String, summary: String, saying what: String, _ command: OperatorCommand) -> [ConsoleEffect] {
        mode = .normal
        if inFlight.contains(approvalID) {
            message = StatusMessage("a decision on \(summary) is already on its way")
            return []
        }
        inFlight.insert(approvalID)
        message = StatusMessage("sending \(what) of \(summary)…")
        return [.send(command)]
    }
}
