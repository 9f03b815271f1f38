import Foundation

/// Times as Andon reads and writes them, in one place: durations in files and options (`90s`, `15m`, `8h`), compact
/// durations in messages (`2h05m`), and clocks (`hh:mm:ss`).
public enum TimeText {
    /// The longest duration any file, request or option may give: ten years, in seconds. Longer ones are refused, so
    /// every duration can be added to a clock, compared and written as whole seconds.
    public static let longestSeconds: Double = 3650 * 86_400
    /// The shortest duration above zero a file may give: a microsecond. Shorter ones are refused, so a clock divided
    /// by a duration (the shift number) stays a whole number.
    public static let shortestSeconds = 0.000_001

    /// Seconds in `250ms`, `1.5s`, `90s`, `15m`, `8h`, `2d`, or a plain number of seconds; `nil` if not a duration or
    /// longer than ``longestSeconds`` either way.
    public static func seconds(parsing text: String) -> Double? {
        guard let seconds = unboundedSeconds(parsing: text), seconds.magnitude <= longestSeconds else { return nil }
        return seconds
    }

    /// Seconds as written, however large (infinite when the number is beyond `Double`); `nil` if not a duration.
    static func unboundedSeconds(parsing text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000_001), ("µs", 0.000_001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (suffix, scale) in units where trimmed.hasSuffix(suffix) {
            guard let number = Double(trimmed.dropLast(suffix.count)), !number.isNaN else { return nil }
            return number * scale
        }
        guard let number = Double(trimmed), !number.isNaN else { return nil }
        return number
    }

    /// A compact human form: `250ms`, `42s`, `15m`, `2h05m`; any value at all, even one no file may give (`1e+30s`).
    public static func duration(_ seconds: Double) -> String {
        guard seconds.magnitude < 1e12 else { return "\(seconds)s" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return total % 60 == 0 ? "\(total / 60)m" : "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        let hours = total / 3600, minutes = (total % 3600) / 60
        return minutes == 0 ? "\(hours)h" : "\(hours)h\(String(format: "%02d", minutes))m"
    }

    /// Seconds as a clock, `hh:mm:ss` (hours grow past 99 as needed; below zero is `00:00:00`; a value no clock can
    /// show is `--:--:--`).
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds < 1e15 else { return "--:--:--" }
        let total = Int(max(0, seconds.rounded(.down)))
        let parts = [total / 3600, total / 60 % 60, total % 60].map { $0 < 10 ? "0\($0)" : "\($0)" }
        return parts.joined(separator: ":")
    }

    /// `date` as an ISO 8601 UTC time, truncated to the second (`2026-12-01T14:20:03Z`, what `ISO8601DateFormatter`
    /// writes by default) or, with `milliseconds`, to the millisecond (`2026-12-01T14:20:03.123Z`, the audit log's wall
    /// times), worked out with the C library: the formatter loads calendar and time-zone data it never needs here,
    /// several megabytes resident for a stamp on a log line.
    public static func utcStamp(_ date: Date, milliseconds: Bool = false) -> String {
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
        let millisecond = ((total % 1000) + 1000) % 1000
        var time = time_t((total - millisecond) / 1000)
        var parts = tm()
        gmtime_r(&time, &parts)
        let stamp = "\(pad(Int(parts.tm_year) + 1900, 4))-\(pad(Int(parts.tm_mon) + 1, 2))-\(pad(Int(parts.tm_mday), 2))"
            + "T\(pad(Int(parts.tm_hour), 2)):\(pad(Int(parts.tm_min), 2)):\(pad(Int(parts.tm_sec), 2))"
        return milliseconds ? stamp + ".\(pad(Int(millisecond), 3))Z" : stamp + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
