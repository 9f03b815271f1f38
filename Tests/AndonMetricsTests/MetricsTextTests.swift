import AndonCore
@testable import AndonMetrics
import AndonRuntime
import AndonTesting
import Foundation
import Testing

/// The Prometheus text a runtime serves: what plant IT scrapes, checked by Prometheus's own `promtool`.
@Suite struct MetricsTextTests {
    /// The demo plant after ten simulated minutes of its demo scenario.
    static func demoSnapshot() throws -> PlantSnapshot { try demo().snapshot }

    /// The demo plant after ten simulated minutes: its snapshot and its agents' latency buckets.
    static func demo() throws -> (snapshot: PlantSnapshot, latencies: [AgentLatencyHistogram]) {
        let plant = try Fixtures.demoPlant()
        let engine = PlantEngine(plant: plant, scenario: try Fixtures.demoScenario(plant: plant), options: EngineOptions(seed: 7))
        engine.run(until: 600)
        return (engine.snapshot(), engine.agentLatencyHistograms())
    }

    @Test func everyFamilyIsThereLabelledByRuntime() throws {
        let snapshot = try Self.demoSnapshot()
        let text = MetricsText.render(snapshot, figures: RuntimeFigures(runtimeID: "line-a", attachedConsoles: 2, attachedAgents: 1))
        for family in ["andon_cell_state", "andon_cell_oee_ratio", "andon_queue_depth", "andon_queue_high_water", "andon_queue_drops_total",
                       "andon_agent_decision_latency_percentile_seconds", "andon_agent_budget_breaches_total", "andon_approvals",
                       "andon_telemetry_accepted_total", "andon_audit_healthy", "andon_attached_consoles", "andon_attached_agents",
                       "process_cpu_seconds_total", "process_resident_memory_bytes", "process_start_time_seconds", "process_open_fds"] {
            #expect(text.contains("# TYPE \(family) "), "\(family) is exposed")
        }
        #expect(text.contains(#"andon_attached_consoles{runtime="line-a"} 2"#))
        for reason in RejectReason.allCases {
            #expect(text.contains(#"andon_telemetry_rejected_total{runtime="line-a",reason="\#(reason.rawValue)"} 0"#), "every reason from zero")
        }
        // One state per cell is 1: the cell's own.
        let cell = try #require(snapshot.cells.first)
        #expect(text.contains(#"andon_cell_state{runtime="line-a",line="\#(cell.line)",cell="\#(cell.id)",state="\#(cell.state.rawValue)"} 1"#))
        let stateLines = text.split(separator: "\n").filter { $0.hasPrefix("andon_cell_state{") && Double($0.split(separator: " ").last ?? "") == 1 }
        #expect(stateLines.count == snapshot.cells.count)
    }

    @Test(.enabled(if: Self.promtool != nil || ProcessInfo.processInfo.environment["CI"] != nil,
                   "promtool is not installed (Debian: apt-get install prometheus); CI installs it"))
    func promtoolFindsNothingWrong() throws {
        let promtool = try #require(Self.promtool, "promtool is on the PATH (CI installs Debian's prometheus)")
        let demo = try Self.demo()
        let text = MetricsText.render(demo.snapshot, figures: RuntimeFigures(runtimeID: "line-a"), latencies: demo.latencies)
        #expect(text.contains("# TYPE andon_agent_decision_latency_seconds histogram"))
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("andon-metrics-\(UUID().uuidString).prom")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Self.run(promtool, ["check", "metrics"], stdin: file.path)
        #expect(result.status == 0, "promtool: \(result.output)")
        // promtool's linter says nothing at all about output it finds clean.
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool: \(result.output)")
    }

    @Test func anotherRuntimesApprovalOfferedHereIsCountedByItsOwnRuntimeOnly() throws {
        // Every proposal of the demo plant waits for a supervisor here.
        struct AskingPolicy: ProposalJudge {
            let version = "ask", hash = ""
            func decide(_ proposal: Proposal, context: JudgeContext) -> Decision {
                Decision(proposalID: proposal.id, outcome: .approve, ruleIDs: ["ask"], reasons: ["ask"],
                         requirement: ApprovalRequirement(roles: [.supervisor], timeoutSeconds: 3600), policyVersion: version, policyHash: hash)
            }
        }
        let plant = try Fixtures.demoPlant()
        let engine = PlantEngine(plant: plant, scenario: try Fixtures.demoScenario(plant: plant), options: EngineOptions(seed: 7), judge: AskingPolicy())
        engine.run(until: 600)
        var snapshot = engine.snapshot()
        let own = snapshot.approvals.count { $0.state == .pending }
        let template = try #require(snapshot.approvals.first)
        var offered = template
        offered.id = "line-b/\(template.id)"
        offered.state = .pending
        offered.runtime = "line-b"
        snapshot.approvals.append(offered)
        let text = MetricsText.render(snapshot, figures: RuntimeFigures(runtimeID: "line-a"))
        #expect(text.contains(#"andon_approvals{runtime="line-a",state="pending"} \#(own)"#), "line-b counts its own")
    }

    @Test func agentLatencyIsAHistogramWithEveryBucketSumAndCount() throws {
        let demo = try Self.demo()
        let text = MetricsText.render(demo.snapshot, figures: RuntimeFigures(runtimeID: "line-a"), latencies: demo.latencies)
        #expect(demo.latencies.count == demo.snapshot.agents.count, "one histogram per agent")
        let lines = text.split(separator: "\n").map(String.init)
        for agent in demo.snapshot.agents {
            let labels = #"runtime="line-a",agent="\#(agent.id)",cell="\#(agent.cell)""#
            let buckets = lines.filter { $0.hasPrefix("andon_agent_decision_latency_seconds_bucket{\(labels),") }
            #expect(buckets.count == AgentLatencyHistogram.bounds.count + 1, "\(agent.id): a bucket per bound and +Inf")
            let counts = buckets.compactMap { UInt64($0.split(separator: " ").last ?? "") }
            #expect(counts == counts.sorted(), "\(agent.id): buckets are cumulative")
            #expect(buckets.last == #"andon_agent_decision_latency_seconds_bucket{\#(labels),le="+Inf"} \#(agent.decisions)"#)
            #expect(lines.contains("andon_agent_decision_latency_seconds_count{\(labels)} \(agent.decisions)"))
            let sum = try #require(lines.first { $0.hasPrefix("andon_agent_decision_latency_seconds_sum{\(labels)} ") })
            let seconds = try #require(Double(sum.split(separator: " ").last ?? ""))
            // The sum lies between the decisions' count times the smallest possible latency and times the slowest one.
            #expect(seconds >= 0 && seconds <= Double(agent.decisions) * agent.max + 1e-9, "\(agent.id): sum \(seconds)")
            // Decisions over budget are the +Inf count less the bucket at the budget, when the budget is a bound.
            if let bound = AgentLatencyHistogram.bounds.firstIndex(of: agent.budgetSeconds), agent.decisions > 0 {
                #expect(UInt64(agent.decisions) - counts[bound] == UInt64(agent.breaches), "\(agent.id): breaches against le=budget")
            }
        }
        #expect(text.contains(#"le="0.00001""#) && text.contains(#"le="0.00025""#) && text.contains(#"le="1""#), "bounds in plain decimals")
        #expect(!demo.snapshot.agents.allSatisfy { $0.decisions == 0 }, "the demo's agents decided something")
    }

    @Test func aRecordedLatencyLandsInTheFirstBucketThatHoldsIt() {
        let histogram = AgentLatencyHistogram(agent: "a", cell: "c", bucketCounts: [1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 3], count: 7, sumSeconds: 2.5)
        #expect(histogram.cumulativeCounts == [1, 1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 6])
        let text = LatencyHistogramText.render([histogram], runtimeID: #"odd"run"#)
        #expect(text.contains(#"andon_agent_decision_latency_seconds_bucket{runtime="odd\"run",agent="a",cell="c",le="0.0001"} 3"#), "\(text)")
        #expect(text.contains(#"andon_agent_decision_latency_seconds_bucket{runtime="odd\"run",agent="a",cell="c",le="+Inf"} 7"#))
        #expect(text.contains(#"andon_agent_decision_latency_seconds_sum{runtime="odd\"run",agent="a",cell="c"} 2.5"#))
    }

    @Test func commitsAreTimedSyncedAndNotAndRefusalsCounted() throws {
        let memory = MemoryAuditSink()
        let sink = TimedAuditSink(memory, runtimeID: "line-a")
        let entry = AuditEntry(simTime: 1, actor: .agent("scheduler"), kind: .proposal, payload: "{}", policyHash: "", correlationID: "c")
        try sink.append([entry, entry], sync: true)
        try sink.append([entry], sync: false)
        try sink.append([entry], sync: false)
        memory.failure = "disk full"
        #expect(throws: (any Error).self) { try sink.append([entry], sync: true) }
        let text = sink.text
        #expect(text.contains(#"andon_audit_commit_seconds_count{runtime="line-a",sync="true"} 1"#), "\(text)")
        #expect(text.contains(#"andon_audit_commit_seconds_count{runtime="line-a",sync="false"} 2"#))
        #expect(text.contains(#"andon_audit_commit_seconds_bucket{runtime="line-a",sync="true",le="+Inf"} 1"#))
        #expect(text.contains(#"andon_audit_commit_failures_total{runtime="line-a"} 1"#))
        #expect(memory.records.count == 4)
        guard let promtool = Self.promtool else { return }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("andon-metrics-\(UUID().uuidString).prom")
        try (MetricsText.render(try Self.demoSnapshot(), figures: RuntimeFigures(runtimeID: "line-a")) + text).write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try Self.run(promtool, ["check", "metrics"], stdin: file.path)
        #expect(result.status == 0 && result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "promtool: \(result.output)")
    }

    static var promtool: String? {
        ["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `path arguments` with standard input from `stdin`; its status and everything it printed.
    static func run(_ path: String, _ arguments: [String], stdin: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: stdin))
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
