import AndonCore
import PropertyBased
import Testing

/// Durations read as written, up to the longest any file may give, and every duration can be written.
struct DurationProperties {
    static let units: [(suffix: String, seconds: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86_400), ("", 1)]

    @Test func aDurationReadsAsItsNumberTimesItsUnit() async {
        await propertyCheck(count: 1000, input: Gen.double(in: 0...1e7), Gen.element(of: Self.units)) { number, unit in
            guard let unit else { return }
            let seconds = TimeText.seconds(parsing: "\(number)\(unit.suffix)")
            let expected = number * unit.seconds
            if expected <= TimeText.longestSeconds {
                #expect(seconds == expected, "\(number)\(unit.suffix)")
            } else {
                #expect(seconds == nil, "\(number)\(unit.suffix) is longer than any file may give")
            }
        }
    }

    @Test func everyDurationCanBeWritten() async {
        // Every bit pattern: infinities, NaNs, subnormals and the largest magnitudes included.
        await propertyCheck(count: 1000, input: Gen<UInt64>.value()) { bits in
            #expect(!TimeText.duration(Double(bitPattern: bits)).isEmpty)
        }
    }

    @Test func wholeSecondsMinutesAndHoursReadBack() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...59), Gen.element(of: [1.0, 60, 3600])) { count, scale in
            guard let scale, count > 0 else { return }
            let seconds = Double(count) * scale
            #expect(TimeText.seconds(parsing: TimeText.duration(seconds)) == seconds, "\(seconds) s as \(TimeText.duration(seconds))")
        }
    }
}
