/// How many colours a terminal shows, from none to direct 24-bit colour; theme colours map to the nearest it has.
public enum ColorDepth: Int, Sendable, Hashable, Comparable, CaseIterable {
    /// No colour: attributes only (the `mono` rendering).
    case none = 0
    /// The 8 basic colours.
    case eight = 8
    /// 16 colours: the basic ones and their bright forms.
    case sixteen = 16
    /// The xterm-256 palette.
    case indexed256 = 256
    /// Any RGB value (ncurses direct colour, `COLORS` ≥ 2²⁴).
    case direct = 16_777_216

    /// The depth for a terminal reporting `colors` colours (`COLORS` after `start_color`).
    public init(colors: Int) {
        self = colors >= 16_777_216 ? .direct : colors >= 256 ? .indexed256 : colors >= 16 ? .sixteen : colors >= 8 ? .eight : .none
    }

    /// Orders depths from fewest colours to most.
    public static func < (lhs: ColorDepth, rhs: ColorDepth) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The terminal colour number for `color` as a foreground on `background` (-1: the terminal default).
    ///
    /// Exact colours and 256-colour indexes fall to the nearest colour the terminal has. A foreground never lands on
    /// the colour of its background; on the terminal's default background it avoids black, unless it was meant to be
    /// near-black.
    public func foreground(_ color: ThemeColor, on background: ThemeColor) -> Int {
        let bg = number(background)
        var avoid: Set<Int> = bg >= 0 ? [bg] : []
        if bg < 0, let rgb = color.components, rgb.red + rgb.green + rgb.blue > 120 { avoid.insert(0) }
        return number(color, avoiding: avoid)
    }

    /// The terminal colour number for `color` (-1: the terminal default), never one of `avoid` when another will do.
    public func number(_ color: ThemeColor, avoiding avoid: Set<Int> = []) -> Int {
        switch (self, color) {
        case (_, .terminalDefault), (.none, _): return -1
        case let (.direct, .withFallback(exact, _)), let (.indexed256, .withFallback(exact, _)): return number(exact, avoiding: avoid)
        case let (_, .withFallback(_, basic)): return number(.basic(basic), avoiding: avoid)
        case let (.direct, .basic(n)) where n < 8: return n
        case (.direct, _):
            guard let rgb = color.components else { return -1 }
            return rgb.red << 16 | rgb.green << 8 | rgb.blue
        case let (.indexed256, .basic(n)), let (.indexed256, .indexed(n)): return n
        case let (.sixteen, .basic(n)): return n
        case let (.eight, .basic(n)) where n < 8 && !avoid.contains(n): return n
        default:
            guard let target = color.components else { return -1 }
            var candidates = self == .indexed256 ? Array(16..<256) : Array(0..<min(rawValue, 16))
            // On 8 and 16 colours, greys stay greys and colours stay colours: by distance alone a dark grey can land on
            // red, and a pale blue (abnormal in isa101) on white, losing the only hint colour gives.
            if self != .indexed256 {
                let isGrey = max(target.red, target.green, target.blue) - min(target.red, target.green, target.blue) < 32
                let greys: Set<Int> = [0, 7, 8, 15]
                candidates = candidates.filter { greys.contains($0) == isGrey }
            }
            let allowed = candidates.filter { !avoid.contains($0) }
            return Self.nearest(to: target, among: allowed.isEmpty ? candidates : allowed)
        }
    }

    /// The candidate colour closest to `target` by a perceptually weighted RGB distance ("redmean").
    static func nearest(to target: (red: Int, green: Int, blue: Int), among candidates: [Int]) -> Int {
        var best = candidates.first ?? -1
        var bestDistance = Int.max
        for candidate in candidates {
            let (r, g, b) = ThemeColor.xterm(candidate)
            let mean = (target.red + r) / 2
            let dr = target.red - r, dg = target.green - g, db = target.blue - b
            let distance = (((512 + mean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - mean) * db * db) >> 8)
            if distance < bestDistance {
                best = candidate
                bestDistance = distance
            }
        }
        return best
    }
}
