import AndonCore

/// The words of a plant-wide console about its runtimes: their links in the header, a banner for each one out of
/// reach, and the heading of each runtime's group in the cells pane.
enum RuntimeText {
    /// Each runtime's name and link, and what is wrong with it while connected: `body ok  paint DOWN`.
    static func header(_ runtimes: [RuntimeHealth]) -> [Segment] {
        var segments: [Segment] = []
        for runtime in runtimes {
            if !segments.isEmpty { segments.append(Segment(" ")) }
            segments.append(Segment(runtime.name, .muted))
            segments += state(runtime).map { Segment(" " + $0.text, $0.role) }
        }
        return segments
    }

    /// The link and the runtime's own troubles, in words with their roles.
    private static func state(_ runtime: RuntimeHealth) -> [(text: String, role: StyleRole)] {
        switch runtime.link {
        case .down: return [("DOWN", .auditFailing)]
        case .reconnecting: return [("reconnecting", .outcomeRefused)]
        case .connected:
            var words: [(String, StyleRole)] = []
            if !runtime.isAuditHealthy { words.append(("AUDIT DOWN", .auditFailing)) }
            if runtime.isKillSwitchOn { words.append(("KILL", .banner)) }
            if runtime.isPaused { words.append(("PAUSED", .outcomeRefused)) }
            return words.isEmpty ? [("ok", .muted)] : words
        }
    }

    /// What the banner row says of a runtime out of reach.
    static func banner(_ runtime: RuntimeHealth) -> String {
        let word = runtime.link == .down ? "DOWN" : "RECONNECTING"
        return "\(runtime.name) \(word): \(runtime.problem ?? "retrying"); its cells as last seen, its commands refused until it is back"
    }

    /// The heading of a runtime's group: name, plant, link, and its own summary (alarms in view, cells down,
    /// approvals waiting, audit, kill switch, who this console is there).
    static func heading(_ runtime: RuntimeHealth) -> [Segment] {
        var segments = [Segment(runtime.name, .heading)]
        if let plant = runtime.plantName { segments.append(Segment(" " + plant, .muted)) }
        let link: Segment = switch runtime.link {
        case .connected: Segment("  up", .muted)
        case .reconnecting: Segment("  RECONNECTING", .outcomeRefused)
        case .down: Segment("  DOWN", .auditFailing)
        }
        segments.append(link)
        guard runtime.link == .connected else { return segments }
        segments.append(Segment(runtime.alarmsInView == 0 ? "  no alarms" : "  alarms \(runtime.alarmsInView)", runtime.alarmsInView == 0 ? .muted : .title))
        if runtime.cellsDown > 0 { segments.append(Segment("  down \(runtime.cellsDown)", .status(.held))) }
        if runtime.pendingApprovals > 0 { segments.append(Segment("  approvals \(runtime.pendingApprovals)", .title)) }
        segments.append(runtime.isAuditHealthy ? Segment("  audit ok", .muted) : Segment("  AUDIT DOWN", .auditFailing))
        if runtime.isKillSwitchOn { segments.append(Segment("  KILL SWITCH", .banner)) }
        if runtime.isPaused { segments.append(Segment("  PAUSED", .outcomeRefused)) }
        if let person = runtime.person { segments.append(Segment("  as " + person, .muted)) }
        return segments
    }
}
