/// The static definition of a plant, as loaded from `plant.yaml`.
public struct PlantSpec: Sendable, Hashable {
    /// Stable identifier, used for the audit store's file name.
    public var id: String
    /// Display name.
    public var name: String
    /// Length of one shift, in seconds; OEE "over the shift" resets at each boundary.
    public var shiftSeconds: Double
    /// Data older than this (seconds) is stale: agents stop acting on it.
    public var staleAfterSeconds: Double
    /// The production lines, in the order they are listed.
    public var lines: [LineSpec]
    /// Agents that run outside the runtime and propose over the service socket (`kind: external`), in the order listed.
    public var outsideAgents: [OutsideAgentSpec]
    /// The shared store the file names in its `store:` block, if it has one.
    public var store: StoreSpec?

    /// Creates a plant.
    public init(id: String, name: String, shiftSeconds: Double = 8 * 3600, staleAfterSeconds: Double = 10, lines: [LineSpec],
                outsideAgents: [OutsideAgentSpec] = [], store: StoreSpec? = nil) {
        self.id = id
        self.name = name
        self.shiftSeconds = shiftSeconds
        self.staleAfterSeconds = staleAfterSeconds
        self.lines = lines
        self.outsideAgents = outsideAgents
        self.store = store
    }

    /// Every cell of every line, lines in order and cells in flow order.
    public var cells: [CellSpec] { lines.flatMap(\.cells) }
}

/// A production line: cells in flow order with a bounded WIP buffer between each neighbouring pair.
public struct LineSpec: Sendable, Hashable {
    /// Stable identifier.
    public var id: String
    /// Display name.
    public var name: String
    /// Customer demand in parts per hour; takt = 3600 / demand seconds.
    public var demandPerHour: Double
    /// Cells in flow order.
    public var cells: [CellSpec]
    /// Buffers; `buffers[i]` sits between `cells[i]` and `cells[i + 1]`.
    public var buffers: [BufferSpec]

    /// Creates a line.
    public init(id: String, name: String, demandPerHour: Double, cells: [CellSpec], buffers: [BufferSpec]) {
        self.id = id
        self.name = name
        self.demandPerHour = demandPerHour
        self.cells = cells
        self.buffers = buffers
    }

    /// Takt time in seconds: available time divided by demand.
    public var taktSeconds: Double { 3600 / demandPerHour }
}

/// A bounded WIP buffer between two neighbouring cells.
public struct BufferSpec: Sendable, Hashable {
    /// Stable identifier.
    public var id: String
    /// The upstream cell.
    public var from: String
    /// The downstream cell.
    public var to: String
    /// Most parts it can hold.
    public var capacity: Int
    /// Parts in it at the start.
    public var initial: Int

    /// Creates a buffer.
    public init(id: String, from: String, to: String, capacity: Int, initial: Int = 0) {
        self.id = id
        self.from = from
        self.to = to
        self.capacity = capacity
        self.initial = initial
    }
}

/// One workstation.
public struct CellSpec: Sendable, Hashable {
    /// Stable identifier, unique in the plant (e.g. `B2`).
    public var id: String
    /// Display name.
    public var name: String
    /// The line it belongs to.
    public var line: String
    /// What it is (`press`, `welder`, `cnc`, `robot`, …).
    public var kind: String
    /// Design (ideal) cycle time in seconds.
    public var cycleSeconds: Double
    /// Mean time between failures, seconds.
    public var mtbfSeconds: Double
    /// Mean time to repair, seconds.
    public var mttrSeconds: Double
    /// Baseline fraction of parts scrapped (0.01 = 1%).
    public var scrapRate: Double
    /// Instruments on the cell.
    public var sensors: [SensorSpec]
    /// Agents attached to the cell.
    public var agents: [AgentSpec]

    /// Creates a cell.
    public init(id: String, name: String, line: String, kind: String, cycleSeconds: Double, mtbfSeconds: Double,
                mttrSeconds: Double, scrapRate: Double, sensors: [SensorSpec], agents: [AgentSpec]) {
        self.id = id
        self.name = name
        self.line = line
        self.kind = kind
        self.cycleSeconds = cycleSeconds
        self.mtbfSeconds = mtbfSeconds
        self.mttrSeconds = mttrSeconds
        self.scrapRate = scrapRate
        self.sensors = sensors
        self.agents = agents
    }
}

/// What a sensor measures; decides its unit and how it responds to the cell's speed and wear.
public enum SensorKind: String, Sendable, Hashable, CaseIterable, Codable {
    case temperature
    case vibration
    case spindleLoad = "spindle_load"
    case pressure
    case current
    case torque

    /// The unit readings must be given in.
    public var unit: String {
        switch self {
        case .temperature: "°C"
        case .vibration: "mm/s"
        case .spindleLoad: "%"
        case .pressure: "bar"
        case .current: "A"
        case .torque: "Nm"
        }
    }

    /// The physically possible range, beyond which a reading is rejected as bad data.
    public var physicalRange: ClosedRange<Double> {
        switch self {
        case .temperature: -50...400
        case .vibration: 0...100
        case .spindleLoad: 0...200
        case .pressure: 0...700
        case .current: 0...2000
        case .torque: 0...10000
        }
    }
}

/// Alarm limits on a sensor, each optional; the set present must be strictly ordered.
public struct SensorLimits: Sendable, Hashable, Codable {
    /// Low alarm (priority 2) for readings that fall too far.
    public var lowAlarm: Double?
    /// High warning (priority 3).
    public var highWarn: Double?
    /// High alarm (priority 2).
    public var highAlarm: Double?
    /// Hard limit (priority 1): the safety interlock holds the cell at once.
    public var trip: Double?

    /// Creates limits.
    public init(lowAlarm: Double? = nil, highWarn: Double? = nil, highAlarm: Double? = nil, trip: Double? = nil) {
        self.lowAlarm = lowAlarm
        self.highWarn = highWarn
        self.highAlarm = highAlarm
        self.trip = trip
    }
}

/// One instrument on a cell.
public struct SensorSpec: Sendable, Hashable {
    /// Identifier, unique within the cell (e.g. `spindle_vibration`).
    public var id: String
    /// What it measures.
    public var kind: SensorKind
    /// Reading in normal running at design speed, new condition.
    public var nominal: Double
    /// Alarm limits.
    public var limits: SensorLimits
    /// Random noise, as a standard deviation in the sensor's unit.
    public var noise: Double
    /// Wear-driven drift per running hour, in the sensor's unit.
    public var wearPerHour: Double
    /// How far back inside a limit a reading must come before its alarm clears, in the sensor's unit (nil: 3% of nominal).
    public var alarmDeadband: Double?
    /// How long a reading must stay beyond a limit before its alarm comes in, seconds (ISA-18.2 on-delay).
    public var alarmOnDelay: Double
    /// How long a reading must stay back inside before its alarm clears, seconds (off-delay).
    public var alarmOffDelay: Double

    /// Creates a sensor.
    public init(id: String, kind: SensorKind, nominal: Double, limits: SensorLimits, noise: Double = 0, wearPerHour: Double = 0,
                alarmDeadband: Double? = nil, alarmOnDelay: Double = 0, alarmOffDelay: Double = 0) {
        self.id = id
        self.kind = kind
        self.nominal = nominal
        self.limits = limits
        self.noise = noise
        self.wearPerHour = wearPerHour
        self.alarmDeadband = alarmDeadband
        self.alarmOnDelay = alarmOnDelay
        self.alarmOffDelay = alarmOffDelay
    }

    /// The deadband alarms use: the one given, else 3% of nominal (at least 0.01).
    public var effectiveDeadband: Double { alarmDeadband ?? max(abs(nominal) * 0.03, 0.01) }

    /// The sensor's unit.
    public var unit: String { kind.unit }
}

/// The built-in agent kinds.
public enum AgentKind: String, Sendable, Hashable, CaseIterable, Codable {
    /// Vibration and temperature trends: reduce speed, schedule a maintenance stop.
    case maintenance
    /// Scrap drift: recalibrate, quarantine a batch.
    case quality
    /// Starved or blocked cells: rebalance WIP.
    case flow
    /// Hard limits: hold the cell at once.
    case safety
    /// A slow planning agent with simulated think time and jitter.
    case planner
    /// An agent outside the runtime (a model, a service, an assistant) that proposes over the service socket; declared
    /// in the plant's top-level `agents` list, never in a cell's.
    case external
}

/// Whether an agent's proposals can be executed.
public enum AgentMode: String, Sendable, Hashable, CaseIterable, Codable {
    /// Proposals go through policy and may execute.
    case active
    /// Proposals are evaluated and recorded, never executed.
    case shadow
    /// The agent does not run.
    case off
}

/// An agent attached to a cell.
public struct AgentSpec: Sendable, Hashable {
    /// Identifier, unique in the plant (e.g. `B2.maint`).
    public var id: String
    /// The built-in kind.
    public var kind: AgentKind
    /// Version string, recorded with each proposal.
    public var version: String
    /// Mode at start.
    public var mode: AgentMode
    /// Decision latency budget, seconds.
    public var budgetSeconds: Double
    /// The cell it watches.
    public var cell: String

    /// Creates an agent definition.
    public init(id: String, kind: AgentKind, version: String, mode: AgentMode, budgetSeconds: Double, cell: String) {
        self.id = id
        self.kind = kind
        self.version = version
        self.mode = mode
        self.budgetSeconds = budgetSeconds
        self.cell = cell
    }
}
