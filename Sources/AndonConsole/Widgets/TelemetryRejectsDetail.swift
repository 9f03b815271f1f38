import AndonCore

/// Level 2 for telemetry rejected at the door: counts by reason (most first), then the recent rejected lines, newest first.
///
/// Calm by default: only the total is marked, as in the header; the rest is ordinary and muted text.
struct TelemetryRejectsDetail {
    let context: FrameContext

    /// The lines for a view `width` columns wide.
    func text(width: Int) -> DetailText {
        let snapshot = context.live
        var text = DetailText()
        var summary = [Segment("Telemetry rejected at the door  ", .title)]
        summary.append(snapshot.telemetryRejects > 0 ? Segment("\(snapshot.telemetryRejects) rejected", .queueFull) : Segment("0 rejected"))
        if let accepted = snapshot.telemetryAccepted { summary += [Segment("  accepted ", .muted), Segment("\(accepted)")] }
        text.lines.append(summary)

        let reasons = snapshot.telemetryRejectReasons.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        let recent = snapshot.recentTelemetryRejects
        guard snapshot.telemetryRejects > 0 || !reasons.isEmpty || !recent.isEmpty else {
            text.add(Segment("no telemetry was rejected", .muted))
            return text
        }

        text.heading("By reason (most first)")
        let reasonWidth = max(20, reasons.map { DisplayWidth.of($0.key) }.max() ?? 0)
        for (reason, count) in reasons {
            text.add(Segment("  " + DisplayWidth.pad(reason, to: reasonWidth)), Segment(DisplayWidth.pad("\(count)", to: 8, alignRight: true)))
        }
        if reasons.isEmpty { text.add(Segment("  no reasons recorded by this source", .muted)) }

        text.heading("Recent rejected lines (newest first)")
        let numberWidth = max(4, recent.map { String($0.line).count }.max() ?? 0)
        for rejected in recent.reversed() {
            let number = "  line " + DisplayWidth.pad(String(rejected.line), to: numberWidth, alignRight: true) + "  "
            text.add(Segment(number, .muted), Segment(DisplayWidth.pad(rejected.reason.rawValue, to: 20)),
                     Segment(DisplayWidth.truncate(TerminalText.printable(rejected.detail), to: max(1, width - DisplayWidth.of(number) - 20))))
            let indent = String(repeating: " ", count: DisplayWidth.of(number))
            text.add(Segment(indent + DisplayWidth.truncate(TerminalText.printable(rejected.original), to: max(1, width - DisplayWidth.of(indent))), .muted))
        }
        if recent.isEmpty { text.add(Segment("  none kept", .muted)) }
        return text
    }
}
