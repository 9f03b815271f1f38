import AndonCore

/// A terminal colour: the terminal's own default, or an xterm-256 index with a 16-colour fallback.
public enum ThemeColor: Hashable, Sendable {
    /// Whatever the terminal uses.
    case terminalDefault
    /// One of the 16 basic colours (0–15).
    case basic(Int)
    /// An xterm-256 colour, with the basic colour to use on terminals with fewer colours.
    case indexed(Int, fallback: Int)

    /// The colour number for a terminal with `colors` colours (-1 for the default).
    public func number(colors: Int) -> Int {
        switch self {
        case .terminalDefault: -1
        case let .basic(n): n < colors ? n : n % 8
        case let .indexed(n, fallback): colors >= 256 ? n : (fallback < colors ? fallback : fallback % 8)
        }
    }
}

/// How one role looks: colours and attributes.
public struct RoleStyle: Hashable, Sendable {
    /// Text colour.
    public var foreground: ThemeColor
    /// Background colour.
    public var background: ThemeColor
    /// Attributes; in a theme without colour these carry everything.
    public var attributes: TextAttributes

    /// Creates a style.
    public init(foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault, attributes: TextAttributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// A table from ``StyleRole`` to colours and attributes.
public struct Theme: Hashable, Sendable {
    /// The theme's name (`isa101`, `mono`).
    public var name: String
    /// Styles by role name; roles missing here fall back to `text`.
    public var roles: [String: RoleStyle]
    /// True when the theme uses colour at all.
    public var usesColor: Bool

    /// Creates a theme.
    public init(name: String, roles: [String: RoleStyle], usesColor: Bool) {
        self.name = name
        self.roles = roles
        self.usesColor = usesColor
    }

    /// How a cell with `style` looks: the role's style, on the selection background (or reversed) when selected.
    public func resolve(_ style: CellStyle) -> RoleStyle {
        var resolved = roles[style.role.name] ?? roles[StyleRole.text.name] ?? RoleStyle()
        if style.isSelected {
            let selection = roles[StyleRole.selection.name] ?? RoleStyle(attributes: .reverse)
            if usesColor, selection.background != .terminalDefault, !resolved.attributes.contains(.reverse) {
                resolved.background = selection.background
                resolved.attributes.formUnion(selection.attributes)
            } else {
                resolved.attributes.formSymmetricDifference(.reverse)
            }
        }
        return resolved
    }

    /// The built-in themes by name.
    public static let bundled: [Theme] = [.isa101, .mono]

    /// The built-in theme called `name`, if any.
    public static func named(_ name: String) -> Theme? { bundled.first { $0.name == name.lowercased() } }
}
