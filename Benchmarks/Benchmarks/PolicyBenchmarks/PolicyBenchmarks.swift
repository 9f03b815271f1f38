import AndonCore
import AndonPolicy
import Benchmark
import BenchmarkSupport
import Foundation

// DESIGN.md §7: a policy decision on the demo policy set takes ≤ 250 ns median, on 500 rules ≤ 1 µs (§5: ≤ 1 µs).
// Each measured iteration is 1,000 decisions (scalingFactor .kilo), cycling through requests that
// exercise every outcome, so the per-decision figure is the reported (scaled) value.

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .cpuTotal],
        timeUnits: .nanoseconds,
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 10_000,
        thresholds: BarThresholds.exact([.wallClock])
    )

    let demo = try! PolicyEngine.load(path: Repository.path("demo/policies.yaml"))
    let demoRequests = try! PolicyCases.load(path: Repository.path("demo/policies.cases.yaml")).cases.map(\.request)

    Benchmark("DecisionDemoPolicy") { benchmark in
        decide(demo, demoRequests, benchmark)
    }

    let generated = try! PolicyEngine(PolicySpec.parse(text: GeneratedPolicy.text(rules: 500), file: "generated-500.yaml"))
    let generatedRequests = GeneratedPolicy.requests()

    Benchmark("Decision500Rules") { benchmark in
        decide(generated, generatedRequests, benchmark)
    }

    Benchmark("LoadDemoPolicy", configuration: {
        var configuration = Benchmark.defaultConfiguration
        configuration.scalingFactor = .one
        configuration.timeUnits = .microseconds
        return configuration
    }()) { _ in
        blackHole(try! PolicyEngine.load(path: Repository.path("demo/policies.yaml")))
    }
}

/// Decides `benchmark.scaledIterations` requests, cycling through `requests`.
@inline(never)
func decide(_ engine: PolicyEngine, _ requests: [PolicyRequest], _ benchmark: Benchmark) {
    var index = 0
    for _ in benchmark.scaledIterations {
        blackHole(engine.decide(requests[index]))
        index = index + 1 == requests.count ? 0 : index + 1
    }
}

/// A large, valid policy: `rules` rules over distinct targets, mixing outcomes and conditions,
/// so that a request may have to scan every rule of its outcome.
enum GeneratedPolicy {
    static let actions = ["reduce_speed", "restore_speed", "schedule_maintenance", "recalibrate", "rebalance_wip", "resume_cell"]
    static let risks = ["low", "medium", "high", "critical"]

    static func text(rules: Int) -> String {
        var text = """
        policy:
          id: generated
          version: "1"
        rules:

        """
        for i in 0..<rules {
            let action = actions[i % actions.count]
            let target = "L\(i / 10)C\(i % 10)"
            switch i % 4 {
            case 0:
                text += """
                  - id: deny-\(i)
                    match: {action: \(action), target: "\(target)", when: {data_age_over: \(10 + i % 5)s}}
                    decision: deny

                """
            case 1:
                text += """
                  - id: approve-\(i)
                    match: {action: [\(action), stop_cell], target: "\(target)", risk: [high, critical]}
                    decision: approve
                    approve: {roles: [supervisor], timeout: 3m}

                """
            case 2:
                text += """
                  - id: allow-\(i)
                    match: {action: \(action), target: "\(target)*", risk: low, when: {data_age_at_most: 10s, change_percent_at_most: \(5 + i % 10)}}
                    decision: allow

                """
            default:
                text += """
                  - id: approve-state-\(i)
                    match: {action: \(action), line: "line\(i % 7)", target: "\(target)", when: {state: [Held, Execute], oee_below: 60%}}
                    decision: approve
                    approve: {roles: [operator, supervisor], timeout: 3m}

                """
            }
        }
        return text
    }

    /// Requests that land on early, late and no rules of each outcome.
    static func requests() -> [PolicyRequest] {
        var requests: [PolicyRequest] = []
        for (n, i) in [0, 1, 2, 3, 250, 251, 252, 253, 496, 497, 498, 499].enumerated() {
            let action = ActionKind(rawValue: actions[i % actions.count])!
            let target = "L\(i / 10)C\(i % 10)"
            requests.append(PolicyRequest(proposalID: "p-\(n)", action: action, target: target, line: "line\(i % 7)",
                                          risk: RiskClass(rawValue: risks[n % risks.count])!, agentKind: .maintenance,
                                          changePercent: Double(n % 12), dataAgeSeconds: Double(n % 15), cellState: n % 2 == 0 ? .held : .execute,
                                          oee: 0.5, shiftElapsedSeconds: 3600))
        }
        requests.append(PolicyRequest(proposalID: "p-none", action: .reduceSpeed, target: "ZZ", line: "nowhere", risk: .low,
                                      agentKind: .maintenance, dataAgeSeconds: 1))
        return requests
    }
}
