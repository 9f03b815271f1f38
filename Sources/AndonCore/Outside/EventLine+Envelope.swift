extension EventLine {
    /// An event in words, as an outside agent reads it.
    public init(_ envelope: EventEnvelope) {
        let text: String
        switch envelope.body {
        case let .telemetry(frame):
            text = "telemetry of \(frame.cell): \(frame.readings.map { String($0) }.joined(separator: ", "))"
        case let .stateChanged(change):
            text = "\(envelope.cell ?? "cell") \(change.from.rawValue) → \(change.to.rawValue) (\(change.reason.rawValue))"
        case let .alarm(change):
            text = "alarm \(change.tag) P\(change.priority) \(change.state.rawValue): \(change.message)"
        case let .proposal(proposal):
            text = "proposal \(proposal.id) by \(proposal.agentID) (\(proposal.agentKind.rawValue)): \(proposal.action.rawValue) of \(proposal.target), "
                + "risk \(proposal.risk.rawValue)\(proposal.isShadow ? ", shadow" : "")"
        case let .decision(decision):
            text = "decision on \(decision.proposalID): \(decision.outcome.rawValue)"
                + (decision.ruleIDs.isEmpty ? " (no rule matched: default deny)" : " by \(decision.ruleIDs.joined(separator: ", "))")
        case let .approval(change):
            text = "approval \(change.approvalID) \(change.state.rawValue): \(change.detail)"
        case let .action(execution):
            text = "\(execution.action.rawValue) of \(execution.target) \(execution.applied ? "executed" : "not executed (key already applied)") for \(execution.proposalID)"
        case let .operatorCommand(person, command, outcome):
            text = "\(person.name) \(command): \(outcome)"
        case let .notice(kind, message):
            text = "\(kind): \(message)"
        }
        self.init(sequence: envelope.sequence, time: envelope.time, cell: envelope.cell, kind: envelope.body.kindName, text: text)
    }
}
