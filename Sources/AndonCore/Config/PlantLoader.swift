extension PlantSpec {
    /// Loads and validates a plant file; throws every problem found, each with its position.
    public static func load(path: String) throws(ConfigErrors) -> PlantSpec {
        let diagnostics = Diagnostics(file: path)
        let root = ConfigNode.load(path: path, diagnostics: diagnostics)
        let plant = root.flatMap { PlantReader(diagnostics: diagnostics).read($0) }
        try diagnostics.throwIfAny()
        guard let plant else { throw ConfigErrors(diagnostics.errors) }
        return plant
    }

    /// Parses and validates plant YAML text; `file` names it in messages.
    public static func parse(_ text: String, file: String = "plant.yaml") throws(ConfigErrors) -> PlantSpec {
        let diagnostics = Diagnostics(file: file)
        let root = ConfigNode.parse(text, diagnostics: diagnostics)
        let plant = root.flatMap { PlantReader(diagnostics: diagnostics).read($0) }
        try diagnostics.throwIfAny()
        guard let plant else { throw ConfigErrors(diagnostics.errors) }
        return plant
    }
}

extension ConfigNode {
    /// Reads a fraction written as `0.8%` or `0.008`.
    public func fraction(_ what: String, in range: ClosedRange<Double> = 0...1) -> Double? {
        if case let .scalar(scalar) = node, scalar.string.hasSuffix("%") {
            guard let percent = Double(scalar.string.dropLast().trimmingCharacters(in: .whitespaces)) else {
                diagnostics.report(.wrongType, at: location, "\(what) is \(kindName)", expected: "a fraction such as 0.008 or 0.8%")
                return nil
            }
            let value = percent / 100
            guard range.contains(value) else {
                diagnostics.report(.impossibleValue, at: location, "\(what) \(scalar.string) is impossible",
                                   expected: "from \(ConfigNode.format(range.lowerBound * 100))% to \(ConfigNode.format(range.upperBound * 100))%")
                return nil
            }
            return value
        }
        return number(what, in: range, rangeText: "a fraction from \(ConfigNode.format(range.lowerBound)) to \(ConfigNode.format(range.upperBound))")
    }
}

/// Reads the plant schema, reporting every problem it meets.
struct PlantReader {
    let diagnostics: Diagnostics

    func read(_ root: ConfigNode) -> PlantSpec? {
        guard let top = root.mapping("the plant file", keys: ["plant", "lines", "agents", "store"], required: ["plant", "lines"]) else { return nil }
        var id = "plant", name = "Plant", shift = 8.0 * 3600, stale = 10.0
        if let header = top["plant"]?.mapping("'plant'", keys: ["id", "name", "shift", "stale_after"], required: ["id", "name"]) {
            id = header["id"]?.identifier("plant id") ?? id
            name = header["name"]?.string("plant name") ?? name
            shift = header["shift"]?.duration("shift") ?? shift
            stale = header["stale_after"]?.duration("stale_after") ?? stale
        }
        var lines: [LineSpec] = []
        if let items = top["lines"]?.sequence("'lines'") {
            if items.isEmpty { diagnostics.report(.missingField, at: top["lines"]!.location, "'lines' is empty", expected: "at least one line") }
            lines = items.compactMap(readLine)
        }
        checkUnique(lines.map { ($0.id, $0.name) }, what: "line", locations: lineLocations)
        let outside = top["agents"]?.sequence("'agents'")?.compactMap { readOutsideAgent($0, lines: lines) } ?? []
        let store = top["store"].flatMap(readStore)
        let plant = PlantSpec(id: id, name: name, shiftSeconds: shift, staleAfterSeconds: stale, lines: lines, outsideAgents: outside, store: store)
        checkPlantWideIDs(plant)
        return plant
    }

    // Locations of ids, remembered for duplicate and reference checks.
    private let lineLocations = LocationBook()
    private let cellLocations = LocationBook()
    let agentLocations = LocationBook()

    private func readLine(_ node: ConfigNode) -> LineSpec? {
        guard let map = node.mapping("a line", keys: ["id", "name", "demand_per_hour", "cells", "buffers"],
                                     required: ["id", "cells", "buffers", "demand_per_hour"]) else { return nil }
        guard let id = map["id"]?.identifier("line id") else { return nil }
        lineLocations.add(id, map["id"]!.location)
        let name = map["name"]?.string("line name") ?? id
        let demand = map["demand_per_hour"]?.number("demand_per_hour", in: 0.001...1_000_000, rangeText: "a demand above zero") ?? 1
        let cells = map["cells"]?.sequence("'cells' of line \(id)")?.compactMap { readCell($0, line: id) } ?? []
        if cells.isEmpty, let cellsNode = map["cells"] {
            diagnostics.report(.missingField, at: cellsNode.location, "line \(id) has no cells", expected: "at least one cell")
        }
        let before = diagnostics.errors.count
        let buffers = map["buffers"]?.sequence("'buffers' of line \(id)")?.compactMap { readBuffer($0, cells: cells, line: id) } ?? []
        // A buffer already reported as broken is not reported again as missing from the chain.
        if diagnostics.errors.count == before {
            checkBufferChain(cells: cells, buffers: buffers, line: id, at: map["buffers"]?.location ?? map.location)
        }
        return LineSpec(id: id, name: name, demandPerHour: demand, cells: cells, buffers: buffers)
    }

    private func readCell(_ node: ConfigNode, line: String) -> CellSpec? {
        guard let map = node.mapping("a cell", keys: ["id", "name", "kind", "cycle_time", "mtbf", "mttr", "scrap_rate", "sensors", "agents"],
                                     required: ["id", "kind", "cycle_time", "mtbf", "mttr", "scrap_rate"]) else { return nil }
        guard let id = map["id"]?.identifier("cell id") else { return nil }
        cellLocations.add(id, map["id"]!.location)
        let name = map["name"]?.string("cell name") ?? id
        let kind = map["kind"]?.identifier("cell kind") ?? "cell"
        let cycle = map["cycle_time"]?.duration("cycle_time") ?? 60
        let mtbf = map["mtbf"]?.duration("mtbf") ?? 3600
        let mttr = map["mttr"]?.duration("mttr") ?? 600
        let scrap = map["scrap_rate"]?.fraction("scrap_rate", in: 0...0.5) ?? 0
        let sensors = map["sensors"]?.sequence("'sensors' of cell \(id)")?.compactMap(readSensor) ?? []
        let sensorBook = LocationBook()
        for (index, sensor) in sensors.enumerated() {
            sensorBook.add(sensor.id, map["sensors"]!.sequenceLocations[safe: index] ?? map.location)
        }
        for (sensorID, places) in sensorBook.duplicates {
            diagnostics.report(.duplicateID, at: places[1], "sensor id '\(sensorID)' is used twice in cell \(id) (first at line \(places[0].line))",
                               expected: "a unique sensor id within the cell")
        }
        let agents = map["agents"]?.sequence("'agents' of cell \(id)")?.compactMap { readAgent($0, cell: id) } ?? []
        return CellSpec(id: id, name: name, line: line, kind: kind, cycleSeconds: cycle, mtbfSeconds: mtbf, mttrSeconds: mttr,
                        scrapRate: scrap, sensors: sensors, agents: agents)
    }

    private func readSensor(_ node: ConfigNode) -> SensorSpec? {
        guard let map = node.mapping("a sensor", keys: ["id", "kind", "unit", "nominal", "noise", "wear_per_hour", "limits", "deadband",
                                                        "on_delay", "off_delay"],
                                     required: ["id", "kind", "nominal", "limits"]) else { return nil }
        guard let id = map["id"]?.identifier("sensor id"), let kind = map["kind"]?.choice("sensor kind", of: SensorKind.self) else { return nil }
        if let unitNode = map["unit"], let unit = unitNode.string("unit"), unit != kind.unit {
            diagnostics.report(.impossibleValue, at: unitNode.location, "unit '\(unit)' does not fit a \(kind.rawValue) sensor", expected: "'\(kind.unit)'")
        }
        let range = kind.physicalRange
        let physical = "a \(kind.rawValue) from \(ConfigNode.format(range.lowerBound)) to \(ConfigNode.format(range.upperBound)) \(kind.unit)"
        guard let nominal = map["nominal"]?.number("nominal", in: range, rangeText: physical) else { return nil }
        let noise = map["noise"]?.number("noise", in: 0...(range.upperBound), rangeText: "a standard deviation of zero or more") ?? 0
        let wear = map["wear_per_hour"]?.number("wear_per_hour", in: -range.upperBound...range.upperBound) ?? 0
        var limits = SensorLimits()
        if let limitsNode = map["limits"], let lm = limitsNode.mapping("limits", keys: ["low_alarm", "high_warn", "high_alarm", "trip"]) {
            var ordered: [(String, Double, SourceLocation)] = []
            func read(_ key: String) -> Double? {
                guard let node = lm[key], let value = node.number(key, in: range, rangeText: physical) else { return nil }
                ordered.append((key, value, node.location))
                return value
            }
            limits = SensorLimits(lowAlarm: read("low_alarm"), highWarn: read("high_warn"), highAlarm: read("high_alarm"), trip: read("trip"))
            if lm.entries.isEmpty {
                diagnostics.report(.missingField, at: limitsNode.location, "sensor \(id) has no limits", expected: "at least one of low_alarm, high_warn, high_alarm, trip")
            }
            let order = ["low_alarm": 0, "high_warn": 1, "high_alarm": 2, "trip": 3]
            let sorted = ordered.sorted { order[$0.0]! < order[$1.0]! }
            for (lower, upper) in zip(sorted, sorted.dropFirst()) where lower.1 >= upper.1 {
                diagnostics.report(.impossibleValue, at: upper.2,
                                   "limits of sensor \(id) are in the wrong order: \(upper.0) \(ConfigNode.format(upper.1)) is not above \(lower.0) \(ConfigNode.format(lower.1))",
                                   expected: "low_alarm < high_warn < high_alarm < trip")
            }
            if let low = limits.lowAlarm, nominal <= low {
                diagnostics.report(.impossibleValue, at: map["nominal"]!.location, "nominal of sensor \(id) is at or below its low_alarm", expected: "a nominal inside the limits")
            }
            if let high = limits.highWarn ?? limits.highAlarm ?? limits.trip, nominal >= high {
                diagnostics.report(.impossibleValue, at: map["nominal"]!.location, "nominal of sensor \(id) is at or above its first high limit", expected: "a nominal inside the limits")
            }
        }
        // ISA-18.2 remedies for a chattering point: a deadband in the sensor's unit, on- and off-delays.
        let deadband = map["deadband"]?.number("deadband", in: 0...(range.upperBound - range.lowerBound), rangeText: "a deadband of zero or more \(kind.unit)")
        let onDelay = map["on_delay"]?.duration("on_delay", allowZero: true) ?? 0
        let offDelay = map["off_delay"]?.duration("off_delay", allowZero: true) ?? 0
        return SensorSpec(id: id, kind: kind, nominal: nominal, limits: limits, noise: noise, wearPerHour: wear, alarmDeadband: deadband,
                          alarmOnDelay: onDelay, alarmOffDelay: offDelay)
    }

    private func readAgent(_ node: ConfigNode, cell: String) -> AgentSpec? {
        guard let map = node.mapping("an agent", keys: ["id", "kind", "version", "mode", "budget"],
                                     required: ["id", "kind", "version", "mode", "budget"]) else { return nil }
        guard let id = map["id"]?.identifier("agent id") else { return nil }
        agentLocations.add(id, map["id"]!.location)
        guard let kind = map["kind"]?.choice("agent kind", of: AgentKind.self) else { return nil }
        if kind == .external {
            diagnostics.report(.impossibleValue, at: map["kind"]!.location, "agent \(id) is external, but a cell's agents are built in",
                               expected: "an outside agent in the plant's top-level 'agents' list, with its cell or line")
            return nil
        }
        guard let version = map["version"]?.string("agent version"),
              let mode = map["mode"]?.choice("agent mode", of: AgentMode.self),
              let budget = map["budget"]?.duration("budget") else { return nil }
        return AgentSpec(id: id, kind: kind, version: version, mode: mode, budgetSeconds: budget, cell: cell)
    }

    private func readBuffer(_ node: ConfigNode, cells: [CellSpec], line: String) -> BufferSpec? {
        guard let map = node.mapping("a buffer", keys: ["id", "from", "to", "capacity", "initial"],
                                     required: ["id", "from", "to", "capacity"]) else { return nil }
        guard let id = map["id"]?.identifier("buffer id"),
              let from = map["from"]?.identifier("buffer 'from'"),
              let to = map["to"]?.identifier("buffer 'to'") else { return nil }
        var ok = true
        for (key, ref) in [("from", from), ("to", to)] where !cells.contains(where: { $0.id == ref }) {
            diagnostics.report(.danglingReference, at: map[key]!.location, "buffer \(id) refers to cell '\(ref)', which is not in line \(line)",
                               expected: "one of \(cells.map(\.id).joined(separator: ", "))")
            ok = false
        }
        let capacity = map["capacity"]?.integer("capacity", in: 1...1_000_000)
        var initial = map["initial"]?.integer("initial", in: 0...1_000_000) ?? 0
        if let capacity, initial > capacity {
            diagnostics.report(.impossibleValue, at: map["initial"]!.location, "buffer \(id) starts with \(initial) parts but holds only \(capacity)",
                               expected: "initial ≤ capacity")
            initial = capacity
        }
        guard ok, let capacity else { return nil }
        return BufferSpec(id: id, from: from, to: to, capacity: capacity, initial: initial)
    }

    private func checkBufferChain(cells: [CellSpec], buffers: [BufferSpec], line: String, at location: SourceLocation) {
        for (upstream, downstream) in zip(cells, cells.dropFirst()) {
            let matching = buffers.filter { $0.from == upstream.id && $0.to == downstream.id }
            if matching.isEmpty {
                diagnostics.report(.missingField, at: location, "line \(line) has no buffer from \(upstream.id) to \(downstream.id)",
                                   expected: "one buffer between each pair of neighbouring cells")
            } else if matching.count > 1 {
                diagnostics.report(.duplicateID, at: location, "line \(line) has \(matching.count) buffers from \(upstream.id) to \(downstream.id)",
                                   expected: "exactly one")
            }
        }
        for buffer in buffers {
            guard let a = cells.firstIndex(where: { $0.id == buffer.from }), let b = cells.firstIndex(where: { $0.id == buffer.to }) else { continue }
            if b != a + 1 {
                diagnostics.report(.impossibleValue, at: location, "buffer \(buffer.id) joins \(buffer.from) to \(buffer.to), which are not neighbours in flow order",
                                   expected: "a buffer from each cell to the next")
            }
        }
    }

    private func checkUnique(_ ids: [(String, String)], what: String, locations: LocationBook) {
        for (id, places) in locations.duplicates {
            diagnostics.report(.duplicateID, at: places[1], "\(what) id '\(id)' is used twice (first at line \(places[0].line))", expected: "a unique \(what) id")
        }
    }

    private func checkPlantWideIDs(_ plant: PlantSpec) {
        for (id, places) in cellLocations.duplicates {
            diagnostics.report(.duplicateID, at: places[1], "cell id '\(id)' is used twice (first at line \(places[0].line))", expected: "a unique cell id in the plant")
        }
        for (id, places) in agentLocations.duplicates {
            diagnostics.report(.duplicateID, at: places[1], "agent id '\(id)' is used twice (first at line \(places[0].line))", expected: "a unique agent id in the plant")
        }
    }
}

/// Remembers where each id was defined, to report duplicates with both positions.
final class LocationBook {
    private(set) var places: [String: [SourceLocation]] = [:]
    private var order: [String] = []

    func add(_ id: String, _ location: SourceLocation) {
        if places[id] == nil { order.append(id) }
        places[id, default: []].append(location)
    }

    /// Ids defined more than once, in first-definition order.
    var duplicates: [(String, [SourceLocation])] {
        order.compactMap { id in places[id]!.count > 1 ? (id, places[id]!) : nil }
    }
}

extension ConfigNode {
    /// Positions of the items of a list, in order (empty if not a list).
    var sequenceLocations: [SourceLocation] {
        guard case let .sequence(sequence) = node else { return [] }
        return sequence.map { child($0).location }
    }
}

extension Array {
    /// The element at `index`, or `nil` when out of bounds.
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
