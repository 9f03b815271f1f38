import AndonCore
import AndonTesting
import Testing
@testable import AndonRuntime

/// Agents propose once per condition, stand down on stale data, and actions apply once per key.
struct AgentTests {
    private let agents = "[{id: A.maint, kind: maintenance, version: 1.0.0, mode: active, budget: 5ms}, {id: A.safety, kind: safety, version: 1.0.0, mode: active, budget: 1ms}]"

    private func engine(_ incidents: [Incident], agents: String? = nil) throws -> (PlantEngine, [Proposal]) {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: agents ?? self.agents))
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: incidents), options: EngineOptions(seed: 5))
        return (engine, [])
    }

    private func collect(_ engine: PlantEngine, until end: SimTime) -> [Proposal] {
        var proposals: [Proposal] = []
        let previous = engine.onEvent
        engine.onEvent = { event in
            previous?(event)
            if case let .proposal(p) = event.body { proposals.append(p) }
        }
        engine.run(until: end)
        return proposals
    }

    @Test func oneConditionGivesOneProposalNotOnePerTick() throws {
        // Vibration climbs above the warning limit and stays there for 20 minutes.
        let (engine, _) = try engine([Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 2, duration: 60))])
        let proposals = collect(engine, until: 1200)
        let reduce = proposals.filter { $0.action == .reduceSpeed }
        #expect(reduce.count == 1)
        #expect(proposals.filter { $0.action == .scheduleMaintenance }.count <= 1)
        #expect(Set(proposals.map(\.idempotencyKey)).count == proposals.count)
    }

    @Test func proposalCarriesEverythingNeededToJudgeIt() throws {
        let (engine, _) = try engine([Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 2, duration: 60))])
        let proposal = try #require(collect(engine, until: 600).first)
        #expect(proposal.agentID == "A.maint")
        #expect(proposal.agentVersion == "1.0.0")
        #expect(proposal.target == "A" && proposal.line == "L1")
        #expect(!proposal.rationale.isEmpty)
        #expect(proposal.evidence.first?.unit == "mm/s")
        #expect(proposal.evidence.first?.limit == 2.8)
        #expect(!proposal.correlationID.rawValue.isEmpty)
    }

    @Test func hardLimitGivesOneInterlockHold() throws {
        let (engine, _) = try engine([Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 8, duration: 120))])
        let holds = collect(engine, until: 900).filter { $0.action == .holdCell }
        #expect(holds.count == 1)
        #expect(holds.first?.risk == .critical)
    }

    @Test func staleDataRaisesDataQualityAlarmInsteadOfProposals() throws {
        let (engine, _) = try engine([
            Incident(at: 5, target: "A", kind: .telemetryLoss(duration: 1200)),
            Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 2, duration: 60)),
        ])
        var alarms: [AlarmChange] = []
        engine.onEvent = { if case let .alarm(change) = $0.body, change.tag.hasSuffix("STALE") { alarms.append(change) } }
        let proposals = collect(engine, until: 1000)
        #expect(proposals.isEmpty)
        #expect(alarms.count == 1)
        #expect(alarms.first?.state == .unacknowledged)
        let snapshot = engine.snapshot()
        #expect(snapshot.cells[0].isStale)
        #expect(snapshot.cells[0].status == .stale)
        #expect(snapshot.cells[0].topAlarm?.priority == 3)
    }

    @Test func freshDataAgainClearsTheAlarmAndAgentsResume() throws {
        let (engine, _) = try engine([
            Incident(at: 5, target: "A", kind: .telemetryLoss(duration: 120)),
            Incident(at: 200, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 2, duration: 60)),
        ])
        let proposals = collect(engine, until: 900)
        #expect(proposals.contains { $0.action == .reduceSpeed })
        #expect(engine.snapshot().cells[0].isStale == false)
    }

    @Test func theSameKeyAppliesOnce() throws {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML())
        let twin = Twin(spec: plant, seed: 1)
        var executor = Executor()
        let proposal = Proposal(id: "p-1", action: .reduceSpeed, parameters: ["percent": 20], target: "A", line: "L1", rationale: "", evidence: [],
                                risk: .low, idempotencyKey: "A.maint/reduce_speed/1", agentID: "A.maint", agentKind: .maintenance, agentVersion: "1",
                                correlationID: CorrelationID("c-1"), createdAt: 0)
        let first = executor.execute(proposal, on: twin)
        var again = proposal
        again.id = "p-2"
        let second = executor.execute(again, on: twin)
        #expect(first.0.applied)
        #expect(!second.0.applied)
        #expect(abs(twin.speed(of: "A")! - 0.8) < 1e-9)
    }

    @Test func shadowAgentProposesButIsMarked() throws {
        let shadow = "[{id: A.maint, kind: maintenance, version: 2.0.0, mode: shadow, budget: 5ms}]"
        let (engine, _) = try engine([Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 2, duration: 60))], agents: shadow)
        let proposals = collect(engine, until: 600)
        #expect(!proposals.isEmpty)
        #expect(proposals.allSatisfy { $0.isShadow })
        #expect(engine.twin.speed(of: "A") == 1)
    }

    @Test func latencyIsMeasuredPerAgentAgainstBudget() throws {
        let plant = try Fixtures.demoPlant()
        let engine = PlantEngine(plant: plant, options: EngineOptions(seed: 1))
        engine.run(until: 1200)
        // The demo plant's two outside agents are listed too, with no decisions in a run they are not attached to.
        let agents = engine.agentSnapshots.filter { $0.kind != .external }
        #expect(agents.count == 75)
        #expect(engine.agentSnapshots.filter { $0.kind == .external }.map(\.id) == ["assistant", "vibration.trend"])
        for agent in agents {
            #expect(agent.decisions > 0)
            #expect(agent.p50 <= agent.p90 && agent.p90 <= agent.p99 && agent.p99 <= agent.max)
        }
        let planner = try #require(agents.first { $0.kind == .planner })
        #expect(planner.isSimulated)
        #expect(planner.p50 > 0.02)
        #expect(planner.p50 < planner.budgetSeconds / 2, "nothing down on a quiet plant: the planner thinks well inside its budget")
        #expect(!planner.recentP99.isEmpty)
    }

    /// Agents close their latency intervals in turn, a tenth of them each second, so that no snapshot has to redo the
    /// percentiles of every agent at once; each still closes one interval every ten seconds, and the first within ten.
    @Test func agentsCloseTheirLatencyIntervalsInTurnEachOnceAPeriod() throws {
        let engine = PlantEngine(plant: try Fixtures.demoPlant(), options: EngineOptions(seed: 1))
        let count = engine.slots.count
        #expect(count == 75)
        var closedAt: [[Int]] = Array(repeating: [], count: count)
        var before = engine.slots.map(\.latency.intervalsClosed)
        for second in 1...60 {
            engine.tick()
            let now = engine.slots.map(\.latency.intervalsClosed)
            for s in 0..<count where now[s] != before[s] {
                #expect(now[s] == before[s] + 1, "agent \(s) closed one interval at \(second) s")
                closedAt[s].append(second)
            }
            let closing = (0..<count).filter { now[$0] != before[$0] }.count
            #expect(closing <= (count + 9) / 10, "at \(second) s, \(closing) of \(count) agents closed an interval")
            before = now
        }
        for s in 0..<count {
            let first = try #require(closedAt[s].first, "agent \(s) closed an interval")
            #expect(first <= 10)
            #expect(zip(closedAt[s], closedAt[s].dropFirst()).allSatisfy { $1 - $0 == 10 }, "agent \(s): \(closedAt[s])")
            #expect(closedAt[s].count >= 5)
        }
        // Different agents close in different seconds: every second of the ten is some agent's.
        #expect(Set(closedAt.compactMap { $0.first.map { $0 % 10 } }).count == 10)
    }
}
