import AndonCore

/// Level 2 for one approval: rationale with evidence, the rules that asked for it, who approved, the correlation chain.
struct ApprovalDetail {
    let context: FrameContext
    let approval: ApprovalSnapshot

    /// The lines for a view `width` columns wide.
    func text(width: Int) -> DetailText {
        let proposal = approval.proposal, decision = approval.decision
        var text = DetailText()
        text.add(Segment(Format.risk(proposal.risk) + " ", .risk(proposal.risk)),
                 Segment(proposal.action.rawValue + " on " + proposal.target, .title),
                 Segment("  line \(proposal.line) · \(approval.id)", .muted))
        let left = approval.deadline - context.live.time
        var status = [Segment("state ", .muted), Segment(approval.state.rawValue)]
        if approval.state == .pending { status += [Segment("  time left ", .muted), Segment(Format.countdown(left), left < 30 ? .outcomeRefused : .text)] }
        status += [Segment("  approvals ", .muted), Segment("\(approval.signatures.count)/\(approval.quorum)")]
        if decision.requirement?.distinct == true { status.append(Segment(" (different people)", .muted)) }
        status += [Segment("  may decide: ", .muted), Segment(approval.roles.map(\.rawValue).joined(separator: ", "))]
        if approval.isEscalated { status.append(Segment("  ESCALATED", .risk(.high))) }
        if context.state.inFlight.contains(approval.id) { status.append(Segment("  decision sent…", .outcomeAccepted)) }
        text.lines.append(status)
        if let outcome = approval.outcome { text.add(Segment("outcome ", .muted), Segment(outcome)) }
        text.add(Segment("if approved: ", .muted), Segment(proposal.action.consequence))
        text.add(Segment("proposed by ", .muted), Segment(proposal.proposerText),
                 Segment(" at \(Format.clock(proposal.createdAt))", .muted), Segment(proposal.isShadow ? "  SHADOW" : "", .muted))

        text.heading("Rationale")
        text.wrapped(proposal.rationale, width: width)
        // Another runtime's cell is not this plant's cell of the same name.
        let cell = approval.runtime == nil ? context.live.cells.first { $0.id == proposal.target } : nil
        for evidence in proposal.evidence { text.lines.append(EvidenceText.segments(evidence, cell: cell, nameWidth: 26)) }
        if let down = EvidenceText.alreadyDown(cell, glyphs: context.glyphs) { text.lines.append(down) }
        if let runtime = approval.runtime {
            text.add(Segment("  asked by runtime \(runtime): deciding it here is on this runtime's record, and it runs there", .risk(.medium)))
        }
        if approval.isFromEarlierRun {
            text.add(Segment("  asked before the runtime restarted: this evidence is the earlier run's plant; look at the cell as it is now", .risk(.high)))
        }

        text.heading("Why it needs approval")
        for (index, rule) in decision.ruleIDs.enumerated() {
            let reason = index < decision.reasons.count ? decision.reasons[index] : ""
            text.add(Segment("  " + rule, .title), Segment("  " + reason))
        }
        if decision.ruleIDs.isEmpty { text.add(Segment("  no rule named (default)", .muted)) }
        if let requirement = decision.requirement {
            text.add(Segment("  on timeout: \(requirement.onTimeout.rawValue)" + (requirement.reasonRequired ? " · a rejection needs a reason" : ""), .muted))
        }
        text.add(Segment("  policy \(decision.policyVersion) \(decision.policyHash.prefix(12))", .muted))

        text.heading("Approved so far")
        for signature in approval.signatures {
            text.add(Segment("  " + signature.person.label), Segment(" at \(Format.clock(signature.at))", .muted))
        }
        if approval.signatures.isEmpty { text.add(Segment("  nobody yet", .muted)) }

        text.heading("Correlation chain \(proposal.correlationID)")
        let chain = context.state.events.chain(proposal.correlationID)
        for event in chain.suffix(12) { text.lines.append(EventText.segments(event, glyphs: context.glyphs)) }
        if chain.isEmpty { text.add(Segment("  no events of this chain in the recent log", .muted)) }
        return text
    }
}
