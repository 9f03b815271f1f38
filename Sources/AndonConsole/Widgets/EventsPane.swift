import AndonCore

/// The event log, newest first: time, kind, cell, text.
struct EventsPane {
    let context: FrameContext

    /// Draws into the inside of a pane; returns the rows shown.
    func draw(into canvas: inout Canvas, in rect: Rect) -> Int {
        guard rect.height > 0 else { return 0 }
        let ring = context.state.events
        // While frozen, newer events are skipped.
        let skipped = context.state.frozenSkip
        let count = ring.count - skipped
        if count == 0 {
            canvas.write("no events yet", .muted, row: 0, in: rect)
            return rect.height
        }
        let (position, selectedRow) = context.selection(.events, count: count, height: rect.height)
        for line in 0..<min(rect.height, count - position.top) {
            let index = position.top + line
            canvas.write(context.state.memo.eventLine(ring.newest(skipped + index), glyphs: context.glyphs, write: EventText.segments), row: line, in: rect,
                         selected: index == selectedRow && context.isFocused(.events))
        }
        MoreMarker.draw(above: position.top, below: count - position.top - rect.height, alarms: nil, into: &canvas, in: rect)
        return rect.height
    }
}

/// An event as one line of text.
enum EventText {
    /// `hh:mm:ss kind     cell   text`.
    static func segments(_ event: EventEnvelope, glyphs: Glyphs) -> [Segment] {
        var role: StyleRole = .text
        if case let .alarm(change) = event.body, change.state.isActive { role = .alarm(change.priority) }
        return [
            Segment(" " + Format.clock(event.time) + " ", .muted),
            Segment(DisplayWidth.pad(event.body.kindName, to: 9), .muted),
            Segment(Format.id(event.cell ?? "-", to: 6)),
            Segment(" " + describe(event.body, glyphs: glyphs), role),
        ]
    }

    /// The words for an event's body.
    static func describe(_ body: EventBody, glyphs: Glyphs) -> String {
        switch body {
        case let .telemetry(frame): "telemetry \(frame.cell)"
        case let .stateChanged(change):
            "\(change.from.rawValue) → \(change.to.rawValue)" + (change.reason == .none ? "" : " (\(change.reason.rawValue))")
        case let .alarm(change): "\(glyphs.alarmMark(change.priority)) \(change.message) \(change.state.rawValue)"
        case let .proposal(proposal):
            "\(proposal.agentID) proposes \(proposal.action.rawValue) \(proposal.target) [\(Format.risk(proposal.risk))]"
                + (proposal.isShadow ? " shadow" : "")
        case let .decision(decision):
            "policy \(decision.outcome.rawValue) \(decision.proposalID)" + (decision.ruleIDs.isEmpty ? "" : " by \(decision.ruleIDs.joined(separator: ","))")
        case let .approval(change): "approval \(change.approvalID) \(change.state.rawValue): \(change.detail)"
        case let .action(action):
            "\(action.applied ? "executed" : "already applied") \(action.action.rawValue) \(action.target)"
        case let .operatorCommand(person, command, outcome): "\(person.label) \(command): \(outcome)"
        case let .notice(_, message): message
        }
    }
}
