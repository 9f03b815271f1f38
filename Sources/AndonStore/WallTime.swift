import AndonCore
import Foundation

/// Wall-clock times as the audit log writes them: ISO 8601, UTC, milliseconds (`2026-11-21T12:49:57.123Z`).
/// Strings in this form sort in time order, so the store compares them as text.
public enum WallTime {
    /// `date` as `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, truncated to the millisecond.
    public static func string(from date: Date) -> String {
        TimeText.utcStamp(date, milliseconds: true)
    }

    /// The instant a wall time written by ``string(from:)`` names, or nil.
    public static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }

    /// The instant a `--since` argument names: an ISO 8601 timestamp (`2026-11-21T12:00:00Z`, offsets and
    /// fractions allowed), a UTC date (`2026-11-21`), or a duration before `now` (`90s`, `15m`, `2h`, `1d`,
    /// `1h30m`). Nil when the text is none of these.
    public static func since(_ text: String, now: Date) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let seconds = durationSeconds(text) { return now.addingTimeInterval(-seconds) }
        if let date = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) { return date }
        if let date = try? Date.ISO8601FormatStyle().parse(text) { return date }
        if text.count == 10, let date = try? Date.ISO8601FormatStyle().year().month().day().parse(text) { return date }
        return nil
    }

    /// Seconds in a duration such as `15m` or `1h30m`; nil unless the whole text is number–unit pairs.
    static func durationSeconds(_ text: String) -> Double? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        var total = 0.0
        var number = ""
        var sawPair = false
        for character in text {
            if character.isASCII, character.isNumber || character == "." {
                number.append(character)
            } else if let unit = units[character], let value = Double(number) {
                total += value * unit
                number = ""
                sawPair = true
            } else {
                return nil
            }
        }
        return sawPair && number.isEmpty ? total : nil
    }
}
