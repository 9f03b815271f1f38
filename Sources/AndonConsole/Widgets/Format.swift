import AndonCore

/// Numbers and times as the console prints them.
enum Format {
    /// `hh:mm:ss` for a number of seconds (negative shows as 00:00:00).
    static func clock(_ seconds: Double) -> String { TimeText.clock(seconds) }

    /// An id padded to `columns`; a plant-wide console's qualified id that is too long keeps the runtime's own id.
    static func id(_ id: String, to columns: Int) -> String {
        guard DisplayWidth.of(id) > columns, let (runtime, local) = RuntimeQualifiedID.split(id) else { return DisplayWidth.pad(id, to: columns) }
        // A qualified id that does not fit keeps its own id whole and cuts the runtime's name (`pa…/B2`).
        let room = columns - DisplayWidth.of(local) - 1
        guard room >= 2 else { return DisplayWidth.pad(local, to: columns) }
        return DisplayWidth.pad(DisplayWidth.truncate(runtime, to: room) + String(RuntimeQualifiedID.separator) + local, to: columns)
    }

    /// `m:ss`, or `h:mm:ss` from an hour up, for time left.
    static func countdown(_ seconds: Double) -> String {
        let total = seconds.isFinite ? max(0, Int(seconds.rounded(.up))) : 0
        if total >= 3600 { return clock(Double(total)) }
        return "\(total / 60):" + pad2(total % 60)
    }

    /// `78%` for a fraction 0.78.
    static func percent(_ fraction: Double) -> String {
        guard fraction.isFinite else { return "--%" }
        return "\(Int((fraction * 100).rounded()))%"
    }

    /// OEE as a percentage, or `--` until its figures cover enough planned time to mean something.
    static func oee(_ oee: OEE) -> String { oee.isSettled ? percent(oee.value) : "--" }

    /// A cell's shift OEE for its row: `--` while unsettled, and while its data is stale (the last figure is not
    /// the plant now).
    static func oee(of cell: CellSnapshot) -> String { cell.isStale ? "--" : oee(cell.shiftOEE) }

    /// A latency: `850µs`, `12ms`, `1.2s`.
    static func latency(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "--" }
        if seconds < 0.001 { return "\(Int((seconds * 1_000_000).rounded()))µs" }
        if seconds < 0.01 { return "\(oneDecimal(seconds * 1000))ms" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        return "\(oneDecimal(seconds))s"
    }

    /// An age: `12s`, `4m`, `2h`.
    static func age(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = max(0, Int(seconds))
        if s < 120 { return "\(s)s" }
        if s < 7200 { return "\(s / 60)m" }
        return "\(s / 3600)h"
    }

    /// A reading with one decimal where small.
    static func value(_ value: Double) -> String {
        guard value.isFinite else { return "--" }
        return abs(value) >= 100 ? String(Int(value.rounded())) : oneDecimal(value)
    }

    /// One decimal place.
    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// A risk in four letters.
    static func risk(_ risk: RiskClass) -> String {
        switch risk {
        case .low: "LOW"
        case .medium: "MED"
        case .high: "HIGH"
        case .critical: "CRIT"
        }
    }

    private static func pad2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
