import Testing
@testable import AndonRuntime

@Suite struct LatencyRecorderTests {
    /// A deterministic spread of latencies: mostly tens of microseconds, a tail into milliseconds and seconds.
    private func samples(_ n: Int) -> [UInt64] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<n).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let draw = Double(state >> 11) / Double(1 << 53)
            if draw < 0.9 { return UInt64(5_000 + draw * 60_000) }           // 5–59 µs
            if draw < 0.99 { return UInt64(draw * 4_000_000) }               // up to 4 ms
            return UInt64(draw * 900_000_000)                                // up to 0.9 s
        }
    }

    @Test func percentilesMatchTheSortedSamplesWithinTheHistogramsResolution() {
        let values = samples(5_000)
        var recorder = LatencyRecorder(budgetSeconds: 0.005)
        for v in values { recorder.record(nanos: v) }
        let sorted = values.sorted()
        let figures = recorder.exact
        for (percentile, measured) in [(50.0, figures.p50), (90.0, figures.p90), (99.0, figures.p99)] {
            let exact = Double(nearestRank(sorted, percentile: percentile)!) / 1e9
            // One significant digit: the bucket's highest equivalent value is at most 1/16 above the sample
            // (plus the microsecond the recorder rounds to).
            #expect(measured >= exact - 1e-6, "p\(percentile): \(measured) below \(exact)")
            #expect(measured <= exact * 1.0625 + 1e-6, "p\(percentile): \(measured) above \(exact)")
        }
        #expect(figures.max == Double(sorted.last!) / 1e9)
        #expect(recorder.decisions == 5_000)
        #expect(recorder.breaches == values.filter { $0 > 5_000_000 }.count)
    }

    @Test func slowDecisionsAreRecordedUpToOneSecondAndTheMaximumIsExact() {
        var recorder = LatencyRecorder(budgetSeconds: 1)
        recorder.record(nanos: 20_000)
        #expect(recorder.exact.p99 == 0.00002, "values below 32 µs are exact to the microsecond")
        recorder.record(nanos: 500_000_000_000)
        let p99 = recorder.exact.p99
        #expect(p99 >= 1 && p99 <= 1.0625, "a 500 s decision is recorded at the 1 s ceiling, got \(p99)")
        #expect(recorder.exact.max == 500)
        #expect(recorder.breaches == 1)
    }

    @Test func aHistogramThatGrowsGivesTheSamePercentilesAsOneSizedForTheFullRange() {
        // Fast samples first, then ever slower ones (past the 1 s ceiling), with intervals closing in between: every
        // growth of the histogram is crossed with counts already in it.
        var values = samples(3_000)
        values += [31_000, 32_000, 63_999, 64_000, 999_999, 1_000_000, 1_000_001, 250_000_000, 999_999_999, 1_000_000_000, 7_000_000_000]
        values += samples(2_000).map { $0 * 3 }
        var growing = LatencyRecorder(budgetSeconds: 0.005)
        var fixed = LatencyRecorder(budgetSeconds: 0.005, initialMicros: LatencyRecorder.highestMicros)
        #expect(fixed.histogramRangeMicros == LatencyRecorder.highestMicros)
        for (n, v) in values.enumerated() {
            growing.record(nanos: v)
            fixed.record(nanos: v)
            if n % 97 == 0 {
                growing.rollInterval()
                fixed.rollInterval()
                let shown = (growing.percentiles(), fixed.percentiles())
                #expect(shown.0 == shown.1, "after \(n + 1) samples")
            }
            if n % 10 == 0 || n > 2_990 { #expect(growing.exact == fixed.exact, "after \(n + 1) samples") }
        }
        #expect(growing.exact == fixed.exact)
        #expect(growing.recentP99 == fixed.recentP99)
    }

    @Test func aRecorderOfFastDecisionsKeepsItsHistogramSmall() {
        var recorder = LatencyRecorder(budgetSeconds: 0.005)
        for v in samples(1_000) where v < 60_000 { recorder.record(nanos: v) }
        #expect(recorder.histogramRangeMicros < 64)
    }

    /// Over a long live run an agent meets the odd slow decision; its histogram stays at the size fast ones need, and the
    /// slow ones, counted apart, still give the percentiles of one histogram reaching 1 s: with few of them, with many
    /// in one bucket, and with the slowest deciding the p99.
    @Test(arguments: [1, 40, 2_000])
    func slowDecisionsLeaveTheHistogramSmallAndThePercentilesAsTheyWere(slowEvery: Int) {
        var growing = LatencyRecorder(budgetSeconds: 0.005)
        var fixed = LatencyRecorder(budgetSeconds: 0.005, initialMicros: LatencyRecorder.highestMicros)
        let slow: [UInt64] = [1_024_000, 1_087_000, 1_088_000, 5_000_000, 5_000_000, 48_000_000, 300_000_000, 999_000_000, 4_000_000_000]
        for (n, v) in samples(4_000).enumerated() {
            let value = n % slowEvery == 0 ? slow[(n / slowEvery) % slow.count] : v % 900_000
            growing.record(nanos: value)
            fixed.record(nanos: value)
            if n % 50 == 0 { #expect(growing.exact == fixed.exact, "after \(n + 1) samples") }
        }
        #expect(growing.exact == fixed.exact)
        #expect(growing.histogramRangeMicros <= LatencyRecorder.denseMicros)
        // One in forty or more is slow: the p99 is one of them.
        if slowEvery <= 40 {
            #expect(growing.exact.p99 > 0.001, "slow decisions count: p99 \(growing.exact.p99)")
            #expect(growing.exact.max == 4, "the slowest, 4 s, is the maximum, exact")
        }
    }

    /// The sparkline is the last 24 intervals' p99s whether it is written where it is (nobody took it) or built anew
    /// (a snapshot took it), and what a snapshot took never changes after.
    @Test func theSparklineKeepsItsLast24AndWhatASnapshotTookStays() {
        var recorder = LatencyRecorder(budgetSeconds: 1)
        var expected: [Double] = []
        var held: [(taken: [Double], expected: [Double])] = []
        for interval in 1...80 {
            // Interval n's decisions all take n µs, so its p99 is n µs.
            for _ in 0..<5 { recorder.record(nanos: UInt64(interval) * 1_000) }
            recorder.rollInterval()
            expected.append(Double(interval) / 1e6)
            #expect(recorder.recentP99 == Array(expected.suffix(24)), "after interval \(interval)")
            // Taken by a snapshot in some stretches, not in others, and read without taking now and then.
            if (interval / 10) % 2 == 0 || interval % 7 == 0 { held.append((recorder.sharedRecentP99(), Array(expected.suffix(24)))) }
            if interval % 5 == 0 { held.append((recorder.recentP99, Array(expected.suffix(24)))) }
        }
        #expect(held.count > 40)
        for (i, kept) in held.enumerated() where kept.taken != kept.expected {
            Issue.record("sparkline \(i) changed after it was taken")
        }
        #expect(recorder.recentP99.count == 24)
    }

    @Test func cachedPercentilesChangeOnlyWhenAnIntervalCloses() {
        var recorder = LatencyRecorder(budgetSeconds: 1)
        for _ in 0..<10 { recorder.record(nanos: 30_000) }
        #expect(recorder.percentiles().p50 == 0)
        recorder.rollInterval()
        #expect(recorder.percentiles().p50 == 0.00003)
        #expect(recorder.recentP99 == [0.00003])
        for _ in 0..<90 { recorder.record(nanos: 900_000) }
        #expect(recorder.percentiles().p50 == 0.00003, "unchanged until the interval closes")
        recorder.rollInterval()
        let p = recorder.percentiles()
        #expect(p.p50 >= 0.0009 && p.p50 <= 0.0009 * 1.0625)
        #expect(p.max == 0.0009)
    }

    /// The percentiles shown after an interval closes are those of every decision recorded up to then, whether the
    /// interval's decisions left each percentile in its bucket (worked out from the interval alone) or moved one (the
    /// histogram walked again): checked against a recorder given the same decisions and read afresh, over streams that
    /// settle, drift, jump into the slow buckets, overflow an interval's room for samples, and are read when decisions
    /// of the next interval have come (they count from its close). Only a percentile that moved walks the histogram.
    @Test(arguments: [0, 1, 2, 3])
    func percentilesAfterEachIntervalAreThoseOfEveryDecisionSoFar(stream: Int) {
        var recorder = LatencyRecorder(budgetSeconds: 0.005)
        var mirror = LatencyRecorder(budgetSeconds: 0.005, initialMicros: LatencyRecorder.highestMicros)
        var state: UInt64 = 0xD1B5_4A32_D192_ED03 &+ UInt64(stream)
        func draw() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        var walks = 0, pending: [UInt64] = []
        // Read once before anything is recorded, as a front end's first snapshot reads it: from then on each close
        // brings the percentiles up to date.
        let before = recorder.percentiles()
        #expect(before.p99 == 0)
        for interval in 0..<400 {
            let count = stream == 2 && interval % 50 == 7 ? 5_000 : 1 + Int(draw() * 40)   // now and then beyond its room
            // The recorder has the decisions that came before the last read; the mirror takes them now.
            for nanos in pending { mirror.record(nanos: nanos) }
            pending = []
            var decisions: [UInt64] = []
            for _ in 0..<count {
                let d = draw()
                let micros: Double
                switch stream {
                case 0: micros = 2 + d * 6                                         // settles: 2–8 µs
                case 1: micros = 3 + d * Double(interval) * 0.5                    // drifts slower all along
                case 2: micros = d < 0.995 ? 4 + d * 20 : 1_500 + d * 400_000      // the odd slow one
                default: micros = interval < 200 ? 2 + d * 3 : 900 + d * 300       // jumps across the dense range's end
                }
                decisions.append(UInt64(micros * 1_000))
            }
            for nanos in decisions {
                recorder.record(nanos: nanos)
                mirror.record(nanos: nanos)
            }
            if recorder.rollInterval() { walks += 1 }
            // Now and then decisions of the next interval come before the percentiles are read.
            if interval % 3 == 0 {
                pending = [7_000_000, 40_000, 1_000]
                for nanos in pending { recorder.record(nanos: nanos) }
            }
            let shown = recorder.percentiles(), expected = mirror.exact
            #expect(shown.p50 == expected.p50 && shown.p90 == expected.p90 && shown.p99 == expected.p99,
                    "stream \(stream), interval \(interval): shown \(shown), afresh \(expected)")
        }
        if stream == 0 { #expect(walks * 10 < 400, "a settled stream walked the histogram \(walks) times in 400 intervals") }
        #expect(walks > 0)
    }

    /// A recorder nobody reads (a headless run) does no percentile work when an interval closes; its first read works
    /// them out over every decision recorded by then, and later closes keep them up to date.
    @Test func percentilesNobodyReadsAreWorkedOutWhenFirstRead() {
        var recorder = LatencyRecorder(budgetSeconds: 0.005)
        for interval in 0..<30 {
            for n in 0..<20 { recorder.record(nanos: UInt64(1_000 + (interval * 20 + n) % 50 * 1_000)) }
            let walked = recorder.rollInterval()
            #expect(!walked, "no walk while nobody reads")
        }
        for _ in 0..<5 { recorder.record(nanos: 900_000) }
        let first = recorder.percentiles(), expected = recorder.exact
        #expect(first.p50 == expected.p50 && first.p90 == expected.p90 && first.p99 == expected.p99)
        #expect(first.p99 > 0)
        for _ in 0..<200 { recorder.record(nanos: 2_000_000) }
        recorder.rollInterval()
        let later = recorder.percentiles(), now = recorder.exact
        #expect(later.p50 == now.p50 && later.p90 == now.p90 && later.p99 == now.p99)
        #expect(later.p99 > first.p99)
    }
}
