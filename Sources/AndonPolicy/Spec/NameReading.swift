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
