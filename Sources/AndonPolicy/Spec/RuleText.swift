import AndonCore

/// Words for rules: generated reasons and the conditions of a match, for decisions and `explain`.
enum RuleText {
    /// A reason for a rule that gives none: its outcome and its match in words.
    static func generatedReason(outcome: DecisionOutcome, match: RuleMatch) -> String {
        let verb = switch outcome {
        case .allow: "allowed"
        case .deny: "denied"
        case .approve: "needs approval"
        }
        let conditions = describe(match)
        return conditions.isEmpty ? "\(verb) for every proposal" : "\(verb): \(conditions.joined(separator: ", "))"
    }

    /// Each condition of a match, in words (`action stop_cell`, `data age > 10s`).
    static func describe(_ match: RuleMatch) -> [String] {
        var parts: [String] = []
        if let actions = match.actions { parts.append("action \(names(actions.map(\.rawValue)))") }
        if let targets = match.targets { parts.append("target \(names(targets))") }
        if let lines = match.lines { parts.append("line \(names(lines))") }
        if let risks = match.risks { parts.append("risk \(names(risks.sorted().map(\.rawValue)))") }
        if let agents = match.agents { parts.append("agent \(names(agents.map(\.rawValue)))") }
        if let states = match.states { parts.append("cell state \(names(states.map(\.name)))") }
        if let part = interval("data age", match.dataAge, Format.duration) { parts.append(part) }
        if let part = interval("change", match.changePercent, { "\(Format.number($0))%" }) { parts.append(part) }
        if let part = interval("OEE", match.oee, { "\(Format.number(($0 * 1000).rounded() / 10))%" }) { parts.append(part) }
        if let part = interval("shift time", match.shiftElapsed, Format.duration) { parts.append(part) }
        if let shadow = match.isShadow { parts.append(shadow ? "shadow proposal" : "live proposal") }
        return parts
    }

    private static func names(_ values: [String]) -> String {
        let sorted = values.sorted()
        return sorted.count == 1 ? sorted[0] : "in [\(sorted.joined(separator: ", "))]"
    }

    static func interval(_ name: String, _ interval: Interval, _ format: (Double) -> String) -> String? {
        if interval.isUnbounded { return nil }
        var bounds: [String] = []
        if interval.lower != -.infinity { bounds.append("\(interval.isLowerOpen ? ">" : "≥") \(format(interval.lower))") }
        if interval.upper != .infinity { bounds.append("\(interval.isUpperOpen ? "<" : "≤") \(format(interval.upper))") }
        return "\(name) \(bounds.joined(separator: " and "))"
    }
}
