import AndonCore

/// The characters used for boxes, bars and status glyphs, in Unicode or plain ASCII.
public struct Glyphs: Sendable, Hashable {
    /// Horizontal and vertical lines.
    public var horizontal: Character, vertical: Character
    /// Corners.
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    /// A bar's filled and empty parts.
    public var barFull: Character, barEmpty: Character
    /// Sparkline levels, lowest first.
    public var sparks: [Character]
    /// True for the ASCII set.
    public var isASCII: Bool

    /// Box drawing and block elements.
    public static let unicode = Glyphs(horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
                                       barFull: "█", barEmpty: "░", sparks: Array("▁▂▃▄▅▆▇█"), isASCII: false)
    /// Seven-bit characters only.
    public static let ascii = Glyphs(horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
                                     barFull: "#", barEmpty: ".", sparks: Array("_.-=+*#@"), isASCII: true)

    /// The glyph that carries a cell status without colour.
    public func glyph(for status: CellStatus) -> String { isASCII ? status.asciiGlyph : status.glyph }

    /// The glyph marking an alarm of `priority`.
    public func alarmMark(_ priority: AlarmPriority) -> String { (isASCII ? "!" : "▲") + String(priority) }

    /// A sparkline of `values`, scaled between `floor` and `ceiling` (their own range when nil).
    public func sparkline(_ values: [Double], width: Int, floor: Double? = nil, ceiling: Double? = nil) -> String {
        guard width > 0, !values.isEmpty else { return "" }
        let shown = values.suffix(width)
        let low = floor ?? shown.min() ?? 0
        let high = ceiling ?? shown.max() ?? 1
        let span = high - low
        return String(shown.map { value -> Character in
            guard span > 0, value.isFinite else { return sparks[0] }
            let level = Int(((value - low) / span * Double(sparks.count - 1)).rounded())
            return sparks[min(sparks.count - 1, max(0, level))]
        })
    }

    /// A bar `width` columns long, filled in proportion to `fraction`.
    public func bar(fraction: Double, width: Int) -> (filled: String, empty: String) {
        guard width > 0 else { return ("", "") }
        let clamped = fraction.isFinite ? min(1, max(0, fraction)) : 0
        var filled = Int((clamped * Double(width)).rounded())
        if clamped > 0 && filled == 0 { filled = 1 }
        return (String(repeating: barFull, count: filled), String(repeating: barEmpty, count: width - filled))
    }
}
