import AndonCore

/// Level 2 for one event of the log, in full: when, what, which cell, its chain, and everything its body says, wrapped.
struct EventDetail {
    let context: FrameContext
    let event: EventEnvelope

    /// The lines for a view `width` columns wide.
    func text(width: Int) -> DetailText {
        var text = DetailText()
        text.add(Segment(event.body.kindName + "  ", .title), Segment(Format.clock(event.time), .text),
                 Segment("  cell \(event.cell ?? "-")  #\(event.sequence)  chain \(event.correlationID)", .muted))
        text.wrapped(EventText.describe(event.body, glyphs: context.glyphs), width: width, role: role)
        switch event.body {
        case let .proposal(proposal):
            text.heading("Proposal \(proposal.id)")
            text.add(Segment("  \(proposal.action.rawValue) on \(proposal.target)", .title), Segment("  line \(proposal.line) · ", .muted),
                     Segment(Format.risk(proposal.risk), .risk(proposal.risk)), Segment(proposal.isShadow ? "  SHADOW" : "", .muted))
            text.add(Segment("  by \(proposal.proposerText) · key \(TerminalText.printable(proposal.idempotencyKey))", .muted))
            if !proposal.parameters.isEmpty {
                text.add(Segment("  " + proposal.parameters.keys.sorted().map { "\($0) \(Format.value(proposal.parameters[$0]!))" }.joined(separator: ", ")))
            }
            text.wrapped(proposal.rationale, width: width)
            let cell = context.live.cells.first { $0.id == proposal.target }
            for evidence in proposal.evidence { text.lines.append(EvidenceText.segments(evidence, cell: cell)) }
        case let .decision(decision):
            text.heading("Decision: \(decision.outcome.rawValue)" + (decision.isShadow ? " (shadow)" : ""))
            for (index, rule) in decision.ruleIDs.enumerated() {
                text.add(Segment("  " + rule, .title))
                if index < decision.reasons.count { text.wrapped(decision.reasons[index], width: width, indent: "    ") }
            }
            if decision.ruleIDs.isEmpty { text.wrapped(decision.reasons.joined(separator: "; "), width: width) }
            if let requirement = decision.requirement {
                let roles = requirement.roles.map(\.rawValue).joined(separator: " or ")
                text.wrapped("approval by \(roles), \(requirement.quorum) needed\(requirement.distinct ? " (different people)" : ""), "
                             + "within \(Format.countdown(requirement.timeoutSeconds)), then \(requirement.onTimeout.rawValue)", width: width, role: .muted)
            }
            text.add(Segment("  policy \(decision.policyVersion) \(decision.policyHash.prefix(12))", .muted))
        case let .approval(change):
            text.heading("Approval \(change.approvalID): \(change.state.rawValue)")
            text.wrapped(change.detail, width: width)
            if let actor = change.actor { text.add(Segment("  by \(actor.label)", .muted)) }
        case let .operatorCommand(person, command, outcome):
            text.heading("\(person.label): \(command)")
            text.wrapped(outcome, width: width)
        case let .alarm(change):
            text.heading("Alarm \(change.tag)")
            text.add(Segment("  " + context.glyphs.alarmMark(change.priority) + " " + change.message, .alarm(change.priority)),
                     Segment("  " + change.state.word, .muted))
        default:
            break
        }
        text.heading("Chain \(event.correlationID)")
        let chain = context.state.events.chain(event.correlationID)
        for other in chain.suffix(12) { text.lines.append(EventText.segments(other, glyphs: context.glyphs)) }
        return text
    }

    private var role: StyleRole {
        if case let .alarm(change) = event.body, change.state.isActive { return .alarm(change.priority) }
        return .text
    }
}
