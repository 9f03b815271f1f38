import AndonCore

extension PolicyRequest {
    /// The keys a request may have, in YAML, JSON and Codable alike.
    public static let keys = CodingKeys.allCases.map(\.rawValue)

    /// Reads a request from YAML or JSON text (`{"action": "stop_cell", ...}`), reporting problems with positions.
    public static func parse(text: String, file: String) throws(ConfigErrors) -> PolicyRequest {
        let diagnostics = Diagnostics(file: file)
        guard let root = ConfigNode.parse(text, diagnostics: diagnostics), let request = read(root) else { throw ConfigErrors(diagnostics.errors) }
        try diagnostics.throwIfAny()
        return request
    }

    /// Reads a request mapping; `nil` after reporting when anything is wrong.
    static func read(_ node: ConfigNode) -> PolicyRequest? {
        guard let map = node.mapping("a request", keys: keys, required: ["action", "target", "risk", "agent"]) else { return nil }
        var ok = true
        func optional<T>(_ key: CodingKeys, _ read: (ConfigNode) -> T?) -> T? {
            guard let child = map[key.rawValue] else { return nil }
            let value = read(child)
            if value == nil { ok = false }
            return value
        }
        let action = optional(.action) { $0.named("action", of: ActionKind.self) }
        let target = optional(.target) { $0.identifier("target") }
        let line = optional(.line) { $0.identifier("line") }
        let risk = optional(.risk) { $0.named("risk class", of: RiskClass.self) }
        let agent = optional(.agentKind) { $0.named("agent kind", of: AgentKind.self) }
        let proposal = optional(.proposalID) { $0.string("proposal id") }
        let change = optional(.changePercent) { $0.number("change_percent", in: -1000...1000) }
        let shadow = optional(.isShadow) { $0.bool("shadow") }
        let age = optional(.dataAgeSeconds) { $0.duration("data_age", allowZero: true) }
        let state = optional(.cellState) { $0.named("PackML state", of: PackMLState.self) }
        let status = optional(.cellStatus) { $0.named("cell status", of: CellStatus.self) }
        let oee = optional(.oee) { $0.fraction("oee") }
        let shift = optional(.shiftElapsedSeconds) { $0.duration("shift_elapsed", allowZero: true) }
        guard ok, let action, let target, let risk, let agent else { return nil }
        return PolicyRequest(proposalID: proposal ?? "", action: action, target: target, line: line ?? target, risk: risk, agentKind: agent,
                             changePercent: change.map(abs), isShadow: shadow ?? false, dataAgeSeconds: age, cellState: state,
                             cellStatus: status, oee: oee, shiftElapsedSeconds: shift)
    }

    /// One line for people: `stop_cell on B2 (line body), risk critical, agent maintenance, data age 2s`.
    public var summary: String {
        var parts = ["\(action.rawValue) on \(target) (line \(line))", "risk \(risk.rawValue)", "agent \(agentKind.rawValue)"]
        if let changePercent { parts.append("change \(Format.number(changePercent))%") }
        parts.append(dataAgeSeconds.map { "data age \(Format.duration($0))" } ?? "data age unknown")
        if let cellState { parts.append("state \(cellState.rawValue)") }
        if let cellStatus { parts.append("status \(cellStatus.rawValue)") }
        if let oee { parts.append("OEE \(Format.number((oee * 1000).rounded() / 10))%") }
        if let shiftElapsedSeconds { parts.append("shift time \(Format.duration(shiftElapsedSeconds))") }
        if isShadow { parts.append("shadow") }
        return parts.joined(separator: ", ")
    }
}
