import Foundation
import Testing
@testable import AndonRuntime

/// The clock agents' latencies are timed with keeps time with `CLOCK_MONOTONIC`, whichever way it reads time.
@Suite struct MonotonicTests {
    @Test func itKeepsTimeWithTheSystemsMonotonicClock() {
        // Each reading of this clock is bracketed by two of the system's, so a thread put aside on a busy machine
        // widens the bracket instead of failing the test.
        _ = Monotonic.now()
        let before0 = Monotonic.system(), clock0 = Monotonic.now(), after0 = Monotonic.system()
        usleep(50_000)
        let before1 = Monotonic.system(), clock1 = Monotonic.now(), after1 = Monotonic.system()
        let clockElapsed = Double(clock1 - clock0)
        let least = Double(before1 - after0), most = Double(after1 - before0)
        #expect(least >= 50_000_000)
        #expect(clockElapsed >= least * 0.99 - 200_000 && clockElapsed <= most * 1.01 + 200_000,
                "\(clockElapsed) ns against \(least)–\(most) ns")
    }

    @Test func itReadsTheCounterWhereTheKernelKeepsTimeByIt() throws {
        let source = try? String(contentsOfFile: "/sys/devices/system/clocksource/clocksource0/current_clocksource", encoding: .utf8)
        #expect((Monotonic.counterScale != nil) == (source?.trimmingCharacters(in: .whitespacesAndNewlines) == "tsc"))
    }

    @Test func itNeverRunsBackwards() {
        var last = Monotonic.now()
        for _ in 0..<100_000 {
            let now = Monotonic.now()
            #expect(now >= last)
            last = now
        }
    }

    @Test func theCountersScaleTurnsCountsIntoNanoseconds() {
        // 2 counts per nanosecond: 0.5 ns per count, as a 32.32 fixed-point number.
        let scale = Monotonic.CounterScale(origin: 1_000, start: 7, perCount: 1 << 31)
        #expect(scale.nanoseconds(1_000) == 7)
        #expect(scale.nanoseconds(1_000 + 2_000_000_000) == 7 + 1_000_000_000)
        #expect(scale.nanoseconds(1_000 + 1 << 62) == 7 + 1 << 61, "no overflow for a counter far from its origin")
        #expect(scale.nanoseconds(999) == 7, "a counter a little behind the origin reads as no time passed")
    }
}
