import AndonCore
import Testing
@testable import AndonRuntime

/// The rolling window's totals are those of the minutes it covers: checked against every minute's totals kept
/// separately, through seconds, silences shorter and longer than the window, and parts counted one and several at a time.
@Suite struct StateClockTests {
    struct Minute {
        var planned = 0.0, run = 0.0, produced = 0, good = 0
    }

    @Test(arguments: [1, 3, 15])
    func theWindowIsTheSumOfTheMinutesItCovers(windowMinutes: Int) {
        var clock = StateClock(windowMinutes: windowMinutes)
        var minutes: [Int: Minute] = [:]
        var generator = SplitMix(seed: UInt64(windowMinutes))
        var now = 0.0, minute = 0
        for step in 0..<6_000 {
            // Mostly seconds; now and then a silence (a few minutes, or longer than the window).
            let dt: Double = switch generator.next() % 200 {
            case 0: Double(60 * windowMinutes + 61)
            case 1: 185
            default: 1
            }
            now += dt
            let isRunning = generator.next() % 4 != 0
            clock.advance(isRunning: isRunning, dt: dt, now: now)
            minute = Int(now / 60)
            minutes[minute, default: Minute()].planned += dt
            if isRunning { minutes[minute, default: Minute()].run += dt }
            switch generator.next() % 5 {
            case 0:
                let good = generator.next() % 3 != 0
                clock.count(good: good)
                minutes[minute, default: Minute()].produced += 1
                minutes[minute, default: Minute()].good += good ? 1 : 0
            case 1:
                let produced = Int(generator.next() % 4), good = produced - Int(generator.next() % 2) * min(1, produced)
                clock.count(produced: produced, good: good)
                minutes[minute, default: Minute()].produced += produced
                minutes[minute, default: Minute()].good += good
            default: break
            }
            var expected = Minute()
            for m in (minute - windowMinutes + 1)...minute {
                guard let totals = minutes[m] else { continue }
                expected.planned += totals.planned
                expected.run += totals.run
                expected.produced += totals.produced
                expected.good += totals.good
            }
            let window = clock.window
            guard window.planned == expected.planned, window.run == expected.run, window.produced == expected.produced,
                  window.good == expected.good else {
                Issue.record("step \(step) at \(now) s: window \(window), expected \(expected)")
                return
            }
        }
    }

    /// A small deterministic generator, so a failure repeats.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }
}
