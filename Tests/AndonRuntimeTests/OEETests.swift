import AndonCore
import Testing

/// OEE = availability × performance × quality, from raw counts.
struct OEETests {
    struct Case: Sendable, CustomTestStringConvertible {
        var planned: Double, run: Double, cycle: Double, produced: Int, good: Int
        var availability: Double, performance: Double, quality: Double
        var testDescription: String { "planned \(planned)s run \(run)s \(produced) parts" }
    }

    static let cases: [Case] = [
        Case(planned: 28800, run: 24000, cycle: 60, produced: 380, good: 370, availability: 24000.0 / 28800, performance: 22800.0 / 24000, quality: 370.0 / 380),
        Case(planned: 3600, run: 3600, cycle: 30, produced: 120, good: 120, availability: 1, performance: 1, quality: 1),
        Case(planned: 3600, run: 0, cycle: 30, produced: 0, good: 0, availability: 0, performance: 0, quality: 0),
    ]

    @Test(arguments: cases)
    func factors(_ c: Case) {
        let oee = OEE.compute(plannedSeconds: c.planned, runSeconds: c.run, idealCycleSeconds: c.cycle, produced: c.produced, good: c.good)
        #expect(abs(oee.availability - c.availability) < 1e-9)
        #expect(abs(oee.performance - c.performance) < 1e-9)
        #expect(abs(oee.quality - c.quality) < 1e-9)
        #expect(abs(oee.value - c.availability * c.performance * c.quality) < 1e-9)
    }

    @Test func worldClassExample() {
        let oee = OEE(availability: 0.9, performance: 0.95, quality: 0.999)
        #expect(abs(oee.value - 0.854145) < 1e-6)
    }

    @Test func performanceIsCapped() {
        let oee = OEE.compute(plannedSeconds: 100, runSeconds: 100, idealCycleSeconds: 10, produced: 20, good: 20)
        #expect(oee.performance == 1)
    }
}
