import AndonCore
import Foundation
import Testing
@testable import AndonConsole

/// Theme files: what they accept, and every mistake reported at its line and column.
@Suite struct ThemeFileTests {
    func errors(_ text: String) -> [String] {
        do {
            _ = try ThemeFile.parse(text, file: "bad.yaml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func unknownRoleBadColourAndBadAttributeAreNamedWithPositions() {
        let found = errors("""
        name: broken
        base: isa101
        roles:
          text: {fg: 250}
          status.HELDD: {fg: 117}
          muted: {fg: "#12345"}
          border: {fg: 300, attrs: [dim, blink]}
          title: {fg: chartreuse, bgg: red}
        """)
        #expect(found.contains { $0.hasPrefix("bad.yaml:5:3: error: unknown role 'status.HELDD'; did you mean 'status.HELD'?") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("bad.yaml:6:15: error: muted fg '#12345' is not a colour") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("bad.yaml:7:16: error: border fg '300' is not a colour") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("bad.yaml:7:34: error: border attrs: 'blink' is not an attribute") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("bad.yaml:8:15: error: title fg 'chartreuse' is not a colour") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("bad.yaml:8:27: error: unknown key 'bgg' in role title; did you mean 'bg'?") }, "\(found)")
        #expect(found.count == 6, "\(found)")
    }

    @Test func missingRolesAreAnErrorWithoutABase() {
        let found = errors("""
        name: partial
        roles:
          text: {fg: 250}
        """)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("bad.yaml:2:1: error: roles is missing \(StyleRole.allCases.count - 1) roles: background, muted,") == true, "\(found)")
        #expect(found.first?.contains("'base: NAME'") == true)
    }

    @Test func missingTopLevelKeysAndUnknownBase() {
        let found = errors("""
        nam: x
        base: solarized
        roles: {}
        """)
        #expect(found.contains { $0.hasPrefix("bad.yaml:1:1: error: unknown key 'nam' in the theme; did you mean 'name'?") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("bad.yaml:1:1: error: the theme is missing 'name'") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("bad.yaml:2:7: error: base 'solarized' is not a bundled theme") }, "\(found)")
    }

    @Test func syntaxErrorsHaveAPosition() {
        let found = errors("name: x\nroles:\n  text: {fg: 250\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("bad.yaml:") == true && found.first?.contains("YAML syntax") == true, "\(found)")
    }

    @Test func baseFillsTheRestAndBackgroundsAreInherited() throws {
        let theme = try ThemeFile.parse("""
        name: night
        base: isa101
        palette:
          amber: "#FFBF00"
        roles:
          background: {fg: white, bg: "#000080"}
          status.HELD: {fg: amber, attrs: bold}
          dialog: {fg: 15, bg: default}
        """, file: "night.yaml")
        #expect(theme.name == "night")
        #expect(theme.roles.count == StyleRole.allCases.count)
        #expect(theme.roles["status.HELD"] == RoleStyle(foreground: .rgb(red: 255, green: 191, blue: 0), background: .rgb(red: 0, green: 0, blue: 128),
                                                        attributes: .bold))
        #expect(theme.roles["dialog"]?.background == .terminalDefault, "bg: default keeps the terminal's own")
        #expect(theme.roles["alarm.1"] == Theme.isa101.roles["alarm.1"], "roles left out come from the base")
        #expect(theme.usesColor)
    }

    @Test func fallbacksForSmallPalettes() throws {
        let theme = try ThemeFile.parse("""
        name: tuned
        base: mono
        palette:
          sky: ["#56B4E9", cyan]
        roles:
          text: {fg: [117, bright-cyan]}
          muted: {fg: sky}
        """, file: "tuned.yaml")
        let text = try #require(theme.roles["text"]?.foreground)
        #expect(text == .withFallback(.indexed(117), basic: 14))
        #expect(ColorDepth.indexed256.number(text) == 117 && ColorDepth.sixteen.number(text) == 14 && ColorDepth.eight.number(text) == 6)
        #expect(theme.roles["muted"]?.foreground == .withFallback(.rgb(red: 0x56, green: 0xB4, blue: 0xE9), basic: 6))
        let found = errors("""
        name: bad
        base: mono
        roles:
          text: {fg: [117, 200]}
          muted: {fg: [1, 2, 3]}
        """)
        #expect(found.contains { $0.hasPrefix("bad.yaml:4:20: error: text fg fallback is not one of the 16 basic colours") }, "\(found)")
        #expect(found.contains { $0.hasPrefix("bad.yaml:5:15: error: muted fg is a list of 3") }, "\(found)")
    }

    @Test func colourSpellings() {
        #expect(ThemeColor(parsing: "red") == .basic(1))
        #expect(ThemeColor(parsing: "Bright-Blue") == .basic(12))
        #expect(ThemeColor(parsing: "7") == .basic(7))
        #expect(ThemeColor(parsing: "208") == .indexed(208))
        #expect(ThemeColor(parsing: "#E69F00") == .rgb(red: 0xE6, green: 0x9F, blue: 0x00))
        #expect(ThemeColor(parsing: "default") == .terminalDefault)
        for bad in ["256", "-1", "#fff", "#gggggg", "reddish", ""] { #expect(ThemeColor(parsing: bad) == nil, "\(bad)") }
    }

    /// The copies built into the binary are the files in themes/; RECORD_THEMES=1 rewrites BundledThemes.swift from them.
    @Test func builtInCopiesMatchTheThemesFolder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folder = root.appendingPathComponent("themes")
        let order = ["isa101", "dark", "light", "high-contrast", "colorblind", "mono"]
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }
        #expect(Set(files) == Set(order))
        let texts = try order.map { try String(contentsOf: folder.appendingPathComponent($0 + ".yaml"), encoding: .utf8) }
        if ProcessInfo.processInfo.environment["RECORD_THEMES"] == "1" {
            var swift = """
            // The bundled themes' text, built into the binary so `--theme NAME` works wherever it runs.
            // A copy of themes/*.yaml: ThemeFileTests fails when the two differ (RECORD_THEMES=1 swift test rewrites this file).

            /// The text of each bundled theme file, in the order `andon themes list` shows them.
            enum BundledThemes {
                /// Name and YAML text of each bundled theme.
                static let texts: [(name: String, text: String)] = [

            """
            for (name, text) in zip(order, texts) { swift += "        (\"\(name)\", ##\"\"\"\n\(text)\n\"\"\"##),\n" }
            swift += "    ]\n}\n"
            try swift.write(to: root.appendingPathComponent("Sources/AndonConsole/Theme/BundledThemes.swift"), atomically: true, encoding: .utf8)
            return
        }
        #expect(BundledThemes.texts.map(\.name) == order)
        for (entry, text) in zip(BundledThemes.texts, texts) {
            #expect(entry.text == text, "themes/\(entry.name).yaml differs from its built-in copy (RECORD_THEMES=1 swift test updates it)")
            #expect(throws: Never.self) { try ThemeFile.load(path: folder.appendingPathComponent(entry.name + ".yaml").path) }
        }
    }
}
