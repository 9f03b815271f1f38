import Testing
@testable import AndonConsole

/// Theme colours fall to the nearest colour the terminal has: direct RGB, 256, 16, 8, then none.
@Suite struct ThemeColorDepthTests {
    @Test func depthFromTheColourCount() {
        #expect(ColorDepth(colors: 0) == .none)
        #expect(ColorDepth(colors: 8) == .eight)
        #expect(ColorDepth(colors: 16) == .sixteen)
        #expect(ColorDepth(colors: 88) == .sixteen)
        #expect(ColorDepth(colors: 256) == .indexed256)
        #expect(ColorDepth(colors: 0x1000000) == .direct)
    }

    @Test func exactColoursDegrade() {
        let orange = ThemeColor.rgb(red: 0xE6, green: 0x9F, blue: 0x00)
        #expect(ColorDepth.direct.number(orange) == 0xE69F00)
        #expect(ColorDepth.indexed256.number(orange) == 178)
        #expect(ColorDepth.sixteen.number(orange) == 3)
        #expect(ColorDepth.eight.number(orange) == 3)
        #expect(ColorDepth.none.number(orange) == -1)
        let red = ThemeColor.rgb(red: 255, green: 0, blue: 0)
        #expect(ColorDepth.indexed256.number(red) == 196)
        #expect(ColorDepth.sixteen.number(red) == 9)
        #expect(ColorDepth.eight.number(red) == 1)
    }

    @Test func paletteIndexesDegrade() {
        #expect(ColorDepth.indexed256.number(.indexed(213)) == 213)
        #expect(ColorDepth.direct.number(.indexed(196)) == 0xFF0000)
        #expect(ColorDepth.direct.number(.basic(3)) == 3, "the basic eight stay palette colours on direct-colour terminals")
        #expect(ColorDepth.sixteen.number(.indexed(196)) == 9)
        #expect(ColorDepth.eight.number(.indexed(196)) == 1)
        #expect(ColorDepth.sixteen.number(.basic(12)) == 12)
        #expect(ColorDepth.eight.number(.basic(12)) == 4, "bright blue is blue on 8 colours")
        #expect(ColorDepth.eight.number(.terminalDefault) == -1)
    }

    @Test func greysStayVisibleOnTheDefaultBackground() {
        // xterm grey 240 (#585858) is nearer black than white; as text on the terminal's background it must not vanish.
        #expect(ColorDepth.eight.foreground(.indexed(240), on: .terminalDefault) == 7)
        #expect(ColorDepth.sixteen.foreground(.indexed(240), on: .terminalDefault) == 8)
        // Text never takes its own background's colour.
        #expect(ColorDepth.eight.foreground(.basic(7), on: .basic(7)) != 7)
        // Near-black text is allowed to be black.
        #expect(ColorDepth.eight.foreground(.rgb(red: 20, green: 20, blue: 20), on: .basic(7)) == 0)
    }

    @Test(arguments: Theme.bundled.map(\.name))
    func everyRoleHasAColourAtEveryDepth(name: String) throws {
        let theme = try #require(Theme.named(name))
        for depth in ColorDepth.allCases {
            for look in theme.roles.values {
                let fg = depth.foreground(look.foreground, on: look.background), bg = depth.number(look.background)
                #expect(fg >= -1 && bg >= -1)
                if depth != .direct { #expect(fg < depth.rawValue && bg < depth.rawValue) }
                if fg >= 0 || bg >= 0 { #expect(fg != bg, "\(name) at \(depth): text on its own colour") }
            }
        }
    }

    @Test func selectionStaysVisibleWhenItsBackgroundCollapses() throws {
        let dark = try #require(Theme.named("dark"))
        let selected = CellStyle(.text, isSelected: true)
        #expect(!dark.resolve(selected, at: .indexed256).attributes.contains(.reverse), "#3a3a3a is its own grey on 256 colours")
        #expect(dark.resolve(selected, at: .eight).attributes.contains(.reverse), "on 8 colours #3a3a3a and #1c1c1c are both black")
        #expect(Theme.isa101.resolve(selected, at: .sixteen).background == .indexed(238), "grey 238 is bright black (8) on 16 colours")
        #expect(Theme.isa101.resolve(selected, at: .eight).attributes.contains(.reverse), "black on 8 colours: the default background of most terminals")
    }
}
