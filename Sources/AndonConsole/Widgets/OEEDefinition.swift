/// What the console's OEE figures mean, in the words the cell detail shows (and docs/ARCHITECTURE.md repeats).
enum OEEDefinition {
    /// The definition, for a supervisor.
    static let text = "OEE = availability × performance × quality over the shift. A cell is available while in Execute; "
        + "a line while none of its cells is held, stopped or aborted (a breakdown counts at once, even while buffers keep "
        + "the last cell busy; starved or blocked cells show as lost performance). Performance = design cycle (a line's: its "
        + "slowest cell's) × parts ÷ available time, at most 100%; quality = good ÷ parts. No figure (--) until ten design "
        + "cycles and ten minutes of the shift have passed, nor for a cell whose data is stale."
}
