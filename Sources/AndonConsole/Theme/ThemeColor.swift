import Foundation

/// A colour in a theme: the terminal's own default, a terminal palette index, or an exact RGB value.
public indirect enum ThemeColor: Hashable, Sendable {
    /// Whatever the terminal uses.
    case terminalDefault
    /// One of the 16 basic colours (0–15), whose exact shade the terminal's palette decides.
    case basic(Int)
    /// An xterm-256 colour (16–255): the 6×6×6 cube or the grey ramp.
    case indexed(Int)
    /// An exact colour, `#rrggbb` in a theme file.
    case rgb(red: UInt8, green: UInt8, blue: UInt8)
    /// A colour with the basic colour (0–15) the theme wants on 8- and 16-colour terminals, `[110, blue]` in a theme file.
    case withFallback(ThemeColor, basic: Int)

    /// A colour from a 0–255 index: the basic colours below 16, the xterm-256 palette above.
    public static func index(_ n: Int) -> ThemeColor { n < 16 ? .basic(max(0, n)) : .indexed(min(255, n)) }

    /// The colour's red, green and blue as xterm shows them by default (nil for the terminal default).
    public var components: (red: Int, green: Int, blue: Int)? {
        switch self {
        case .terminalDefault: nil
        case let .basic(n): Self.basicPalette[max(0, min(15, n))]
        case let .indexed(n): Self.xterm(n)
        case let .rgb(red, green, blue): (Int(red), Int(green), Int(blue))
        case let .withFallback(color, _): color.components
        }
    }

    /// The 16 basic colours as xterm shows them by default.
    static let basicPalette: [(red: Int, green: Int, blue: Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    private static let cubeLevels = [0, 95, 135, 175, 215, 255]

    /// The RGB value of xterm-256 colour `n`.
    static func xterm(_ n: Int) -> (red: Int, green: Int, blue: Int) {
        switch n {
        case ..<16: return basicPalette[max(0, n)]
        case 16..<232:
            let i = n - 16
            return (cubeLevels[i / 36], cubeLevels[(i / 6) % 6], cubeLevels[i % 6])
        default:
            let level = 8 + 10 * (min(255, n) - 232)
            return (level, level, level)
        }
    }

    /// The colour names theme files accept, with their basic colour numbers.
    public static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "grey": 8, "gray": 8, "bright-black": 8, "bright-red": 9, "bright-green": 10, "bright-yellow": 11,
        "bright-blue": 12, "bright-magenta": 13, "bright-cyan": 14, "bright-white": 15,
    ]

    /// Reads `default`, a colour name, a 0–255 index or `#rrggbb`; nil if the text is none of these.
    public init?(parsing text: String) {
        let word = text.trimmingCharacters(in: .whitespaces).lowercased()
        if word == "default" {
            self = .terminalDefault
        } else if let n = Self.names[word] {
            self = .basic(n)
        } else if let n = Int(word), (0...255).contains(n) {
            self = .index(n)
        } else if word.hasPrefix("#"), word.count == 7, let value = UInt32(word.dropFirst(), radix: 16) {
            self = .rgb(red: UInt8(value >> 16 & 0xFF), green: UInt8(value >> 8 & 0xFF), blue: UInt8(value & 0xFF))
        } else {
            return nil
        }
    }
}
