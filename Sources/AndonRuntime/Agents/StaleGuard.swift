import AndonCore

/// Keeps an agent from acting on stale data: while the cell's data is older than the plant's limit the
/// agent stands down and raises a data-quality alarm once; it clears the alarm once when data is fresh.
struct StaleGuard {
    private(set) var isStandingDown = false

    /// True when the agent may act on data of age `age`; sets the output's data-quality flag on a change.
    mutating func allows(age: Double, limit: Double, output: inout AgentOutput) -> Bool {
        let stale = age > limit
        if stale != isStandingDown {
            isStandingDown = stale
            output.dataQuality = stale
        }
        return !stale
    }
}
