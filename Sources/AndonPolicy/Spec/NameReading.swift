import AndonCore

extension ConfigNode {
    /// Reads a name from a closed set, reporting an unknown one with the nearest known name.
    func named<Value>(_ what: String, from options: [(String, Value)]) -> Value? {
        guard let text = string(what) else { return nil }
        if let found = options.first(where: { $0.0 == text }) { return found.1 }
        let names = options.map(\.0)
        let hint = Spelling.closest(text, in: names).map { "; did you mean '\($0)'?" } ?? ""
        diagnostics.report(.danglingReference, at: location, "unknown \(what) '\(text)'\(hint)", expected: "one of \(names.joined(separator: ", "))")
        return nil
    }

    /// Reads one of the raw values of `E`, reporting an unknown one with the nearest known value.
    func named<E: RawRepresentable & CaseIterable>(_ what: String, of type: E.Type) -> E? where E.RawValue == String {
        named(what, from: E.allCases.map { ($0.rawValue, $0) })
    }

    /// Reads a scalar or a list of names from a closed set; `nil` when any is unknown or the list is empty.
    func namedSet<E: RawRepresentable & CaseIterable & Hashable>(_ what: String, of type: E.Type) -> Set<E>? where E.RawValue == String {
        guard let items = list("'\(what)'") else { return nil }
        if items.isEmpty {
            diagnostics.report(.missingField, at: location, "'\(what)' is an empty list", expected: "at least one \(what)")
            return nil
        }
        let values = items.map { $0.named(what, of: type) }
        return values.contains { $0 == nil } ? nil : Set(values.compactMap { $0 })
    }
}

/// Finds likely typos among known names.
enum Spelling {
    /// The candidate nearest to `word` by edit distance, if close enough to be a likely typo.
    static func closest(_ word: String, in candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
        guard let (best, distance) = scored, distance <= max(1, word.count / 3) else { return nil }
        return best
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
