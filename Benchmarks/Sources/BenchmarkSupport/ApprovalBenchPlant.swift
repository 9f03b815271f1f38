/// The plant and policy of the approval round trip, shared by `ApprovalBenchmarks` and `StoreCommitBenchmarks`: one
/// cell whose vibration climbs past its warning limit in seconds, so that its maintenance agent proposes a speed cut,
/// which the policy sends to a supervisor.
public enum ApprovalBenchPlant {
    /// The plant file's text, as plant `id` called `name`.
    public static func plantText(id: String, name: String) -> String {
        """
        plant:
          id: \(id)
          name: \(name)
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
        """
    }

    /// The policy file's text, as policy `id`: every speed cut, maintenance or stop needs a supervisor.
    public static func policyText(id: String) -> String {
        """
        policy:
          id: \(id)
          version: "1"
        rules:
          - id: speed-needs-supervisor
            match: {action: [reduce_speed, schedule_maintenance, stop_cell]}
            decision: approve
            approve: {roles: [supervisor], timeout: 5m}
        """
    }
}
