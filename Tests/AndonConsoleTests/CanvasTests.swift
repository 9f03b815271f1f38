import Testing
@testable import AndonConsole

@Suite struct CanvasTests {
    @Test func wideGraphemesTakeTwoColumnsWithAContinuation() {
        var canvas = Canvas(size: TerminalSize(columns: 6, rows: 1))
        let used = canvas.put("a組b", x: 0, y: 0, style: CellStyle(.text), clip: canvas.bounds)
        #expect(used == 4)
        #expect(canvas[1, 0].grapheme == "組" && canvas[2, 0].isContinuation)
        #expect(TextRenderer.render(canvas) == "a組b")
    }

    @Test func aWideGraphemeCutByTheClipBecomesASpace() {
        var canvas = Canvas(size: TerminalSize(columns: 4, rows: 1))
        canvas.put("ab組", x: 1, y: 0, style: CellStyle(.text), clip: canvas.bounds)
        #expect(TextRenderer.render(canvas) == " ab")
        #expect(!canvas[3, 0].isContinuation)
    }

    @Test func overwritingHalfAWideGraphemeBlanksTheOtherHalf() {
        var canvas = Canvas(size: TerminalSize(columns: 4, rows: 1))
        canvas.put("組", x: 0, y: 0, style: CellStyle(.text), clip: canvas.bounds)
        canvas.put("x", x: 1, y: 0, style: CellStyle(.text), clip: canvas.bounds)
        #expect(TextRenderer.render(canvas) == " x")
    }

    @Test func drawingIsClippedToTheRegion() {
        var canvas = Canvas(size: TerminalSize(columns: 10, rows: 3))
        let region = Rect(x: 2, y: 1, width: 3, height: 1)
        canvas.put("hello", x: 0, y: 1, style: CellStyle(.text), clip: region)
        canvas.put("row0", x: 2, y: 0, style: CellStyle(.text), clip: region)
        #expect(TextRenderer.render(canvas) == "\n  llo\n")
    }

    @Test func combiningMarksStayWithTheirBase() {
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.truncate("abcdef", to: 4) == "abc…")
    }

    @Test func sparklinesAndBars() {
        #expect(Glyphs.unicode.sparkline([0, 1, 2, 3, 4, 5, 6, 7], width: 8) == "▁▂▃▄▅▆▇█")
        #expect(Glyphs.ascii.sparkline([0, 7], width: 8, floor: 0, ceiling: 7) == "_@")
        #expect(Glyphs.unicode.bar(fraction: 0.5, width: 4) == ("██", "░░"))
    }

    @Test func themesResolveEveryRole() {
        for theme in Theme.bundled {
            for role in StyleRole.allCases {
                #expect(theme.roles[role.name] != nil, "\(theme.name) lacks \(role.name)")
            }
        }
        #expect(Theme.mono.resolve(CellStyle(.text, isSelected: true)).attributes.contains(.reverse))
        #expect(Theme.isa101.usesColor)
        #expect(Theme.isa101.roles["text"]?.background == .terminalDefault)
    }
}
