import AndonCore

/// The bottom row: the latest outcome, then the keys that matter here; or the filter / command being typed.
struct StatusLine {
    let context: FrameContext

    /// Draws into the one-row `rect`.
    func draw(into canvas: inout Canvas, in rect: Rect) {
        let state = context.state
        switch state.mode {
        case let .filter(text) where state.detail == .alarms:
            canvas.write([Segment("/", .key), Segment(text + "_", .input), Segment("  filters alarms · Enter keeps · Esc clears", .muted)], row: 0, in: rect)
            return
        case let .filter(text):
            canvas.write([Segment("/", .key), Segment(text + "_", .input), Segment("  Enter keeps · Esc clears", .muted)], row: 0, in: rect)
            return
        case let .command(text):
            canvas.write([Segment(":", .key), Segment(text + "_", .input), Segment("  Enter runs · Esc cancels", .muted)], row: 0, in: rect)
            return
        default:
            break
        }
        var segments: [Segment] = []
        if let message = state.message {
            let role: StyleRole = switch message.tone {
            case .info: .text
            case .accepted: .outcomeAccepted
            case .refused: .outcomeRefused
            }
            segments += [Segment(message.text, role), Segment(" │ ", .border)]
        }
        for (index, hint) in hints.enumerated() {
            let allowed = hint.action.map { ConsoleState.isAvailable($0, to: state.person.role) } ?? true
            segments += [Segment(index == 0 ? "" : "  "), Segment(hint.key, allowed ? .key : .keyUnavailable),
                         Segment(" " + hint.meaning, allowed ? .muted : .keyUnavailable)]
        }
        // Telemetry rejects are worth a hint only when there are some, and only where it fits whole.
        let rejects = [Segment("  "), Segment("T", .key), Segment(" rejects", .muted)]
        if state.detail == nil, context.live.telemetryRejects > 0,
           (segments + rejects).reduce(0, { $0 + DisplayWidth.of($1.text) }) <= rect.width {
            segments += rejects
        }
        canvas.write(segments, row: 0, in: rect)
    }

    private var hints: [(key: String, meaning: String, action: GuardedAction?)] {
        let state = context.state
        if state.detail != nil {
            if state.detail == .telemetryRejects {
                return [("j/k", "scroll", nil), ("Esc", "back", nil), ("?", "help", nil)]
            }
            if state.detail == .alarms {
                return [("j/k", "move", nil), ("A", "ack", .acknowledge), ("S", "shelve", .shelve), ("U", "unshelve", .shelve),
                        ("O", "out of service", .outOfService), ("/", "filter", nil), ("Enter", "cell", nil), ("Esc", "back", nil)]
            }
            if case .event = state.detail {
                return [("j/k", "scroll", nil), ("Esc", "back", nil), ("?", "help", nil)]
            }
            if case .approval = state.detail {
                return [("a", "approve", .approve), ("r", "reject", .reject), ("j/k", "scroll", nil), ("Esc", "back", nil), ("?", "help", nil)]
            }
            return [("j/k", "scroll", nil), ("A", "ack", .acknowledge), ("Esc", "back", nil), ("a", "approve", .approve), ("?", "help", nil)]
        }
        var result: [(key: String, meaning: String, action: GuardedAction?)]
        switch state.focus {
        case .approvals:
            result = [("a", "approve", .approve), ("r", "reject", .reject), ("Enter", "detail", nil), ("j/k", "move", nil)]
        case .cells:
            result = [("j/k", "move", nil), ("Enter", "detail", nil), ("/", "filter", nil), ("s", "sort", nil), ("a", "approve", .approve)]
        case .events:
            result = [("j/k", "move", nil), ("Enter", "in full", nil), ("a", "approve", .approve)]
        default:
            result = [("j/k", "move", nil), ("a", "approve", .approve)]
        }
        result += [("Tab", "pane", nil), ("?", "help", nil), ("q", "quit", nil)]
        return result
    }
}
