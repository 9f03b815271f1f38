import Foundation
import Yams

/// A YAML value with its position, read through typed accessors that report problems to a ``Diagnostics``.
///
/// Every accessor returns `nil` after reporting when the value is not what was asked for, so a loader
/// can go on and find the next problem in the same file.
public struct ConfigNode {
    let node: Node
    /// Where errors go.
    public let diagnostics: Diagnostics
    /// Where this value starts.
    public let location: SourceLocation

    init(node: Node, diagnostics: Diagnostics, fallback: SourceLocation) {
        self.node = node
        self.diagnostics = diagnostics
        if let mark = node.mark {
            location = SourceLocation(file: diagnostics.file, line: mark.line, column: mark.column)
        } else {
            location = fallback
        }
    }

    /// Parses YAML text; syntax errors are reported with their position and give `nil`.
    public static func parse(_ text: String, diagnostics: Diagnostics) -> ConfigNode? {
        let start = SourceLocation(file: diagnostics.file, line: 1, column: 1)
        if let (line, column, problem) = YAMLBounds.problem(in: text) {
            diagnostics.report(.impossibleValue, at: SourceLocation(file: diagnostics.file, line: line, column: column), problem)
            return nil
        }
        do {
            // Every scalar is read as text by the accessors below, which give it its type, so no tag is resolved: with
            // Yams's default resolver, the duplicate-key check of every mapping matched each key against regular
            // expressions (a third of the load of a plant of 10,000 cells). Two keys spelled alike are then one key
            // written twice whatever their quoting, which is how the accessors read them.
            guard let node = try Yams.compose(yaml: text, .basic) else {
                diagnostics.report(.missingField, at: start, "the file is empty", expected: "a YAML mapping")
                return nil
            }
            return ConfigNode(node: node, diagnostics: diagnostics, fallback: start)
        } catch let error as YamlError {
            let (mark, problem) = Self.describe(error)
            var location = mark.map { SourceLocation(file: diagnostics.file, line: $0.line, column: $0.column) } ?? start
            if case let .reader(_, offset?, _, _) = error { location = SourceLocation(file: diagnostics.file, byte: offset, in: text) }
            diagnostics.report(.syntax, at: location, problem)
            return nil
        } catch {
            diagnostics.report(.syntax, at: start, "\(error)")
            return nil
        }
    }

    /// Reads and parses a file; an unreadable file is reported at line 1.
    public static func load(path: String, diagnostics: Diagnostics) -> ConfigNode? {
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > YAMLBounds.maxBytes {
            diagnostics.report(.io, at: SourceLocation(file: diagnostics.file, line: 1, column: 1),
                               "the file is \(size) bytes, more than the \(YAMLBounds.maxBytes >> 20) MiB a configuration file may have")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.report(.io, at: SourceLocation(file: diagnostics.file, line: 1, column: 1), "cannot read the file")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            diagnostics.report(.syntax, at: SourceLocation(file: diagnostics.file, line: 1, column: 1), "the file is not UTF-8 text")
            return nil
        }
        return parse(text, diagnostics: diagnostics)
    }

    private static func describe(_ error: YamlError) -> (Mark?, String) {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return (mark, "YAML syntax: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            return (context.mark, "duplicate key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping")
        case let .reader(problem, _, _, _):
            return (nil, "YAML reader: \(problem)")
        default:
            return (nil, "YAML: \(error)")
        }
    }

    func child(_ node: Node) -> ConfigNode {
        ConfigNode(node: node, diagnostics: diagnostics, fallback: location)
    }

    /// A short word for the YAML kind of this value, for messages.
    var kindName: String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case let .scalar(scalar): scalar.string.isEmpty ? "an empty value" : "'\(scalar.string)'"
        }
    }

    private func wrongType(_ what: String, expected: String) {
        diagnostics.report(.wrongType, at: location, "\(what) is \(kindName)", expected: expected)
    }

    /// Reads a mapping, reporting keys outside `keys` and missing `required` keys; a key in `refused` is reported with its
    /// own sentence and what to write instead (its value is never repeated).
    public func mapping(_ what: String, keys: [String], required: [String] = [], refused: [String: (String, expected: String)] = [:]) -> ConfigMapping? {
        guard case let .mapping(mapping) = node else {
            wrongType(what, expected: "a mapping")
            return nil
        }
        var entries: [(key: String, keyLocation: SourceLocation, value: ConfigNode)] = []
        for (keyNode, valueNode) in mapping {
            let key = child(keyNode)
            guard let name = keyNode.scalar?.string else {
                diagnostics.report(.wrongType, at: key.location, "a key in \(what) is \(key.kindName)", expected: "a plain key")
                continue
            }
            if let (message, expected) = refused[name] {
                diagnostics.report(.impossibleValue, at: key.location, message, expected: expected)
                continue
            }
            if !keys.contains(name) {
                let suggestion = Spelling.closest(name, in: keys)
                let hint = suggestion.map { "; did you mean '\($0)'?" } ?? ""
                diagnostics.report(.unknownKey, at: key.location, "unknown key '\(name)' in \(what)\(hint)",
                                   expected: "one of \(keys.joined(separator: ", "))")
                continue
            }
            entries.append((name, key.location, child(valueNode)))
        }
        for name in required where !entries.contains(where: { $0.key == name }) {
            diagnostics.report(.missingField, at: location, "\(what) is missing '\(name)'", expected: "a '\(name)' key")
        }
        return ConfigMapping(entries: entries, location: location, diagnostics: diagnostics)
    }

    /// Reads a list.
    public func sequence(_ what: String) -> [ConfigNode]? {
        guard case let .sequence(sequence) = node else {
            wrongType(what, expected: "a list")
            return nil
        }
        return sequence.map { child($0) }
    }

    /// Reads a mapping whose keys are names chosen by the user, in file order.
    public func namedEntries(_ what: String) -> [(name: String, location: SourceLocation, value: ConfigNode)]? {
        guard case let .mapping(mapping) = node else {
            wrongType(what, expected: "a mapping")
            return nil
        }
        return mapping.compactMap { keyNode, valueNode in
            guard let name = keyNode.scalar?.string else { return nil }
            return (name, child(keyNode).location, child(valueNode))
        }
    }

    private var plainScalar: String? {
        guard case let .scalar(scalar) = node else { return nil }
        return scalar.string
    }

    /// Reads a non-empty string.
    public func string(_ what: String) -> String? {
        guard case let .scalar(scalar) = node, !scalar.string.isEmpty else {
            wrongType(what, expected: "a non-empty string")
            return nil
        }
        return scalar.string
    }

    /// Reads an identifier: letters, digits, `-`, `_` and `.`, starting with a letter or digit.
    public func identifier(_ what: String) -> String? {
        guard let text = string(what) else { return nil }
        let allowed = text.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic && $0.isASCII) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
        guard allowed, let first = text.unicodeScalars.first, first.properties.isAlphabetic || ("0"..."9").contains(first) else {
            diagnostics.report(.wrongType, at: location, "\(what) '\(text)' is not an identifier",
                               expected: "letters, digits, '-', '_' or '.', starting with a letter or digit")
            return nil
        }
        return text
    }

    /// Reads a number, checking it against a range when one is given.
    public func number(_ what: String, in range: ClosedRange<Double>? = nil, rangeText: String? = nil) -> Double? {
        guard case let .scalar(scalar) = node, scalar.style == .plain,
              let value = Double(Self.withoutGrouping(scalar.string)), !value.isNaN else {
            wrongType(what, expected: "a number")
            return nil
        }
        guard value.isFinite else {
            diagnostics.report(.impossibleValue, at: location, "\(what) \(scalar.string) is beyond the range of numbers (±1.8e308)",
                               expected: rangeText ?? "a number")
            return nil
        }
        if let range, !range.contains(value) {
            diagnostics.report(.impossibleValue, at: location, "\(what) \(Self.format(value)) is impossible",
                               expected: rangeText ?? "a value from \(Self.format(range.lowerBound)) to \(Self.format(range.upperBound))")
            return nil
        }
        return value
    }

    /// A number's text without the `_` that may group its digits (`1_000`); most have none, and are handed on as they are.
    private static func withoutGrouping(_ text: String) -> String {
        text.utf8.contains(UInt8(ascii: "_")) ? text.replacingOccurrences(of: "_", with: "") : text
    }

    /// Reads a whole number, checking it against a range when one is given.
    public func integer(_ what: String, in range: ClosedRange<Int>? = nil) -> Int? {
        guard case let .scalar(scalar) = node, scalar.style == .plain, let value = Int(Self.withoutGrouping(scalar.string)) else {
            wrongType(what, expected: "a whole number")
            return nil
        }
        if let range, !range.contains(value) {
            diagnostics.report(.impossibleValue, at: location, "\(what) \(value) is impossible",
                               expected: "a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// Reads `true` or `false`.
    public func bool(_ what: String) -> Bool? {
        switch plainScalar {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            wrongType(what, expected: "true or false")
            return nil
        }
    }

    /// Reads a duration such as `250ms`, `90s`, `15m`, `8h` or a plain number of seconds; returns seconds.
    public func duration(_ what: String, allowZero: Bool = false) -> Double? {
        guard let text = plainScalar, let seconds = TimeText.unboundedSeconds(parsing: text) else {
            wrongType(what, expected: "a duration such as 250ms, 90s, 15m or 8h")
            return nil
        }
        if seconds > TimeText.longestSeconds {
            diagnostics.report(.impossibleValue, at: location, "\(what) \(text) is longer than ten years", expected: "a duration up to 3650d")
            return nil
        }
        if seconds > 0, seconds < TimeText.shortestSeconds {
            diagnostics.report(.impossibleValue, at: location, "\(what) \(text) is shorter than a microsecond", expected: "a duration of 1us or more")
            return nil
        }
        if seconds < 0 || (!allowZero && seconds == 0) {
            diagnostics.report(.impossibleValue, at: location, "\(what) \(text) is impossible", expected: allowZero ? "a duration of zero or more" : "a duration above zero")
            return nil
        }
        return seconds
    }

    /// Reads one of the raw values of `E`.
    public func choice<E: RawRepresentable & CaseIterable>(_ what: String, of type: E.Type) -> E? where E.RawValue == String {
        guard let text = plainScalar, let value = E(rawValue: text) else {
            let options = E.allCases.map(\.rawValue).joined(separator: ", ")
            diagnostics.report(.wrongType, at: location, "\(what) is \(kindName)", expected: "one of \(options)")
            return nil
        }
        return value
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}

/// The entries of a YAML mapping whose keys have been checked.
public struct ConfigMapping {
    let entries: [(key: String, keyLocation: SourceLocation, value: ConfigNode)]
    /// Where the mapping starts.
    public let location: SourceLocation
    /// Where errors go.
    public let diagnostics: Diagnostics

    /// The value under `key`, or `nil` when absent.
    public subscript(key: String) -> ConfigNode? {
        entries.first { $0.key == key }?.value
    }

    /// True when `key` is present.
    public func has(_ key: String) -> Bool {
        entries.contains { $0.key == key }
    }
}
