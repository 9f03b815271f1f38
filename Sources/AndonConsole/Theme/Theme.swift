import AndonCore

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

/// A table from ``StyleRole`` to colours and attributes, read from a theme file (`themes/*.yaml`).
public struct Theme: Hashable, Sendable {
    /// The theme's name (`isa101`, `mono`).
    public var name: String
    /// One line saying what the theme is for.
    public var summary: String
    /// Styles by role name (``StyleRole/name``); a loaded theme has every role.
    public var roles: [String: RoleStyle]
    /// True when the theme uses colour at all.
    public var usesColor: Bool

    /// Creates a theme.
    public init(name: String, summary: String = "", roles: [String: RoleStyle], usesColor: Bool) {
        self.name = name
        self.summary = summary
        self.roles = roles
        self.usesColor = usesColor
    }

    /// How a cell with `style` looks: the role's style, on the selection background (or reversed) when selected.
    public func resolve(_ style: CellStyle) -> RoleStyle {
        var resolved = roles[style.role.name] ?? roles[StyleRole.text.name] ?? RoleStyle()
        if style.isSelected {
            let selection = roles[StyleRole.selection.name] ?? RoleStyle(attributes: .reverse)
            let plain = roles[StyleRole.background.name]?.background ?? .terminalDefault
            if usesColor, selection.background != plain, !resolved.attributes.contains(.reverse) {
                resolved.background = selection.background
                resolved.attributes.formUnion(selection.attributes)
            } else {
                resolved.attributes.formSymmetricDifference(.reverse)
            }
        }
        return resolved
    }

    /// How a cell looks on a terminal of `depth`: as ``resolve(_:)``, but a selection background this depth can't tell
    /// from the plain background (dark grey becoming black on 8 colours) gives way to reverse video, so the selection shows.
    public func resolve(_ style: CellStyle, at depth: ColorDepth) -> RoleStyle {
        var look = resolve(style)
        let plain = roles[StyleRole.background.name]?.background ?? .terminalDefault
        guard style.isSelected, let selection = roles[StyleRole.selection.name]?.background, selection != plain,
              look.background == selection else { return look }
        // Black counts as the terminal's own background, which is black on most terminals.
        let number = depth.number(selection)
        guard number == depth.number(plain) || (plain == .terminalDefault && number == 0) else { return look }
        look.background = plain
        look.attributes.insert(.reverse)
        return look
    }

    /// The themes shipped with Andon, read from the copies built into the binary.
    public static let bundled: [Theme] = BundledThemes.texts.map { entry in
        do {
            return try ThemeFile.parse(entry.text, file: "themes/\(entry.name).yaml")
        } catch {
            // The bundled texts are checked by the tests; a broken one is a build defect, not a user error.
            fatalError("bundled theme \(entry.name) is invalid: \(error)")
        }
    }

    /// The bundled theme called `name`, if any.
    public static func named(_ name: String) -> Theme? { bundled.first { $0.name == name.lowercased() } }

    /// ISA-101 high-performance, the default: grey and calm; colour only for the abnormal, alarm colours only for alarms.
    public static var isa101: Theme { named("isa101")! }

    /// Attributes only: usable on any terminal, with `NO_COLOR`, and for people who can't tell colours apart.
    public static var mono: Theme { named("mono")! }
}
