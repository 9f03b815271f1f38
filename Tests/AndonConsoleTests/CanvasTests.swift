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

    /// Graphemes of several scalars (a letter with a combining mark, an emoji sequence, a flag) are kept whole beside
    /// the packed grid: read back as written, through the subscript, the cell list and the text renderer, and still
    /// whole after other cells around them are written over, a fill with one of them included.
    @Test func graphemesOfSeveralScalarsComeBackWhole() {
        let long: [Character] = ["e\u{301}", "👩‍🔧", "🇩🇪", "e\u{FE0F}"]
        var canvas = Canvas(size: TerminalSize(columns: 12, rows: 2))
        let used = canvas.put("a" + String(long[0]) + "b" + String(long[1]) + String(long[2]) + "c", x: 0, y: 0, style: CellStyle(.text), clip: canvas.bounds)
        let flagWidth = DisplayWidth.of(long[2])
        #expect(used == 6 + flagWidth)
        #expect(canvas[1, 0].grapheme == long[0])
        #expect(canvas[3, 0].grapheme == long[1] && canvas[4, 0].isContinuation)
        #expect(canvas[5, 0].grapheme == long[2] && canvas[5 + flagWidth, 0].grapheme == "c")
        #expect(TextRenderer.render(canvas).hasPrefix("a" + String(long[0]) + "b" + String(long[1]) + String(long[2]) + "c"))
        // Written over on each side and halfway: the wide one cut in half goes, the others stay.
        canvas.put("x", x: 0, y: 0, style: CellStyle(.text), clip: canvas.bounds)
        canvas.put("y", x: 4, y: 0, style: CellStyle(.text), clip: canvas.bounds)
        #expect(canvas[1, 0].grapheme == long[0] && canvas[5, 0].grapheme == long[2])
        #expect(canvas[3, 0].grapheme == " " && canvas[4, 0].grapheme == "y")
        canvas.fill(Rect(x: 0, y: 1, width: 12, height: 1), with: long[3], style: CellStyle(.border))
        #expect((0..<12).allSatisfy { canvas[$0, 1].grapheme == long[3] && canvas[$0, 1].style == CellStyle(.border) })
        #expect(canvas.cells.count == 24 && canvas.cells[13].grapheme == long[3] && canvas.cells[1].grapheme == long[0])
        canvas.foldToASCII()
        #expect(canvas[1, 0].grapheme == "e" && canvas[0, 1].grapheme == "?" && canvas[5, 0].grapheme == "?")
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

/// The shortcut for simple text measures, cuts and draws as the grapheme by grapheme way does.
@Suite struct SimpleTextTests {
    /// Every simple scalar is one column wide and never joins the scalars around it into one grapheme.
    @Test func simpleScalarsStandAlone() {
        var checked = 0
        for value in UInt32(0)...0x3_0000 {
            guard let scalar = Unicode.Scalar(value), DisplayWidth.isSimple(scalar) else { continue }
            checked += 1
            let alone = String(scalar)
            #expect(DisplayWidth.of(scalar: scalar) == 1, "U+\(String(value, radix: 16))")
            #expect(DisplayWidth.of(Character(scalar)) == 1, "U+\(String(value, radix: 16))")
            #expect(("a" + alone).count == 2 && (alone + "a").count == 2 && (alone + alone).count == 2, "U+\(String(value, radix: 16))")
            #expect(("\u{301}" + alone).count == 2, "U+\(String(value, radix: 16))")
        }
        #expect(checked > 1000)
    }

    /// Truncating and drawing simple text gives what the grapheme by grapheme way gives.
    @Test func simpleTextCutAndDrawn() {
        for text in ["", "a", "abc", "● exec", "┌──┐", "12:00:00 ▲2 vibration high …", "µs · →", "x\u{301}y", "e\u{FE0F}", "漢字ab"] {
            for columns in 0...12 {
                for ellipsis in [true, false] {
                    var used = 0, end = text.startIndex
                    for index in text.indices {
                        let width = DisplayWidth.of(text[index])
                        if used + width > columns { break }
                        used += width
                        end = text.index(after: index)
                    }
                    var expected = text
                    if columns == 0 {
                        expected = ""
                    } else if end != text.endIndex {
                        expected = String(text[..<end])
                        if ellipsis {
                            while !expected.isEmpty && expected.reduce(0, { $0 + DisplayWidth.of($1) }) + 1 > columns { expected.removeLast() }
                            expected += "…"
                        }
                    }
                    #expect(DisplayWidth.truncate(text, to: columns, ellipsis: ellipsis) == expected, "\(text) \(columns)")
                }
                var canvas = Canvas(size: TerminalSize(columns: 8, rows: 1))
                let used = canvas.put(text, x: columns - 4, y: 0, style: .background, clip: canvas.bounds)
                #expect(used == min(text.reduce(0) { $0 + DisplayWidth.of($1) }, max(0, 8 - (columns - 4))) || !text.unicodeScalars.allSatisfy(DisplayWidth.isSimple))
            }
            #expect(DisplayWidth.of(text) == text.reduce(0) { $0 + DisplayWidth.of($1) })
        }
    }
}

/// Filling with blanks row by row leaves what blanking cell by cell leaves, wide graphemes cut at the edges included.
@Suite struct FillTests {
    @Test func blanksOverWideGraphemes() {
        var canvas = Canvas(size: TerminalSize(columns: 10, rows: 3))
        for y in 0..<3 { canvas.put("漢字漢字漢", x: 0, y: y, style: CellStyle(.text), clip: canvas.bounds) }
        for rect in [Rect(x: 1, y: 0, width: 4, height: 2), Rect(x: 2, y: 1, width: 5, height: 2), Rect(x: 3, y: 0, width: 1, height: 3),
                     Rect(x: 0, y: 0, width: 10, height: 1), Rect(x: 8, y: 2, width: 5, height: 5)] {
            var filled = canvas, expected = canvas
            filled.fill(rect, style: CellStyle(.muted))
            let area = rect.intersection(canvas.bounds)
            for y in area.y..<area.maxY {
                for x in area.x..<area.maxX { expected.put(" ", x: x, y: y, style: CellStyle(.muted), clip: canvas.bounds) }
            }
            #expect(filled.cells == expected.cells, "\(rect)")
        }
    }
}

/// Boxes drawn cell by cell match boxes drawn as strings, clipped by the canvas edges too.
@Suite struct BoxEdgeTests {
    @Test func edgesAsStrings() {
        for glyphs in [Glyphs.unicode, .ascii] {
            for rect in [Rect(x: 0, y: 0, width: 2, height: 2), Rect(x: 3, y: 1, width: 7, height: 4), Rect(x: -2, y: -1, width: 8, height: 5),
                         Rect(x: 6, y: 3, width: 9, height: 6), Rect(x: 1, y: 1, width: 10, height: 2)] {
                var drawn = Canvas(size: TerminalSize(columns: 10, rows: 6))
                drawn.put("漢字漢字漢", x: 0, y: 1, style: CellStyle(.text), clip: drawn.bounds)
                var expected = drawn
                _ = drawn.box(rect, title: "", glyphs: glyphs)
                let style = CellStyle(.border)
                let horizontal = String(repeating: glyphs.horizontal, count: rect.width - 2)
                expected.put(String(glyphs.topLeft) + horizontal + String(glyphs.topRight), x: rect.x, y: rect.y, style: style, clip: rect)
                expected.put(String(glyphs.bottomLeft) + horizontal + String(glyphs.bottomRight), x: rect.x, y: rect.maxY - 1, style: style, clip: rect)
                for y in (rect.y + 1)..<(rect.maxY - 1) {
                    expected.put(String(glyphs.vertical), x: rect.x, y: y, style: style, clip: rect)
                    expected.put(String(glyphs.vertical), x: rect.maxX - 1, y: y, style: style, clip: rect)
                }
                expected.fill(rect.inset(by: 1))
                #expect(drawn.cells == expected.cells, "\(rect)")
            }
        }
    }
}

/// A detail view longer than its room: every line it shows is whole, the last row only says there is more, and
/// scrolled to the end every line has been shown whole.
@Suite struct DetailTextTests {
    @Test func theScrollHintNeverCutsALine() {
        var text = DetailText()
        for n in 1...6 { text.add(Segment("limit \(n) is hi 90.0 °C", .text)) }
        let rect = Rect(x: 0, y: 0, width: 30, height: 4)
        var seen: [String] = []
        var scroll = 0
        while true {
            var canvas = Canvas(size: TerminalSize(columns: 30, rows: 4))
            let most = text.draw(into: &canvas, in: rect, scroll: scroll)
            let rows = TextRenderer.render(canvas).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let textRows = rows.filter { $0.hasPrefix("limit") }
            #expect(textRows.allSatisfy { $0.hasSuffix("hi 90.0 °C") }, "every line shown is whole: \(rows)")
            if scroll < most {
                #expect(rows.last?.trimmingCharacters(in: .whitespaces) == "j/k scroll ↓", "\(rows)")
                #expect(textRows.count == 3)
            }
            seen.append(contentsOf: textRows)
            guard scroll < most else { break }
            scroll += 1
        }
        #expect(Set(seen) == Set((1...6).map { "limit \($0) is hi 90.0 °C" }), "every line is shown at some scroll")
    }
}
