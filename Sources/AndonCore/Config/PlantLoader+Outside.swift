extension PlantReader {
    /// Reads one outside agent of the top-level `agents` list: `kind: external`, a cell or a line (exactly one, and
    /// one the plant has), the actions it may propose, its rate limit.
    func readOutsideAgent(_ node: ConfigNode, lines: [LineSpec]) -> OutsideAgentSpec? {
        guard let map = node.mapping("an outside agent", keys: ["id", "kind", "cell", "line", "version", "mode", "budget", "actions", "rate_limit", "burst"],
                                     required: ["id", "kind", "version", "mode", "budget", "actions", "rate_limit"]) else { return nil }
        guard let id = map["id"]?.identifier("agent id") else { return nil }
        agentLocations.add(id, map["id"]!.location)
        guard let kind = map["kind"]?.choice("agent kind", of: AgentKind.self) else { return nil }
        guard kind == .external else {
            diagnostics.report(.impossibleValue, at: map["kind"]!.location, "agent \(id) in the top-level 'agents' list is \(kind.rawValue)",
                               expected: "kind external (built-in agents are listed under their cell)")
            return nil
        }
        let scope = readScope(map, agent: id, lines: lines)
        let version = map["version"]?.string("agent version")
        let mode = map["mode"]?.choice("agent mode", of: AgentMode.self)
        let budget = map["budget"]?.duration("budget")
        let actions = readActions(map["actions"]!, agent: id)
        let rate = readRate(map, agent: id)
        guard let scope, let version, let mode, let budget, let actions, let rate else { return nil }
        return OutsideAgentSpec(id: id, version: version, mode: mode, budgetSeconds: budget, scope: scope, actions: actions, rate: rate)
    }

    private func readScope(_ map: ConfigMapping, agent id: String, lines: [LineSpec]) -> AgentScope? {
        switch (map["cell"], map["line"]) {
        case (nil, nil):
            diagnostics.report(.missingField, at: map.location, "outside agent \(id) has neither a cell nor a line", expected: "'cell: ID' or 'line: ID'")
            return nil
        case (.some, .some):
            diagnostics.report(.impossibleValue, at: map["line"]!.location, "outside agent \(id) has both a cell and a line", expected: "one of them")
            return nil
        case let (cellNode?, nil):
            guard let cell = cellNode.identifier("cell") else { return nil }
            let cells = lines.flatMap(\.cells).map(\.id)
            guard cells.contains(cell) else {
                diagnostics.report(.danglingReference, at: cellNode.location, "outside agent \(id) refers to cell '\(cell)', which the plant does not have",
                                   expected: Self.oneOf(cells))
                return nil
            }
            return .cell(cell)
        case let (nil, lineNode?):
            guard let line = lineNode.identifier("line") else { return nil }
            guard lines.contains(where: { $0.id == line }) else {
                diagnostics.report(.danglingReference, at: lineNode.location, "outside agent \(id) refers to line '\(line)', which the plant does not have",
                                   expected: Self.oneOf(lines.map(\.id)))
                return nil
            }
            return .line(line)
        }
    }

    private func readActions(_ node: ConfigNode, agent id: String) -> [ActionKind]? {
        guard let items = node.list("'actions' of agent \(id)") else { return nil }
        var actions: [ActionKind] = []
        var ok = true
        for item in items {
            guard let action = item.choice("action", of: ActionKind.self) else {
                ok = false
                continue
            }
            if actions.contains(action) {
                diagnostics.report(.duplicateID, at: item.location, "action \(action.rawValue) is listed twice for agent \(id)", expected: "each action once")
            } else {
                actions.append(action)
            }
        }
        if items.isEmpty {
            diagnostics.report(.missingField, at: node.location, "outside agent \(id) may propose nothing", expected: "at least one action")
            return nil
        }
        return ok ? actions : nil
    }

    private func readRate(_ map: ConfigMapping, agent id: String) -> ProposalRate? {
        let node = map["rate_limit"]!
        guard let text = node.string("rate_limit") else { return nil }
        guard let (count, seconds) = ProposalRate.parse(text), count / seconds <= 1000 else {
            diagnostics.report(.impossibleValue, at: node.location, "rate_limit '\(text)' of agent \(id) is not a rate", expected: "proposals per unit such as 30/min, 2/s or 100/h, at most 1000/s")
            return nil
        }
        let burst = map["burst"]?.integer("burst", in: 1...10_000) ?? max(1, min(Int(count), 5))
        return ProposalRate(perSecond: count / seconds, burst: burst, text: text)
    }

    private static func oneOf(_ ids: [String]) -> String {
        ids.count <= 12 ? "one of \(ids.joined(separator: ", "))" : "one of \(ids.prefix(12).joined(separator: ", ")), …"
    }
}
