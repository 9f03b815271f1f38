import AndonCore

/// A yes/no question before a dangerous act; focus starts on No.
public struct ConfirmationDialog: Hashable, Sendable {
    /// What answering yes does.
    public enum Subject: Hashable, Sendable {
        /// Approve a pending approval.
        case approve(approvalID: String)
        /// Turn the kill switch on or off.
        case killSwitch(on: Bool)
        /// Leave the console while approvals wait.
        case quit
    }

    /// Which button has focus.
    public enum Focus: Hashable, Sendable { case no, yes }

    /// What yes does.
    public var subject: Subject
    /// The dialog's title.
    public var title: String
    /// The action, in words (`stop_cell`).
    public var action: String
    /// What it acts on (`B2`).
    public var target: String
    /// How dangerous it is.
    public var risk: RiskClass
    /// What carrying it out means.
    public var consequence: String
    /// The focused button; starts on No.
    public var focus: Focus = .no
    /// What has been typed, where the target id must be typed.
    public var typed = ""
    /// True when yes goes on to ask for the person's signing passphrase (the rule requires a signature).
    public var requiresSignature = false

    /// Creates a confirmation with focus on No.
    public init(subject: Subject, title: String, action: String, target: String, risk: RiskClass, consequence: String) {
        self.subject = subject
        self.title = title
        self.action = action
        self.target = target
        self.risk = risk
        self.consequence = consequence
    }

    /// The question for approving `approval`.
    public static func approving(_ approval: ApprovalSnapshot) -> ConfirmationDialog {
        let proposal = approval.proposal
        var dialog = ConfirmationDialog(subject: .approve(approvalID: approval.id), title: "Approve \(proposal.action.rawValue) on \(proposal.target)?",
                                        action: proposal.action.rawValue + Self.parameterText(proposal), target: proposal.target,
                                        risk: proposal.risk, consequence: proposal.action.consequence)
        dialog.requiresSignature = approval.decision.requirement?.signatureRequired ?? false
        return dialog
    }

    /// The question for the kill switch.
    public static func killSwitch(turningOn on: Bool) -> ConfirmationDialog {
        ConfirmationDialog(subject: .killSwitch(on: on), title: on ? "Kill switch: every agent to shadow mode?" : "Release the kill switch?",
                     action: on ? "kill switch on" : "kill switch off", target: "all agents", risk: .high,
                     consequence: on ? "agents keep proposing but nothing they propose is executed or queued"
                                     : "agents return to their configured modes and may act again")
    }

    /// The question before leaving a console while `pending` approvals wait (riskiest first).
    public static func quitting(with pending: [ApprovalSnapshot], now: SimTime) -> ConfirmationDialog {
        let soonest = pending.min { $0.deadline < $1.deadline }
        let next = soonest.map { "; the nearest deadline is \(Format.countdown($0.deadline - now)) (\($0.proposal.action.rawValue) \($0.proposal.target))" } ?? ""
        let count = pending.count == 1 ? "1 approval waits" : "\(pending.count) approvals wait"
        return ConfirmationDialog(subject: .quit, title: "Quit with \(pending.count) pending?", action: "quit the console", target: "this console",
                                  risk: .medium, consequence: "\(count) for a decision\(next); nobody at this console will see them")
    }

    /// True when the target id must be typed before Enter approves.
    public var requiresTypedTarget: Bool { risk == .critical }
    /// True when Enter on Yes approves; high and critical take more.
    public var enterApproves: Bool { risk < .high }

    /// What yes does, as a verb phrase: `approve`, `turn the kill switch on`.
    public var verb: String {
        switch subject {
        case .approve: "approve"
        case let .killSwitch(on): on ? "turn the kill switch on" : "release the kill switch"
        case .quit: "quit"
        }
    }

    /// How to say yes, in words, for the dialog's last line.
    public var howToConfirm: String {
        let verb = requiresSignature ? "sign" : verb
        return switch risk {
        case .critical: "type \(target) and press Enter to \(verb) · Esc cancels"
        case .high: "press y to \(verb) · n or Esc cancels"
        case .low, .medium: "y or Enter on Yes: \(verb) · n or Esc cancels"
        }
    }

    private static func parameterText(_ proposal: Proposal) -> String {
        guard !proposal.parameters.isEmpty else { return "" }
        let parts = proposal.parameters.keys.sorted().map { key in
            let value = proposal.parameters[key]!
            return "\(key) \(value == value.rounded() ? String(Int(value)) : String(value))"
        }
        return " (" + parts.joined(separator: ", ") + ")"
    }
}
