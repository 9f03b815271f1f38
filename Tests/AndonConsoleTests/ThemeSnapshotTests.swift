import AndonCore
import Foundation
import Testing
@testable import AndonConsole

/// Every bundled theme: the 80×24 frame through the text backend, and how each role maps to colours at every depth.
@Suite struct ThemeSnapshotTests {
    static let names = Theme.bundled.map(\.name)

    @Test func everyThemeIsBundled() {
        #expect(Self.names == ["isa101", "dark", "light", "high-contrast", "colorblind", "mono"])
        #expect(Theme.isa101.name == "isa101" && !Theme.mono.usesColor)
    }

    @Test(arguments: names)
    func frameAndRoleMapping(name: String) throws {
        let theme = try #require(Theme.named(name))
        var state = ConsoleState(person: Fixtures.supervisor)
        for event in Fixtures.events() { state.receive(event) }
        state.themeName = theme.name
        let frame = Screenshot.render(snapshot: Fixtures.smallPlant(), state: state, size: TerminalSize(columns: 80, rows: 24))
        try assertSnapshot(frame + "\n" + Self.mapping(theme), named: "theme-\(name)-80x24")
    }

    /// One line per role, plain then selected, as drawn at 256, 16 and 8 colours: attributes (Bold Dim Reverse
    /// Underline) and foreground/background colour numbers (- is the terminal default).
    static func mapping(_ theme: Theme) -> String {
        var lines = ["── \(theme.name): role → attributes fg/bg at 256 · 16 · 8 colours, plain | selected ──"]
        let depths: [ColorDepth] = theme.usesColor ? [.indexed256, .sixteen, .eight] : [.none]
        func describe(_ style: CellStyle) -> String {
            depths.map { depth in
                let look = theme.resolve(style, at: depth)
                let letters = [(TextAttributes.bold, "B"), (.dim, "D"), (.reverse, "R"), (.underline, "U")]
                    .filter { look.attributes.contains($0.0) }.map(\.1).joined()
                let fg = depth.foreground(look.foreground, on: look.background), bg = depth.number(look.background)
                let colours = depth == .none ? "" : " \(fg < 0 ? "-" : String(fg))/\(bg < 0 ? "-" : String(bg))"
                return (letters.isEmpty ? "-" : letters) + colours
            }.joined(separator: " · ")
        }
        for role in StyleRole.allCases {
            lines.append(DisplayWidth.pad(role.name, to: 17) + DisplayWidth.pad(describe(CellStyle(role)), to: 32) + "| "
                         + describe(CellStyle(role, isSelected: true)))
        }
        return lines.joined(separator: "\n")
    }

    @Test(arguments: names)
    func selectionShowsInEveryRole(name: String) throws {
        let theme = try #require(Theme.named(name))
        for role in StyleRole.allCases where role != .selection {
            #expect(theme.resolve(CellStyle(role)) != theme.resolve(CellStyle(role, isSelected: true)), "\(name): selected \(role.name) looks unselected")
        }
    }

    @Test func monoCarriesEverythingInAttributes() {
        let mono = Theme.mono
        #expect(mono.roles.values.allSatisfy { $0.foreground == .terminalDefault && $0.background == .terminalDefault })
        #expect(mono.resolve(CellStyle(.text, isSelected: true)).attributes.contains(.reverse))
        #expect(mono.roles["alarm.1"] != mono.roles["text"] && mono.roles["status.HELD"] != mono.roles["text"])
        for priority in 1...4 {
            #expect(mono.roles["alarm.\(priority)"]?.attributes.contains(.dim) == false, "▲\(priority) must read as clearly as text")
        }
    }

    /// ISA-101: an alarm's colour (its block background, else its text colour) is used by no role but the alarms and audit.failing.
    @Test(arguments: names.filter { $0 != "mono" })
    func alarmColoursAreUsedForNothingElse(name: String) throws {
        let theme = try #require(Theme.named(name))
        let backdrop = theme.roles["background"]?.background ?? .terminalDefault
        func colour(_ look: RoleStyle) -> ThemeColor { look.background != backdrop ? look.background : look.foreground }
        let alarmColours = Set((1...4).compactMap { theme.roles["alarm.\($0)"].map(colour) })
        #expect((1...4).allSatisfy { theme.roles["alarm.\($0)"] != nil }, "\(name) lacks alarm roles")
        #expect(!alarmColours.isEmpty)
        for (role, look) in theme.roles where !role.hasPrefix("alarm.") && role != "audit.failing" {
            #expect(!alarmColours.contains(look.foreground), "\(name): \(role) text uses an alarm colour")
            #expect(look.background == backdrop || !alarmColours.contains(look.background), "\(name): \(role) background uses an alarm colour")
        }
    }

    /// ...and still so once the colours are degraded: at 256, 16 and 8 colours no other role lands on an alarm's colour number.
    @Test(arguments: names.filter { $0 != "mono" })
    func alarmColoursStayApartOnSmallPalettes(name: String) throws {
        let theme = try #require(Theme.named(name))
        for depth in [ColorDepth.indexed256, .sixteen, .eight] {
            let backdrop = depth.number(theme.roles["background"]?.background ?? .terminalDefault)
            func colours(_ look: RoleStyle) -> Set<Int> {
                let bg = depth.number(look.background)
                return bg != backdrop ? [bg] : [depth.foreground(look.foreground, on: look.background)]
            }
            let alarmColours = (1...4).reduce(into: Set<Int>()) { $0.formUnion(theme.roles["alarm.\($1)"].map(colours) ?? []) }
            #expect(!alarmColours.isEmpty, "\(name) lacks alarm roles")
            for (role, look) in theme.roles where !role.hasPrefix("alarm.") && role != "audit.failing" {
                let fg = depth.foreground(look.foreground, on: look.background), bg = depth.number(look.background)
                #expect(!alarmColours.contains(fg) || fg == backdrop, "\(name) at \(depth): \(role) text is an alarm colour (\(fg))")
                #expect(bg == backdrop || !alarmColours.contains(bg), "\(name) at \(depth): \(role) background is an alarm colour (\(bg))")
            }
        }
    }
}
