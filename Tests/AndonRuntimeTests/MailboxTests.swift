import AndonCore
import AndonTesting
import Testing
@testable import AndonRuntime

/// Each overflow policy, and the figures every queue exposes.
struct MailboxTests {
    @Test func telemetryDropsTheOldestAndCounts() {
        var box = Mailbox<Int>(name: "t", capacity: 3)
        for i in 1...5 { _ = box.offer(i, policy: .dropOldest) }
        #expect(box.drops == 2)
        #expect(box.depth == 3)
        #expect(box.highWater == 3)
        #expect([box.take(), box.take(), box.take()] == [3, 4, 5])
        #expect(box.take() == nil)
    }

    @Test func controlIsNeverDroppedTheProducerWaits() {
        var box = Mailbox<Int>(name: "c", capacity: 2)
        #expect(box.offer(1, policy: .producerWaits) == .accepted)
        #expect(box.offer(2, policy: .producerWaits) == .accepted)
        #expect(box.offer(3, policy: .producerWaits) == .full)
        #expect(box.drops == 0)
        #expect(box.waits == 1)
        #expect(box.take() == 1)
        #expect(box.offer(3, policy: .producerWaits) == .accepted)
        #expect([box.take(), box.take()] == [2, 3])
    }

    @Test func highWaterStaysAfterDraining() {
        var box = Mailbox<Int>(name: "h", capacity: 10)
        for i in 0..<7 { _ = box.offer(i, policy: .dropOldest) }
        while box.take() != nil {}
        #expect(box.figures == QueueFigures(capacity: 10, depth: 0, highWater: 7, drops: 0, waits: 0))
    }

    @Test func slowPlannerMailboxOverflowsAndDropsTelemetry() throws {
        let plant = try Fixtures.demoPlant()
        let engine = PlantEngine(plant: plant, options: EngineOptions(seed: 1))
        engine.run(until: 600)
        let planners = engine.queueSnapshots.filter { $0.id.hasSuffix("planner") }
        #expect(planners.count == 3)
        for queue in planners {
            #expect(queue.highWater == queue.capacity)
            #expect(queue.drops > 0)
        }
        let others = engine.queueSnapshots.filter { $0.kind == QueueKind.mailbox && !$0.id.hasSuffix("planner") }
        #expect(others.allSatisfy { $0.drops == 0 })
    }
}
