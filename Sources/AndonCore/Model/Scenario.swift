/// Incidents injected into a simulated run at given times, and scripted operator commands.
public struct Scenario: Sendable, Hashable {
    /// Display name.
    public var name: String
    /// When set, the whole script repeats with this period (seconds), so a demo keeps going.
    public var loopSeconds: Double?
    /// Incidents, in time order.
    public var incidents: [Incident]
    /// Scripted operator commands, in time order.
    public var commands: [ScriptedCommand]

    /// Creates a scenario.
    public init(name: String, loopSeconds: Double? = nil, incidents: [Incident], commands: [ScriptedCommand] = []) {
        self.name = name
        self.loopSeconds = loopSeconds
        self.incidents = incidents.sorted { $0.at < $1.at }
        self.commands = commands.sorted { $0.at < $1.at }
    }

    /// A scenario with nothing in it.
    public static let quiet = Scenario(name: "quiet", incidents: [])
}

/// Something that happens to the plant.
public struct Incident: Sendable, Hashable {
    /// What happens.
    public enum Kind: Sendable, Hashable {
        /// A sensor's reading creeps up by `perMinute` for `duration` seconds; the offset stays until maintenance.
        case sensorDrift(sensor: String, perMinute: Double, duration: Double)
        /// The cell breaks down; repair takes `repair` seconds.
        case breakdown(repair: Double)
        /// The cell's telemetry stops for `duration` seconds, so its data goes stale.
        case telemetryLoss(duration: Double)
        /// The line's demand changes to `perHour`.
        case demandChange(perHour: Double)
        /// The cell's scrap rate is multiplied by `factor` until it is recalibrated.
        case scrapDrift(factor: Double)
    }

    /// Seconds from the start (or from the start of each loop).
    public var at: SimTime
    /// The cell (or line, for demand changes).
    public var target: String
    /// What happens.
    public var kind: Kind

    /// Creates an incident.
    public init(at: SimTime, target: String, kind: Kind) {
        self.at = at
        self.target = target
        self.kind = kind
    }

    /// A short name for logs.
    public var name: String {
        switch kind {
        case .sensorDrift: "sensor_drift"
        case .breakdown: "breakdown"
        case .telemetryLoss: "telemetry_loss"
        case .demandChange: "demand_change"
        case .scrapDrift: "scrap_drift"
        }
    }
}

/// An operator command at a time, for reproducible headless runs.
public struct ScriptedCommand: Sendable, Hashable {
    /// What to do.
    public enum Action: Sendable, Hashable {
        /// Approve the oldest pending approval matching target (cell or line) and action.
        case approve(target: String, action: ActionKind?)
        /// Reject the oldest pending approval matching target (cell or line) and action.
        case reject(target: String, action: ActionKind?, reason: String)
        /// Turn the kill switch on or off.
        case killSwitch(on: Bool)
    }

    /// Seconds from the start (or from the start of each loop).
    public var at: SimTime
    /// Who does it (a roster name).
    public var operatorName: String
    /// What they do.
    public var action: Action

    /// Creates a command.
    public init(at: SimTime, operatorName: String, action: Action) {
        self.at = at
        self.operatorName = operatorName
        self.action = action
    }
}
