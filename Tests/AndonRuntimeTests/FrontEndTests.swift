import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// What front ends can and cannot do to the live runtime: a reader that stops reading never slows the plant, and
/// every command they send is on record, refusals included.
struct FrontEndTests {
    private func runtime(audit: MemoryAuditSink = MemoryAuditSink(), eventCapacity: Int = 16,
                         reloader: (@Sendable () throws -> any ProposalJudge)? = nil) throws -> PlantRuntime {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        var live = LiveOptions(speed: 50)
        live.eventMailboxCapacity = eventCapacity
        let judge = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "p"))
        let roster: @Sendable (String) -> Person = { Person(name: $0, role: $0 == "ana" ? .supervisor : .observer) }
        return PlantRuntime(plant: plant, scenario: Scenario(name: "t", incidents: Fixtures.vibrationRise), options: EngineOptions(seed: 3),
                            live: live, judge: judge, audit: audit, roster: roster, policyReloader: reloader)
    }

    @Test(.timeLimit(.minutes(1)))
    func aFrontEndThatStopsReadingIsCutOffAndThePlantGoesOn() async throws {
        let runtime = try runtime(eventCapacity: 16)
        let stalled = runtime.events()
        // An hour of plant time produces far more than 16 events: the stalled reader would hold the runtime.
        await runtime.advance(seconds: 3600)
        #expect(await runtime.snapshotNow().time >= 3600)
        var received = 0
        for await _ in stalled { received += 1 }
        #expect(received <= 16, "the stalled reader's stream ended after what its mailbox held")
        #expect(runtime.frontEndFigures.cutOff >= 1)
        #expect(await runtime.snapshotNow().queues.first { $0.id == "frontend.events" }?.drops ?? 0 >= 1, "the cut-off is counted where the Queues pane shows it")
    }

    @Test func aReloadRefusedForItsRoleOrForWantOfAFileIsOnRecord() async throws {
        let audit = MemoryAuditSink()
        let noFile = try runtime(audit: audit)
        let eve = Person(name: "eve", role: .observer)
        #expect(await !noFile.send(.reloadPolicy, as: eve).isAccepted)
        #expect(await !noFile.send(.reloadPolicy, as: Person(name: "ana", role: .supervisor)).isAccepted)
        await noFile.advance(seconds: 1)
        let records = audit.records(.policyReload) + audit.records(.operatorCommand).filter { $0.payload.contains("reload") }
        #expect(records.count == 2, "\(audit.records.map(\.kind))")
        #expect(records.contains { $0.actor == .person(eve) })
    }
}
