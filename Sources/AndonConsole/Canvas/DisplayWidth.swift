/// How many terminal columns text takes, without asking the C library (whose answer depends on the locale).
enum DisplayWidth {
    /// Columns taken by one grapheme: 0 for a lone combining mark, 2 for wide East Asian text and emoji, else 1.
    static func of(_ character: Character) -> Int {
        if let ascii = character.asciiValue { return ascii < 0x20 || ascii == 0x7F ? 0 : 1 }
        guard let first = character.unicodeScalars.first else { return 0 }
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }
        return of(scalar: first)
    }

    /// Columns taken by one scalar.
    static func of(scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(v) { return 2 }
        return 1
    }

    /// True for scalars that are always a grapheme of their own, one column wide: printable ASCII and Latin,
    /// punctuation, arrows, box drawing, block elements, geometric shapes and dingbats. Text made of these alone
    /// is measured and drawn scalar by scalar, without finding grapheme boundaries.
    static func isSimple(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0x2FF, 0x2010...0x2027, 0x2030...0x205E, 0x2190...0x21FF, 0x2500...0x25FF, 0x2700...0x27BF: true
        default: false
        }
    }

    /// The number of scalars in `text` when all are ``isSimple(_:)`` (and so its width), else nil.
    static func simpleWidth(_ text: some StringProtocol) -> Int? {
        // Printable ASCII, the usual case, byte by byte.
        let ascii: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }
        if ascii == true { return text.utf8.count }
        var count = 0
        for scalar in text.unicodeScalars {
            guard isSimple(scalar) else { return nil }
            count += 1
        }
        return count
    }

    /// Columns taken by a string.
    static func of(_ text: some StringProtocol) -> Int {
        if let width = simpleWidth(text) { return width }
        var total = 0
        for character in text { total += of(character) }
        return total
    }

    /// The longest prefix of `text` that fits in `columns`, with `…` when it was cut and `ellipsis` is true.
    static func truncate(_ text: String, to columns: Int, ellipsis: Bool = true) -> String {
        guard columns > 0 else { return "" }
        if let width = simpleWidth(text) {
            if width <= columns { return text }
            let kept = ellipsis ? columns - 1 : columns
            let cut = String(text[..<text.unicodeScalars.index(text.startIndex, offsetBy: kept)])
            return ellipsis ? cut + "…" : cut
        }
        var used = 0
        var end = text.startIndex
        for index in text.indices {
            let w = of(text[index])
            if used + w > columns { break }
            used += w
            end = text.index(after: index)
        }
        if end == text.endIndex { return text }
        guard ellipsis else { return String(text[..<end]) }
        // Make room for the ellipsis.
        var cut = String(text[..<end])
        while !cut.isEmpty && of(cut) + 1 > columns { cut.removeLast() }
        return cut + "…"
    }

    /// `text` padded with spaces (or cut) to exactly `columns`.
    static func pad(_ text: String, to columns: Int, alignRight: Bool = false) -> String {
        let cut = truncate(text, to: columns)
        let gap = String(repeating: " ", count: max(0, columns - of(cut)))
        return alignRight ? gap + cut : cut + gap
    }

    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x3FFFD:
            true
        default:
            false
        }
    }
}
