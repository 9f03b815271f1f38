import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// The live runtime: snapshots and events for front ends, commands, and policy reloads from the file.
struct LiveRuntimeTests {
    private func runtime(policyPath: String? = nil, speed: Double = 50) throws -> PlantRuntime {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        var live = LiveOptions(speed: speed)
        live.watchedPolicyPath = policyPath
        let judge = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "p"))
        var reloader: (@Sendable () throws -> any ProposalJudge)?
        if let policyPath {
            reloader = { () throws -> any ProposalJudge in try PolicyEngine.load(path: policyPath) }
        }
        let roster: @Sendable (String) -> Person = { Person(name: $0, role: $0 == "ana" ? .supervisor : .observer) }
        return PlantRuntime(plant: plant, scenario: Scenario(name: "t", incidents: Fixtures.vibrationRise), options: EngineOptions(seed: 3),
                            live: live, judge: judge, audit: MemoryAuditSink(), roster: roster, policyReloader: reloader)
    }

    @Test func snapshotsAndEventsFlowAndCommandsAreAuthorisedByTheRuntime() async throws {
        let runtime = try runtime()
        let clock = Task { await runtime.run() }
        defer { clock.cancel() }
        var snapshots = runtime.snapshots().makeAsyncIterator()
        let first = try #require(await snapshots.next())
        #expect(first.cells.map(\.id) == ["A", "B"])
        var events = runtime.events().makeAsyncIterator()
        let event = try #require(await events.next())
        #expect(event.body.eventClass == .control)
        let refused = await runtime.send(.setPaused(true), as: Person(name: "eve", role: .observer))
        #expect(!refused.isAccepted)
        let paused = await runtime.send(.setPaused(true), as: Person(name: "ana", role: .supervisor))
        #expect(paused.isAccepted)
        #expect(await runtime.snapshotNow().isPaused)
        #expect(await runtime.person(named: "ana").role == .supervisor)
        #expect(await runtime.person(named: "stranger").role == .observer)
    }

    @Test func aChangedPolicyFileIsReloadedOnlyWhenValid() async throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("policies.yaml").path
        try Fixtures.twoCellPolicyYAML.write(toFile: path, atomically: true, encoding: .utf8)
        let runtime = try runtime(policyPath: path, speed: 5)
        let clock = Task { await runtime.run() }
        defer { clock.cancel() }
        // The run notes the file's date when it starts: a busy machine may start it late, so wait until it ticks.
        for _ in 0..<100 where await runtime.snapshotNow().time == 0 { try await Task.sleep(for: .milliseconds(100)) }
        try await Task.sleep(for: .milliseconds(300))
        try (Fixtures.twoCellPolicyYAML + "\n      colour: red\n").write(toFile: path, atomically: true, encoding: .utf8)
        var broken = await runtime.snapshotNow()
        for _ in 0..<150 where broken.policyProblem == nil {
            try await Task.sleep(for: .milliseconds(200))
            broken = await runtime.snapshotNow()
        }
        #expect(broken.policyProblem?.contains("error") == true, "\(broken.policyProblem ?? "no problem shown")")
        #expect(broken.policyVersion == "t1")
        try Fixtures.twoCellPolicyYAML.replacingOccurrences(of: "\"t1\"", with: "\"t2\"").write(toFile: path, atomically: true, encoding: .utf8)
        var fixed = await runtime.snapshotNow()
        for _ in 0..<150 where fixed.policyVersion != "t2" {
            try await Task.sleep(for: .milliseconds(200))
            fixed = await runtime.snapshotNow()
        }
        #expect(fixed.policyVersion == "t2")
        #expect(fixed.policyProblem == nil)
    }
}
