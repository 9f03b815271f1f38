import AndonCore
import AndonPolicy

// The plant and policy of the approval round trip, as in ApprovalBenchmarks: one cell whose vibration climbs past its
// warning limit in seconds, so that its maintenance agent proposes a speed cut, which this policy sends to a supervisor.

/// The one-line plant whose maintenance agent asks for an approval.
let benchPlant = try! PlantSpec.parse("""
    plant:
      id: commits
      name: Commit bench
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
            mtbf: 10000h
            mttr: 30m
            scrap_rate: 1%
            sensors:
              - {id: vibration, kind: vibration, nominal: 2.79, noise: 0.001, wear_per_hour: 100, limits: {high_warn: 2.8, high_alarm: 45, trip: 71}}
            agents:
              - {id: A.maint, kind: maintenance, version: 1.0.0, mode: active, budget: 5ms}
          - id: B
            kind: cnc
            cycle_time: 40s
            mtbf: 10000h
            mttr: 30m
            scrap_rate: 1%
        buffers:
          - {id: A-B, from: A, to: B, capacity: 4, initial: 0}
    """, file: "commits.yaml")

/// Every speed cut, maintenance or stop needs a supervisor.
let benchPolicy = try! PolicyEngine(PolicySpec.parse(text: """
    policy:
      id: commits-bench
      version: "1"
    rules:
      - id: speed-needs-supervisor
        match: {action: [reduce_speed, schedule_maintenance, stop_cell]}
        decision: approve
        approve: {roles: [supervisor], timeout: 5m}
    """, file: "commits-policy.yaml"))

/// The supervisor who approves.
let supervisor = Person(name: "ana", role: .supervisor)

/// One record of the kind a decision commits.
func decisionEntry(_ n: Int) -> AuditEntry {
    AuditEntry(simTime: Double(n), actor: .person(supervisor), kind: .operatorCommand,
               payload: #"{"command":"approve","outcome":"approved"}"#, policyHash: "", correlationID: "bench-\(n)")
}
