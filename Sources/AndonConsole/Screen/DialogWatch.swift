import AndonCore

/// A dialog about an approval is only as good as the approval: when it is decided elsewhere, runs out or is withdrawn,
/// the dialog closes and says why, rather than waiting for a `y` that can no longer mean anything.
extension ConsoleState {
    /// The approval an open dialog or reason prompt is about.
    var dialogApprovalID: String? {
        switch mode {
        case let .confirm(dialog): if case let .approve(id) = dialog.subject { return id }
        case let .rejectReason(prompt): return prompt.approvalID
        case let .signature(prompt): return prompt.approvalID
        default: break
        }
        return nil
    }

    /// Closes the approve dialog or reject prompt when `snapshot` shows its approval decided, expired or withdrawn (or
    /// gone), saying why.
    mutating func closeDialogOnDecision(_ snapshot: PlantSnapshot) {
        guard let id = dialogApprovalID else { return }
        let approval = snapshot.approvals.first { $0.id == id }
        guard approval?.state != .pending else { return }
        mode = .normal
        guard let approval else {
            message = StatusMessage("dialog closed: approval \(id) is no longer pending", tone: .refused)
            return
        }
        let what = "\(approval.proposal.action.rawValue) on \(approval.proposal.target)"
        let why: String = switch approval.state {
        case .expired: "ran out of time" + (approval.outcome.map { " (\($0))" } ?? "")
        case .withdrawn: "was withdrawn: the agent's condition cleared" + (approval.outcome.map { " (\($0))" } ?? "")
        default: approval.outcome ?? approval.state.rawValue
        }
        message = StatusMessage("dialog closed, nothing sent: \(what) \(why)", tone: .refused)
    }

    /// Why `person` may not decide `approval`, from the roles and signatures the snapshot carries; nil when they may
    /// (the runtime still decides).
    func refusal(toDecide approval: ApprovalSnapshot, approving: Bool) -> String? {
        let what = "\(approval.proposal.action.rawValue) on \(approval.proposal.target)"
        if !approval.roles.contains(person.role) {
            let roles = approval.roles.map(\.rawValue).joined(separator: " or ")
            return "refused: \(what) needs a \(roles); \(person.name) is \(person.role.rawValue)"
        }
        if approving, approval.decision.requirement?.distinct == true, approval.signatures.contains(where: { $0.person.name == person.name }) {
            return "refused: \(person.name) has already approved \(what); another person must sign (four-eyes)"
        }
        return nil
    }
}
