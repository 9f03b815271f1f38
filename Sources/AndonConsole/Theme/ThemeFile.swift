import AndonCore
import Foundation

/// Reads a theme file: `name`, `summary`, optional `base` and `palette`, and `roles` mapping every role to `fg`, `bg`, `attrs`.
///
/// Every problem is reported with its file, line and column: unknown roles and keys, bad colours and attributes, and
/// missing roles. A theme with `base: NAME` takes the roles it leaves out from that bundled theme; without one, every
/// role must be given. A role without `bg` sits on the `background` role's background.
public enum ThemeFile {
    /// Every role a theme file must style, by name.
    public static var roleNames: [String] { StyleRole.allCases.map(\.name) }

    /// Attribute names theme files accept.
    static let attributeNames: [String: TextAttributes] = ["bold": .bold, "dim": .dim, "reverse": .reverse, "underline": .underline]

    /// Loads and checks the theme file at `path`.
    public static func load(path: String) throws(ConfigErrors) -> Theme {
        let diagnostics = Diagnostics(file: path)
        guard let root = ConfigNode.load(path: path, diagnostics: diagnostics) else { throw ConfigErrors(diagnostics.errors) }
        return try read(root, diagnostics: diagnostics)
    }

    /// Parses and checks theme text; `file` names it in messages.
    public static func parse(_ text: String, file: String) throws(ConfigErrors) -> Theme {
        let diagnostics = Diagnostics(file: file)
        guard let root = ConfigNode.parse(text, diagnostics: diagnostics) else { throw ConfigErrors(diagnostics.errors) }
        return try read(root, diagnostics: diagnostics)
    }

    private static func read(_ root: ConfigNode, diagnostics: Diagnostics) throws(ConfigErrors) -> Theme {
        guard let top = root.mapping("the theme", keys: ["name", "summary", "base", "palette", "roles"], required: ["name", "roles"]) else {
            throw ConfigErrors(diagnostics.errors)
        }
        let name = top["name"]?.identifier("name")
        let summary = top["summary"]?.string("summary") ?? ""
        var base: Theme?
        if let node = top["base"], let baseName = node.string("base") {
            base = Theme.named(baseName)
            if base == nil {
                diagnostics.report(.danglingReference, at: node.location, "base '\(baseName)' is not a bundled theme",
                                   expected: "one of \(Theme.bundled.map(\.name).joined(separator: ", "))")
            }
        }
        var palette: [String: ThemeColor] = [:]
        for (colorName, _, value) in top["palette"]?.namedEntries("palette") ?? [] {
            if let color = color(value, what: "palette colour '\(colorName)'", palette: [:]) { palette[colorName.lowercased()] = color }
        }
        var roles: [String: RoleStyle] = [:]
        var givesBackground: Set<String> = []
        if let rolesNode = top["roles"], let entries = rolesNode.namedEntries("roles") {
            let known = roleNames
            for (role, location, value) in entries {
                guard known.contains(role) else {
                    let hint = closest(role, in: known).map { "; did you mean '\($0)'?" } ?? ""
                    diagnostics.report(.unknownKey, at: location, "unknown role '\(role)'\(hint)",
                                       expected: "a role such as text, status.HELD, alarm.1, risk.high (see docs/themes.md)")
                    continue
                }
                guard let style = value.mapping("role \(role)", keys: ["fg", "bg", "attrs"]) else { continue }
                var look = RoleStyle()
                if let fg = style["fg"] { look.foreground = color(fg, what: "\(role) fg", palette: palette) ?? .terminalDefault }
                if let bg = style["bg"] {
                    look.background = color(bg, what: "\(role) bg", palette: palette) ?? .terminalDefault
                    givesBackground.insert(role)
                }
                if let attrs = style["attrs"] { look.attributes = attributes(attrs, what: "\(role) attrs") }
                roles[role] = look
            }
            let missing = known.filter { roles[$0] == nil }
            if !missing.isEmpty && base == nil && !top.has("base") {
                let count = missing.count == 1 ? "1 role" : "\(missing.count) roles"
                // At the `roles:` key itself: its value starts on the line of the first role given.
                let key = root.namedEntries("the theme")?.first { $0.name == "roles" }?.location ?? rolesNode.location
                diagnostics.report(.missingField, at: key, "roles is missing \(count): \(missing.joined(separator: ", "))",
                                   expected: "every role, or 'base: NAME' to take the others from a bundled theme")
            }
        }
        try diagnostics.throwIfAny()
        let backdrop = roles[StyleRole.background.name]?.background ?? base?.roles[StyleRole.background.name]?.background ?? .terminalDefault
        for role in roles.keys where !givesBackground.contains(role) { roles[role]?.background = backdrop }
        for (role, look) in base?.roles ?? [:] where roles[role] == nil { roles[role] = look }
        let usesColor = roles.values.contains { $0.foreground != .terminalDefault || $0.background != .terminalDefault }
        return Theme(name: name ?? "theme", summary: summary, roles: roles, usesColor: usesColor)
    }

    private static func color(_ node: ConfigNode, what: String, palette: [String: ThemeColor]) -> ThemeColor? {
        guard let parts = node.list(what) else { return nil }
        guard parts.count == 1 else {
            guard parts.count == 2, let exact = color(parts[0], what: what, palette: palette),
                  let fallback = color(parts[1], what: "\(what) fallback", palette: [:]) else {
                if parts.count != 2 {
                    node.diagnostics.report(.wrongType, at: node.location, "\(what) is a list of \(parts.count)",
                                            expected: "a colour, or [colour, basic colour for 8 and 16 colours]")
                }
                return nil
            }
            guard case let .basic(basic) = fallback else {
                node.diagnostics.report(.wrongType, at: parts[1].location, "\(what) fallback is not one of the 16 basic colours",
                                        expected: "a colour name (red, bright-blue…) or 0–15")
                return nil
            }
            return .withFallback(exact, basic: basic)
        }
        guard let text = parts[0].string(what) else { return nil }
        if let named = palette[text.lowercased()] { return named }
        if let color = ThemeColor(parsing: text) { return color }
        var expected = "default, a colour name (red, bright-blue…), 0–255 or #rrggbb"
        if !palette.isEmpty { expected += ", or a palette name (\(palette.keys.sorted().joined(separator: ", ")))" }
        node.diagnostics.report(.wrongType, at: parts[0].location, "\(what) '\(text)' is not a colour", expected: expected)
        return nil
    }

    private static func attributes(_ node: ConfigNode, what: String) -> TextAttributes {
        let words = node.list(what) ?? []
        var attributes: TextAttributes = []
        for word in words {
            guard let text = word.string(what) else { continue }
            if let attribute = attributeNames[text.lowercased()] {
                attributes.insert(attribute)
            } else {
                word.diagnostics.report(.wrongType, at: word.location, "\(what): '\(text)' is not an attribute",
                                        expected: "bold, dim, reverse or underline")
            }
        }
        return attributes
    }

    /// The role nearest to a misspelt `word`, if one is close enough to be a likely typo.
    static func closest(_ word: String, in candidates: [String]) -> String? {
        Spelling.closest(word, in: candidates, minimumTolerance: 2)
    }
}
