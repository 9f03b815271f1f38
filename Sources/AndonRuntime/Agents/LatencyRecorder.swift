import Foundation
import Histogram

/// Decision latency of one agent in an HDR histogram (nanoseconds), against its budget, with a short
/// history of per-interval p99s for sparklines.
struct LatencyRecorder {
    private var total: Histogram<UInt64>
    /// This interval's samples; a few dozen per agent, so a sort at the end of the interval is cheap
    /// (resetting a second HDR histogram every interval cost more than the agents themselves).
    private var interval: [UInt64] = []
    let budgetNanos: UInt64
    private(set) var breaches = 0
    private(set) var decisions = 0
    private(set) var recentP99: [Double] = []
    static let sparkLength = 24
    static let highest: UInt64 = 120_000_000_000

    init(budgetSeconds: Double) {
        budgetNanos = UInt64(budgetSeconds * 1e9)
        total = Histogram(lowestDiscernibleValue: 1, highestTrackableValue: Self.highest, numberOfSignificantValueDigits: .three)
    }

    mutating func record(nanos: UInt64) {
        let value = min(nanos, Self.highest)
        _ = total.record(value)
        if interval.count < 4096 { interval.append(value) }
        decisions += 1
        if value > budgetNanos { breaches += 1 }
    }

    /// Closes an interval: its p99 joins the sparkline history.
    mutating func rollInterval() {
        guard !interval.isEmpty else { return }
        interval.sort()
        let rank = min(interval.count - 1, Int((Double(interval.count) * 0.99).rounded(.up)) - 1)
        recentP99.append(Double(interval[max(0, rank)]) / 1e9)
        if recentP99.count > Self.sparkLength { recentP99.removeFirst(recentP99.count - Self.sparkLength) }
        interval.removeAll(keepingCapacity: true)
    }

    /// p50, p90, p99 and max in seconds.
    var percentiles: (p50: Double, p90: Double, p99: Double, max: Double) {
        guard total.totalCount > 0 else { return (0, 0, 0, 0) }
        return (Double(total.valueAtPercentile(50)) / 1e9, Double(total.valueAtPercentile(90)) / 1e9,
                Double(total.valueAtPercentile(99)) / 1e9, Double(total.max) / 1e9)
    }
}

/// A monotonic clock in nanoseconds.
enum Monotonic {
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
