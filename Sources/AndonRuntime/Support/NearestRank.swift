/// The nearest-rank percentile of sorted values: the smallest value with at least `percentile`% of the
/// values at or below it.
func nearestRank<T>(_ sorted: [T], percentile: Double) -> T? {
    guard !sorted.isEmpty else { return nil }
    let rank = Int((percentile / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(sorted.count - 1, max(0, rank))]
}
