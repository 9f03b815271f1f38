import AndonCore

/// Reads a rule's `match` block.
enum MatchReader {
    static let keys = ["action", "target", "line", "risk", "agent", "when"]
    static let whenKeys = ["data_age_over", "data_age_at_most", "state", "change_percent_over", "change_percent_at_most",
                           "oee_below", "oee_above", "shift_elapsed_over", "shift_elapsed_at_most", "shadow"]

    /// The match, or `nil` when any part of it is wrong (each problem already reported).
    static func read(_ node: ConfigNode) -> RuleMatch? {
        guard let map = node.mapping("'match'", keys: keys) else { return nil }
        var ok = true
        var match = RuleMatch()
        func set<T>(_ key: String, _ read: (ConfigNode) -> T?) -> T? {
            guard let child = map[key] else { return nil }
            let value = read(child)
            if value == nil { ok = false }
            return value
        }
        match.actions = set("action") { $0.namedSet("action", of: ActionKind.self) }
        match.targets = set("target") { globs($0, "target") }
        match.lines = set("line") { globs($0, "line") }
        match.risks = set("risk") { $0.namedSet("risk class", of: RiskClass.self) }
        match.agents = set("agent") { $0.namedSet("agent kind", of: AgentKind.self) }
        if let when = map["when"] {
            if !readWhen(when, into: &match) { ok = false }
        }
        return ok ? match : nil
    }

    private static func globs(_ node: ConfigNode, _ what: String) -> [String]? {
        guard let items = node.list("'\(what)'") else { return nil }
        if items.isEmpty {
            node.diagnostics.report(.missingField, at: node.location, "'\(what)' is an empty list", expected: "at least one \(what) pattern")
            return nil
        }
        let patterns = items.map { $0.string("\(what) pattern") }
        return patterns.contains { $0 == nil } ? nil : patterns.compactMap { $0 }
    }

    private static func readWhen(_ node: ConfigNode, into match: inout RuleMatch) -> Bool {
        guard let map = node.mapping("'when'", keys: whenKeys) else { return false }
        var ok = true
        func bound(_ key: String, _ read: (ConfigNode) -> Double?, _ apply: (Double) -> Void) {
            guard let child = map[key] else { return }
            if let value = read(child) { apply(value) } else { ok = false }
        }
        let seconds = { (key: String) in { (node: ConfigNode) in node.duration(key, allowZero: true) } }
        let percent = { (key: String) in { (node: ConfigNode) in node.number(key, in: 0...1000, rangeText: "a percentage from 0 to 1000") } }
        let fraction = { (key: String) in { (node: ConfigNode) in node.fraction(key) } }
        bound("data_age_over", seconds("data_age_over")) { match.dataAge.lower = $0; match.dataAge.isLowerOpen = true }
        bound("data_age_at_most", seconds("data_age_at_most")) { match.dataAge.upper = $0 }
        bound("change_percent_over", percent("change_percent_over")) { match.changePercent.lower = $0; match.changePercent.isLowerOpen = true }
        bound("change_percent_at_most", percent("change_percent_at_most")) { match.changePercent.upper = $0 }
        bound("oee_below", fraction("oee_below")) { match.oee.upper = $0; match.oee.isUpperOpen = true }
        bound("oee_above", fraction("oee_above")) { match.oee.lower = $0; match.oee.isLowerOpen = true }
        bound("shift_elapsed_over", seconds("shift_elapsed_over")) { match.shiftElapsed.lower = $0; match.shiftElapsed.isLowerOpen = true }
        bound("shift_elapsed_at_most", seconds("shift_elapsed_at_most")) { match.shiftElapsed.upper = $0 }
        if let shadow = map["shadow"] {
            if let value = shadow.bool("shadow") { match.isShadow = value } else { ok = false }
        }
        if let states = map["state"] {
            let options = CellCondition.allNames.map { ($0, CellCondition(name: $0)!) }
            if let items = states.list("'state'") {
                let values = items.map { $0.named("cell state", from: options) }
                if values.contains(where: { $0 == nil }) || values.isEmpty { ok = false } else { match.states = Set(values.compactMap { $0 }) }
                if items.isEmpty {
                    states.diagnostics.report(.missingField, at: states.location, "'state' is an empty list", expected: "at least one cell state")
                }
            } else {
                ok = false
            }
        }
        for (name, interval, low, high) in [("data age", match.dataAge, "data_age_over", "data_age_at_most"),
                                            ("change", match.changePercent, "change_percent_over", "change_percent_at_most"),
                                            ("OEE", match.oee, "oee_above", "oee_below"),
                                            ("shift time", match.shiftElapsed, "shift_elapsed_over", "shift_elapsed_at_most")]
        where interval.isEmpty {
            map.diagnostics.report(.impossibleValue, at: map[high]?.location ?? map.location,
                                   "no \(name) can be both \(low) and \(high) here, so the rule can never match",
                                   expected: "\(high) above \(low)")
            ok = false
        }
        return ok
    }
}
