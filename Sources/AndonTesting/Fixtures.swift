import AndonCore
import Foundation

/// Plants, paths and helpers shared by the test suites.
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// A path inside the repository.
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// The demo plant.
    public static func demoPlant() throws -> PlantSpec {
        try PlantSpec.load(path: path("demo/plant.yaml"))
    }

    /// The demo scenario.
    public static func demoScenario(plant: PlantSpec) throws -> Scenario {
        try Scenario.load(path: path("demo/scenarios/demo.yaml"), plant: plant)
    }

    /// A one-line plant of two cells with one buffer, in YAML; `extra` is spliced into cell A's mapping.
    public static func twoCellPlantYAML(bufferCapacity: Int = 4, cellA extra: String = "", agentsA: String = "[]") -> String {
        """
        plant:
          id: tiny
          name: Tiny plant
          shift: 8h
          stale_after: 10s
        lines:
          - id: L1
            name: Line one
            demand_per_hour: 60
            cells:
              - id: A
                kind: press
                cycle_time: 30s
                mtbf: 100h
                mttr: 30m
                scrap_rate: 1%
                sensors:
                  - {id: vibration, kind: vibration, nominal: 1.2, noise: 0.02, limits: {high_warn: 2.8, high_alarm: 4.5, trip: 7.1}}
                agents: \(agentsA)\(extra)
              - id: B
                kind: cnc
                cycle_time: 40s
                mtbf: 100h
                mttr: 30m
                scrap_rate: 1%
            buffers:
              - {id: A-B, from: A, to: B, capacity: \(bufferCapacity), initial: 0}
        """
    }
}

extension Fixtures {
    /// A policy for the two-cell plant: holds and small speed cuts run, maintenance and stops wait for one supervisor.
    public static let twoCellPolicyYAML = """
    policy: {id: tiny-governance, version: "t1"}
    rules:
      - id: interlock
        match: {action: hold_cell}
        decision: allow
      - id: small-speed
        match: {action: [reduce_speed, restore_speed], when: {data_age_at_most: 10s, change_percent_at_most: 10}}
        decision: allow
      - id: maintenance-needs-supervisor
        match: {action: [schedule_maintenance, stop_cell]}
        decision: approve
        approve: {roles: [supervisor], quorum: 1, timeout: 5m}
    """

    /// Incidents that make cell A's vibration climb through its warning and alarm limits.
    public static let vibrationRise = [Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 1.2, duration: 240))]

    /// Maintenance and safety agents on cell A.
    public static let maintenanceAgents = "[{id: A.maint, kind: maintenance, version: 1.0.0, mode: active, budget: 5ms}, {id: A.safety, kind: safety, version: 1.0.0, mode: active, budget: 1ms}]"
}

/// An audit sink in memory that can be told to fail, for tests of what happens when the store fails. Safe to share
/// between the runtime's executor and a test that reads what was committed.
public final class MemoryAuditSink: AuditSink, @unchecked Sendable {
    private let lock = NSLock()
    private var committed: [AuditRecord] = []
    private var synced = 0
    private var failing: String?
    private var failingCalls: Set<Int> = []
    private var calls = 0
    private var savedState: (sequence: Int64, text: String)?
    private var closed = false

    /// An empty sink.
    public init() {}

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Records committed so far.
    public var records: [AuditRecord] { lock.withLock { committed } }
    /// Appends with `sync: true` so far.
    public var syncedAppends: Int { lock.withLock { synced } }
    /// Appends tried so far, failed ones included.
    public var appendCalls: Int { lock.withLock { calls } }
    /// When set, every append throws this message.
    public var failure: String? {
        get { lock.withLock { failing } }
        set { lock.withLock { failing = newValue } }
    }

    /// Makes the appends with these call numbers (from 1) fail once each, whatever ``failure`` says.
    public func failCalls(_ numbers: Set<Int>) { lock.withLock { failingCalls = numbers } }

    /// Appends, or throws when told to fail.
    @discardableResult
    public func append(_ entries: [AuditEntry], sync: Bool) throws -> [AuditRecord] {
        try lock.withLock {
            calls += 1
            if let failing { throw Failure(description: failing) }
            if failingCalls.contains(calls) { throw Failure(description: "injected failure at append \(calls)") }
            if sync { synced += 1 }
            let base = committed.count
            let added = entries.enumerated().map { offset, entry in
                AuditRecord(sequence: Int64(base + offset + 1), wallTime: "", simTime: entry.simTime, actor: entry.actor, kind: entry.kind,
                            payload: entry.payload, policyHash: entry.policyHash, correlationID: entry.correlationID, previousHash: "", hash: "")
            }
            committed.append(contentsOf: added)
            return added
        }
    }

    /// Every record.
    public func allRecords() throws -> [AuditRecord] { records }

    /// Keeps the recovery state as of the head (no signature: nothing here is on disk).
    public func checkpoint(recoveryState: String, closing: Bool) throws {
        try lock.withLock {
            if let failing { throw Failure(description: failing) }
            savedState = (Int64(committed.count), recoveryState)
            closed = closing
        }
    }

    /// The saved state and every record after it.
    public func recoveryPoint() throws -> AuditRecoveryPoint {
        lock.withLock {
            let sequence = savedState?.sequence ?? 0
            return AuditRecoveryPoint(state: savedState?.text, stateSequence: sequence, records: Array(committed.dropFirst(Int(sequence))),
                                      lastWallTime: committed.last?.wallTime)
        }
    }

    /// True once a closing checkpoint was written.
    public var wasClosedCleanly: Bool { lock.withLock { closed } }

    /// Healthy unless failing.
    public var health: AuditHealth {
        lock.withLock { AuditHealth(isHealthy: failing == nil, records: committed.count, location: "memory", problem: failing) }
    }

    /// Records of one kind.
    public func records(_ kind: AuditKind) -> [AuditRecord] { records.filter { $0.kind == kind } }

    /// Nothing to close.
    public func close() {}

}
