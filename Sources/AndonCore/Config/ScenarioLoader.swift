extension Scenario {
    /// Loads a scenario, checking its references against `plant` and, when given, its commands' people against the
    /// roster's `operators`; throws every problem with its position.
    public static func load(path: String, plant: PlantSpec, operators: Set<String>? = nil) throws(ConfigErrors) -> Scenario {
        let diagnostics = Diagnostics(file: path)
        let reader = ScenarioReader(diagnostics: diagnostics, plant: plant, operators: operators)
        let scenario = ConfigNode.load(path: path, diagnostics: diagnostics).flatMap { reader.read($0) }
        try diagnostics.throwIfAny()
        guard let scenario else { throw ConfigErrors(diagnostics.errors) }
        return scenario
    }

    /// Parses scenario YAML text; `operators` as for ``load(path:plant:operators:)``.
    public static func parse(_ text: String, file: String = "scenario.yaml", plant: PlantSpec, operators: Set<String>? = nil) throws(ConfigErrors) -> Scenario {
        let diagnostics = Diagnostics(file: file)
        let reader = ScenarioReader(diagnostics: diagnostics, plant: plant, operators: operators)
        let scenario = ConfigNode.parse(text, diagnostics: diagnostics).flatMap { reader.read($0) }
        try diagnostics.throwIfAny()
        guard let scenario else { throw ConfigErrors(diagnostics.errors) }
        return scenario
    }
}

struct ScenarioReader {
    let diagnostics: Diagnostics
    let plant: PlantSpec
    /// The names on the roster, when there is one to check commands against.
    let operators: Set<String>?

    func read(_ root: ConfigNode) -> Scenario? {
        guard let top = root.mapping("the scenario file", keys: ["scenario", "incidents", "commands"], required: ["scenario"]) else { return nil }
        var name = "scenario"
        var loop: Double?
        if let header = top["scenario"]?.mapping("'scenario'", keys: ["name", "loop"], required: ["name"]) {
            name = header["name"]?.string("scenario name") ?? name
            loop = header["loop"]?.duration("loop")
        }
        let incidents = top["incidents"]?.sequence("'incidents'")?.compactMap(readIncident) ?? []
        let commands = top["commands"]?.sequence("'commands'")?.compactMap(readCommand) ?? []
        if let loop {
            for incident in incidents where incident.at >= loop {
                diagnostics.report(.impossibleValue, at: top.location, "incident at \(TimeText.duration(incident.at)) is after the loop length \(TimeText.duration(loop))",
                                   expected: "every 'at' below 'loop'")
            }
            for (command, location) in commands where command.at >= loop {
                diagnostics.report(.impossibleValue, at: location, "command at \(TimeText.duration(command.at)) is after the loop length \(TimeText.duration(loop))",
                                   expected: "every 'at' below 'loop'")
            }
        }
        return Scenario(name: name, loopSeconds: loop, incidents: incidents, commands: commands.map(\.command))
    }

    private func readCommand(_ node: ConfigNode) -> (command: ScriptedCommand, location: SourceLocation)? {
        guard let map = node.mapping("a command", keys: ["at", "operator", "approve", "reject", "kill_switch"], required: ["at", "operator"]),
              let atNode = map["at"], let person = map["operator"] else { return nil }
        if let operators, let name = person.identifier("operator"), !operators.contains(name) {
            diagnostics.report(.danglingReference, at: person.location, "operator '\(name)' is not on the roster",
                               expected: "a name from the roster: \(operators.sorted().joined(separator: ", "))")
            return nil
        }
        return readCommand(map).map { ($0, atNode.location) }
    }

    private func cell(_ node: ConfigNode?, in map: ConfigMapping) -> CellSpec? {
        guard let node, let id = node.identifier("cell") else { return nil }
        guard let cell = plant.cells.first(where: { $0.id == id }) else {
            diagnostics.report(.danglingReference, at: node.location, "cell '\(id)' is not in plant \(plant.id)", expected: "a cell id of the plant")
            return nil
        }
        return cell
    }

    private func readIncident(_ node: ConfigNode) -> Incident? {
        let keys = ["at", "kind", "cell", "line", "sensor", "per_minute", "for", "repair", "per_hour", "factor"]
        guard let map = node.mapping("an incident", keys: keys, required: ["at", "kind"]) else { return nil }
        guard let at = map["at"]?.duration("at", allowZero: true) else { return nil }
        let kinds = ["sensor_drift", "breakdown", "telemetry_loss", "demand_change", "scrap_drift"]
        guard let kindNode = map["kind"], let kind = kindNode.string("kind") else { return nil }
        func need(_ key: String) -> ConfigNode? {
            if let node = map[key] { return node }
            diagnostics.report(.missingField, at: map.location, "a \(kind) incident is missing '\(key)'", expected: "a '\(key)' key")
            return nil
        }
        switch kind {
        case "sensor_drift":
            guard let cell = cell(need("cell"), in: map), let sensorNode = need("sensor"), let sensor = sensorNode.identifier("sensor"),
                  let rate = need("per_minute")?.number("per_minute"), let duration = need("for")?.duration("for") else { return nil }
            guard cell.sensors.contains(where: { $0.id == sensor }) else {
                diagnostics.report(.danglingReference, at: sensorNode.location, "cell \(cell.id) has no sensor '\(sensor)'",
                                   expected: "one of \(cell.sensors.map(\.id).joined(separator: ", "))")
                return nil
            }
            return Incident(at: at, target: cell.id, kind: .sensorDrift(sensor: sensor, perMinute: rate, duration: duration))
        case "breakdown":
            guard let cell = cell(need("cell"), in: map), let repair = need("repair")?.duration("repair") else { return nil }
            return Incident(at: at, target: cell.id, kind: .breakdown(repair: repair))
        case "telemetry_loss":
            guard let cell = cell(need("cell"), in: map), let duration = need("for")?.duration("for") else { return nil }
            return Incident(at: at, target: cell.id, kind: .telemetryLoss(duration: duration))
        case "demand_change":
            guard let lineNode = need("line"), let line = lineNode.identifier("line"),
                  let perHour = need("per_hour")?.number("per_hour", in: 0.001...1_000_000, rangeText: "a demand above zero") else { return nil }
            guard plant.lines.contains(where: { $0.id == line }) else {
                diagnostics.report(.danglingReference, at: lineNode.location, "line '\(line)' is not in plant \(plant.id)",
                                   expected: "one of \(plant.lines.map(\.id).joined(separator: ", "))")
                return nil
            }
            return Incident(at: at, target: line, kind: .demandChange(perHour: perHour))
        case "scrap_drift":
            guard let cell = cell(need("cell"), in: map),
                  let factor = need("factor")?.number("factor", in: 0...100, rangeText: "a factor from 0 to 100") else { return nil }
            return Incident(at: at, target: cell.id, kind: .scrapDrift(factor: factor))
        default:
            diagnostics.report(.wrongType, at: kindNode.location, "unknown incident kind '\(kind)'", expected: "one of \(kinds.joined(separator: ", "))")
            return nil
        }
    }

    private func readCommand(_ map: ConfigMapping) -> ScriptedCommand? {
        guard let at = map["at"]?.duration("at", allowZero: true), let person = map["operator"]?.identifier("operator") else { return nil }
        let verbs = ["approve", "reject", "kill_switch"].filter { map.has($0) }
        guard verbs.count == 1 else {
            diagnostics.report(.missingField, at: map.location, verbs.isEmpty ? "a command needs something to do" : "a command does one thing, not \(verbs.joined(separator: " and "))",
                               expected: "exactly one of approve, reject, kill_switch")
            return nil
        }
        if let flag = map["kill_switch"] {
            guard let on = flag.bool("kill_switch") else { return nil }
            return ScriptedCommand(at: at, operatorName: person, action: .killSwitch(on: on))
        }
        let verb = verbs[0]
        let keys = verb == "reject" ? ["target", "action", "reason"] : ["target", "action"]
        guard let target = map[verb]?.mapping("'\(verb)'", keys: keys, required: verb == "reject" ? ["target", "reason"] : ["target"]),
              let targetNode = target["target"], let id = targetNode.identifier("target") else { return nil }
        guard plant.cells.contains(where: { $0.id == id }) || plant.lines.contains(where: { $0.id == id }) else {
            diagnostics.report(.danglingReference, at: targetNode.location, "'\(id)' is neither a cell nor a line of plant \(plant.id)",
                               expected: "a cell or line id")
            return nil
        }
        let action = target["action"]?.choice("action", of: ActionKind.self)
        if verb == "approve" { return ScriptedCommand(at: at, operatorName: person, action: .approve(target: id, action: action)) }
        guard let reason = target["reason"]?.string("reason") else { return nil }
        return ScriptedCommand(at: at, operatorName: person, action: .reject(target: id, action: action, reason: reason))
    }
}
