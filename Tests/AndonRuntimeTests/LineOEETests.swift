import AndonCore
import AndonTesting
import Testing
@testable import AndonRuntime

/// Line OEE a supervisor can trust: a broken cell stops the line's availability at once, and no figure is given
/// before there is enough data for one.
@Suite struct LineOEETests {
    /// Two cells with six parts between them, so B keeps working a while after A stops.
    func twin() throws -> Twin {
        let yaml = Fixtures.twoCellPlantYAML(bufferCapacity: 8).replacingOccurrences(of: "initial: 0", with: "initial: 6")
        return Twin(spec: try PlantSpec.parse(yaml), seed: 2)
    }

    @Test func aBrokenDownCellStopsTheLinesAvailabilityWhileItsBufferStillFeedsTheLastCell() throws {
        let twin = try twin()
        for _ in 0..<900 { twin.step() }
        let before = twin.lineSnapshot(0).shiftOEE
        #expect(before.availability > 0.99)
        twin.breakDown(0, repair: 1800)
        var lastCellRan = 0
        for _ in 0..<200 {
            twin.step()
            if twin.state(of: "B") == .execute { lastCellRan += 1 }
        }
        #expect(lastCellRan > 150, "B kept working from the buffer")
        let after = twin.lineSnapshot(0).shiftOEE
        #expect(after.availability < 0.83, "the line counts as down from the breakdown on: \(after.availability)")
        #expect(after.value < before.value)
    }

    @Test func noFigureBeforeTenCyclesAndTenMinutes() throws {
        let twin = try twin()
        for _ in 0..<120 { twin.step() }
        #expect(!twin.lineSnapshot(0).shiftOEE.isSettled)
        #expect(!twin.cellSnapshot(0, staleAfter: 10).shiftOEE.isSettled)
        for _ in 120..<600 { twin.step() }
        #expect(twin.lineSnapshot(0).shiftOEE.isSettled, "ten minutes, and ten 40 s cycles of the line's slowest cell")
        #expect(twin.cellSnapshot(0, staleAfter: 10).shiftOEE.isSettled)
    }

    @Test func theFigureIsGoodPartsTimesTheSlowestCycleOverPlannedTime() throws {
        let twin = try twin()
        for _ in 0..<3600 { twin.step() }
        let oee = twin.lineSnapshot(0).shiftOEE
        let good = twin.lines[0].clock.clock.shiftGood
        #expect(abs(oee.value - Double(good) * 40 / 3600) < 0.02, "uncapped, OEE is good out × ideal cycle ÷ planned time")
    }
}
