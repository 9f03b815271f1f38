import Benchmark

/// How a run is held to the bar in `Thresholds/`.
///
/// Each `Thresholds/<Target>.<Benchmark>.p90.json` holds DESIGN.md §5's bar for that benchmark as a p90 value
/// (raw units: nanoseconds per measured iteration, which is 1,000 operations for benchmarks scaled by `.kilo`).
/// With no tolerance, `swift package benchmark thresholds check` reports anything above the bar as a regression
/// (exit 2) and anything below it as an improvement (exit 4): 0 or 4 passes, 2 misses the bar.
/// The bar is on p90, which is stricter than the median the design names.
public enum BarThresholds {
    /// No tolerance on p90: the checked-in value is a ceiling (or a floor for metrics that prefer larger values).
    public static func exact(_ metrics: [BenchmarkMetric]) -> [BenchmarkMetric: BenchmarkThresholds] {
        Dictionary(uniqueKeysWithValues: metrics.map { ($0, BenchmarkThresholds(absolute: [.p90: 0])) })
    }
}
