import AndonCore
import AndonPolicy
import AndonRuntime
import AndonStore
import AndonTesting
import Foundation
import Testing
@testable import AndonStorePostgres

/// The runtime's engine writing to the shared store while its PostgreSQL goes away and comes back: decisions are
/// refused, saying why, nothing runs without its record, and once the server is back the store reconnects and the
/// refused decision goes through.
@Suite("A runtime on the shared store", .serialized, .enabled(if: TestPostgres.isEnabled))
struct RuntimeOnSharedStoreTests {
    static let ana = Person(name: "ana", role: .supervisor)

    @Test func aServerThatGoesAwayRefusesDecisionsSayingWhyAndTheRuntimeCarriesOnWhenItIsBack() throws {
        let cluster = try ThrowawayPostgres()
        let address = try SharedStoreAddress(url: cluster.url)
        let store = try SharedAuditStore(address: address, runtimeID: "line-a", lines: ["L1"], now: fixedNow)
        defer { store.close() }
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        let roster: @Sendable (String) -> Person = { name in name == "ana" ? Self.ana : Person(name: name, role: .observer) }
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: Fixtures.vibrationRise),
                                 options: EngineOptions(seed: 11), judge: policy, audit: store, roster: roster)
        engine.start(recovering: Recovery())
        var pending: Approval?
        while engine.time < 1800, pending == nil {
            engine.tick()
            pending = engine.pendingApprovals.first
        }
        let approval = try #require(pending)
        let committed = store.head.sequence

        try cluster.stop()
        let refused = engine.handle(.approve(approvalID: approval.proposal.id), as: Self.ana)
        #expect(!refused.isAccepted)
        #expect(refused.message.contains("audit store"), "\(refused.message)")
        let health = engine.snapshot().audit
        #expect(!health.isHealthy)
        #expect(health.problem?.contains("unreachable") == true, "\(health.problem ?? "")")
        #expect(engine.pendingApprovals.first?.proposal.id == approval.proposal.id, "nothing was decided")

        try cluster.start()
        engine.commitAudit()
        #expect(engine.snapshot().audit.isHealthy)
        #expect(engine.handle(.approve(approvalID: approval.proposal.id), as: Self.ana).isAccepted)
        #expect(store.head.sequence > committed)
        #expect(try store.verify().isIntact)
        #expect(!(try SharedAnchors.verify(address: address)).isBroken)
    }
}
