import AndonCore
import Foundation
import Histogram

/// Decision latency of one agent in an HDR histogram, against its budget, with a short history of per-interval
/// p99s for sparklines.
///
/// The histogram covers 1 µs to 1 s (four times the slowest budget) with one significant digit. A percentile read
/// from it is the top of its bucket, at most 1/16 (6.25 %) above the true value; a decision slower than 1 s is
/// counted at 1 s. Budget breaches, decisions and the maximum are counted exactly beside it.
/// It starts with room for 0–31 µs (32 counts, 128 bytes) and grows by whole buckets only when a slower decision
/// comes, up to the 112 counts (448 bytes) that reach 1,023 µs. A decision slower than that is counted apart, one
/// pair for each bucket of the full histogram that such decisions fell into (``slow``): over a long live run nearly
/// every agent meets the odd slow decision (a preempted thread, a page fault), and the histogram grown to reach it
/// would have been 1.1 KB for each of them (a console of 40,050 agents gained 11 MB between its third and seventh
/// minute this way, heading for 44). The buckets, so the percentiles, are those of one histogram reaching 1 s,
/// whatever the sizes and wherever the counts are kept.
/// Two significant digits would cost 1.5 KB for latencies up to 255 µs and 512 bytes more for every doubling
/// beyond: a plant of 10,000 cells has 40,000 agents, and over a long live run each meets the odd slow decision
/// (a preempted thread, a page fault), so their histograms would creep towards 11 KB each.
///
/// Percentiles over everything recorded are worked out when an interval closes (once something has read them: a
/// headless run works them out only when its report asks), and kept until the next closes. The
/// recorder keeps, for each of p50, p90 and p99, the bucket it fell in and how many decisions lie at or below that
/// bucket and below it; the closing interval's own decisions move those counts, and when every percentile's rank
/// still falls in its bucket the percentiles are what they were, with no walk over the histogram (whose counts are
/// a block of memory of their own: for a plant of 40,050 agents, a few thousand closing each second, those walks
/// were a fifth of a snapshot). Only a percentile that moved to another bucket walks the histogram, once for all
/// three. Over a long run an agent's percentiles settle, and nearly every interval closes without a walk.
struct LatencyRecorder {
    // The counts a snapshot reads of every agent come first, together, so that one cache line holds them (with the
    // mailbox's figures and the agent's mode in its slot): a snapshot of 40,050 agents reads them from memory.
    private(set) var decisions = 0
    private(set) var breaches = 0
    /// Intervals closed with decisions in them: each changes the sparkline and the percentiles.
    private(set) var intervalsClosed = 0
    private(set) var maxNanos: UInt64 = 0
    private var total: Histogram<UInt32>
    /// Decisions beyond ``total``'s range (above ``denseMicros``), one entry per bucket of the full histogram they fell
    /// into, in bucket order: the bucket's highest equivalent value in microseconds in the upper 32 bits, the count in
    /// the lower (a count does not reach 2^32 in any run).
    private var slow: [UInt64] = []
    /// This interval's samples in microseconds (at most about 71 minutes), in the order they came; a few dozen per
    /// agent, so a sort at the end of the interval is cheap. At most 4,096 are kept (``isIntervalPartial`` then).
    private var interval: [UInt32] = []
    /// True when the interval had more decisions than ``interval`` keeps: its p99 is that of the first 4,096, and the
    /// percentiles over everything are worked out from the histogram.
    private var isIntervalPartial = false
    let budgetNanos: UInt64
    /// The per-interval p99s, oldest first. A snapshot takes them through ``sharedRecentP99()``.
    private(set) var recentP99: [Double] = []
    /// True when a snapshot may hold ``recentP99``: the next interval then builds a new array rather than write it.
    private var isRecentShared = false
    /// Decisions in each of ``AgentLatencyHistogram/bounds`` (at most that bound, above the one before), for metrics.
    private(set) var bucketCounts = InlineArray<12, UInt64>(repeating: 0)
    /// The sum of every decision's latency, for metrics.
    private(set) var sumNanos: UInt64 = 0
    /// p50, p90, p99 in seconds as of the last closed interval.
    private var cached: (p50: Double, p90: Double, p99: Double) = (0, 0, 0)
    // Read and written only when an interval closes, so kept after what every decision touches.
    /// Where p50, p90 and p99 stood when last worked out (none before the first interval, or after one that overflowed).
    private var standing: Standing?
    /// True once the percentiles have been read (a front end's snapshots read every agent's): from then on they are
    /// brought up to date at each close. Until then a close only marks them out of date (``isStale``), and the first
    /// read works them out from the histogram: a headless run, which reads them for its report only, pays nothing at
    /// each close.
    private var isWatched = false
    /// True when an interval closed since ``cached`` was worked out (only while nobody watches).
    private var isStale = false
    static let sparkLength = 24
    static let highestMicros: UInt64 = 1_000_000
    /// The slowest decision ``total`` grows to count, in microseconds; slower ones are counted in ``slow``.
    static let denseMicros: UInt64 = 1_023
    static let bucketNanos = AgentLatencyHistogram.boundNanos

    /// A recorder whose histogram starts out covering `initialMicros` (grown as slower decisions come; tests start
    /// it at the full range to compare).
    init(budgetSeconds: Double, initialMicros: UInt64 = 2) {
        budgetNanos = UInt64(budgetSeconds * 1e9)
        precondition(Self.bucketNanos.count == bucketCounts.count, "one count per bucket bound")
        total = Histogram(lowestDiscernibleValue: 1, highestTrackableValue: min(initialMicros, Self.highestMicros), numberOfSignificantValueDigits: .one)
        total.autoResize = true
    }

    /// The value the histogram was last sized to reach, in microseconds (it counts up to the top of that value's bucket).
    var histogramRangeMicros: UInt64 { total.highestTrackableValue }

    mutating func record(nanos: UInt64) {
        let micros = min(Self.highestMicros, max(1, nanos / 1000))
        if micros <= Self.denseMicros || micros <= total.highestTrackableValue {
            _ = total.record(micros)
        } else {
            recordSlow(micros)
        }
        if interval.count < 4096 {
            interval.append(UInt32(min(nanos / 1000, UInt64(UInt32.max))))
        } else {
            isIntervalPartial = true
        }
        decisions += 1
        sumNanos &+= nanos
        var bucket = 0
        while bucket < Self.bucketNanos.count, nanos > Self.bucketNanos[bucket] { bucket += 1 }
        if bucket < Self.bucketNanos.count { bucketCounts[bucket] &+= 1 }
        maxNanos = max(maxNanos, nanos)
        if nanos > budgetNanos { breaches += 1 }
    }

    /// Counts a decision of `micros` beyond the histogram's range into its bucket's entry in ``slow``.
    private mutating func recordSlow(_ micros: UInt64) {
        let key = total.highestEquivalentForValue(micros)
        var i = 0
        while i < slow.count, slow[i] >> 32 < key { i += 1 }
        if i < slow.count, slow[i] >> 32 == key {
            if slow[i] & 0xFFFF_FFFF < 0xFFFF_FFFF { slow[i] += 1 }
        } else {
            slow.insert(key << 32 | 1, at: i)
        }
    }

    /// Closes an interval: its p99 joins the sparkline history and the overall percentiles are brought to every
    /// decision recorded (once they have been read; before, they are only marked out of date). Returns true when that
    /// took a walk over the histogram (a percentile moved to another bucket, or there was nothing to start from).
    @discardableResult
    mutating func rollInterval() -> Bool {
        guard !interval.isEmpty else { return false }
        interval.sort()
        var walked = false
        if isWatched {
            walked = !advanceStanding()
            if walked { settle() }
        } else {
            isStale = true
        }
        let p99 = Double(nearestRank(interval, percentile: 99) ?? 0) / 1e6
        if isRecentShared {
            // A snapshot may hold the history, so a write would copy it (an append with room for twice as many):
            // a new one is built at its size instead (a console of 40,000 agents holds every one).
            let kept = recentP99.suffix(Self.sparkLength - 1)
            var next: [Double] = []
            next.reserveCapacity(kept.count + 1)
            next.append(contentsOf: kept)
            next.append(p99)
            recentP99 = next
            isRecentShared = false
        } else {
            // No snapshot took it (a headless run, or no front end asked since): written where it is, given room
            // for the whole sparkline the first time it needs more.
            if recentP99.count == Self.sparkLength {
                recentP99.removeFirst()
            } else if recentP99.count == recentP99.capacity {
                recentP99.reserveCapacity(Self.sparkLength)
            }
            recentP99.append(p99)
        }
        interval.removeAll(keepingCapacity: true)
        isIntervalPartial = false
        intervalsClosed += 1
        return walked
    }

    /// Where each of p50, p90 and p99 stood: its bucket (the bucket's highest equivalent value, in microseconds) and
    /// how many of the first ``counted`` decisions lie at or below that bucket (`through`) and below it (`below`). The
    /// percentile's nearest rank among ``counted`` falls in its bucket while `below < rank ≤ through`.
    private struct Standing {
        var tops: InlineArray<3, UInt32>
        var through: InlineArray<3, UInt64>
        var below: InlineArray<3, UInt64>
        var counted: UInt64
    }

    /// Counts the interval's decisions (``interval``, sorted) into ``standing``, which holds every decision before
    /// them. True when each percentile's rank among every decision still falls in its bucket: the percentiles are then
    /// those of the buckets, as the histogram would give them. Six binary searches over the interval's few dozen samples.
    private mutating func advanceStanding() -> Bool {
        guard var now = standing, !isIntervalPartial, UInt64(decisions) == now.counted + UInt64(interval.count) else { return false }
        let ranks = Self.ranks(of: UInt64(decisions))
        for p in 0..<3 {
            let top = UInt64(now.tops[p]), low = total.lowestEquivalentForValue(top)
            now.through[p] += UInt64(Self.countCounted(interval) { $0 <= top })
            now.below[p] += UInt64(Self.countCounted(interval) { $0 < low })
            guard now.below[p] < ranks[p], ranks[p] <= now.through[p] else {
                standing = nil
                return false
            }
        }
        now.counted = UInt64(decisions)
        standing = now
        cached = Self.shown(now.tops, ceilingMicros: ceilingMicros)
        return true
    }

    /// How many of `sorted` (samples in microseconds) satisfy `holds` once counted as ``record(nanos:)`` counts them
    /// (at least 1 µs, at most 1 s); `holds` must be true up to some value and false beyond it.
    private static func countCounted(_ sorted: [UInt32], _ holds: (UInt64) -> Bool) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if holds(min(highestMicros, max(1, UInt64(sorted[mid])))) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Works p50, p90 and p99 out from the histogram, and where they stand.
    private mutating func settle() {
        guard let walk = walk() else {
            standing = nil
            cached = (0, 0, 0)
            return
        }
        standing = walk
        cached = Self.shown(walk.tops, ceilingMicros: ceilingMicros)
    }

    /// The slowest decision recorded, as the histogram counted it (the top of its range at most), in microseconds: a
    /// percentile is shown no higher, though its bucket's top may be.
    private var ceilingMicros: UInt64 { min(Self.highestMicros, max(1, maxNanos / 1000)) }

    private static func shown(_ tops: InlineArray<3, UInt32>, ceilingMicros: UInt64) -> (p50: Double, p90: Double, p99: Double) {
        (Double(min(UInt64(tops[0]), ceilingMicros)) / 1e6, Double(min(UInt64(tops[1]), ceilingMicros)) / 1e6,
         Double(min(UInt64(tops[2]), ceilingMicros)) / 1e6)
    }

    /// ``recentP99`` for a snapshot, which keeps it: the next interval leaves this array to it.
    mutating func sharedRecentP99() -> [Double] {
        isRecentShared = true
        return recentP99
    }

    /// The slowest decision recorded, in seconds.
    var maxSeconds: Double { Double(maxNanos) / 1e9 }

    /// p50, p90, p99 (as of the last closed interval) and max, in seconds.
    /// The first read works them out from the histogram, over every decision recorded by then.
    mutating func percentiles() -> (p50: Double, p90: Double, p99: Double, max: Double) {
        if !isWatched {
            isWatched = true
            if isStale { settle() }
            isStale = false
        }
        return (cached.p50, cached.p90, cached.p99, maxSeconds)
    }

    /// p50, p90, p99 and max in seconds over everything recorded, worked out now from the histogram.
    var exact: (p50: Double, p90: Double, p99: Double, max: Double) {
        guard let walk = walk() else { return (0, 0, 0, 0) }
        let p = Self.shown(walk.tops, ceilingMicros: ceilingMicros)
        return (p.p50, p.p90, p.p99, Double(maxNanos) / 1e9)
    }

    /// One walk over the recorded buckets for all three percentiles (nearest rank, each the highest value equivalent to
    /// its bucket, as `Histogram.valueAtPercentile` gives), through the histogram's inlinable iterator, so it is
    /// specialised here; nil when nothing is recorded.
    private func walk() -> Standing? {
        let dense = total.totalCount
        let count = slow.reduce(dense) { $0 + $1 & 0xFFFF_FFFF }
        guard count > 0 else { return nil }
        let ranks = Self.ranks(of: count)
        var found = Standing(tops: .init(repeating: 0), through: .init(repeating: 0), below: .init(repeating: 0), counted: count)
        var next = 0
        // Each bucket with decisions in it, from the fastest: `below` of them lie below it, `through` at or below it.
        func reached(top: UInt64, below: UInt64, through: UInt64) -> Bool {
            while next < 3, through >= ranks[next] {
                found.tops[next] = UInt32(top)
                found.through[next] = through
                found.below[next] = below
                next += 1
            }
            return next == 3
        }
        var done = false
        if dense > 0 {
            for step in total.recordedValues()
            where reached(top: step.value, below: step.totalCountToThisValue - UInt64(step.count), through: step.totalCountToThisValue) {
                done = true
                break
            }
        }
        // The slower buckets come after every one of the histogram's.
        var below = dense
        for entry in slow where !done {
            let through = below + entry & 0xFFFF_FFFF
            done = reached(top: entry >> 32, below: below, through: through)
            below = through
        }
        return found
    }

    /// The decisions counted into the metrics' buckets.
    func histogram(agent: String, cell: String) -> AgentLatencyHistogram {
        AgentLatencyHistogram(agent: agent, cell: cell, bucketCounts: (0..<bucketCounts.count).map { bucketCounts[$0] }, count: UInt64(decisions),
                              sumSeconds: Double(sumNanos) / 1e9)
    }

    /// The nearest ranks of p50, p90 and p99 among `count` samples.
    private static func ranks(of count: UInt64) -> InlineArray<3, UInt64> {
        [rank(50, of: count), rank(90, of: count), rank(99, of: count)]
    }

    /// The nearest rank of `percentile` among `count` samples (at least 1).
    private static func rank(_ percentile: Double, of count: UInt64) -> UInt64 {
        max(1, UInt64((percentile.nextDown * Double(count) / 100).rounded(.up)))
    }
}
