/// One problem found in a configuration file, with where it is and what was expected.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, stable enough to test against.
    public enum Kind: String, Sendable, Hashable, Codable {
        case syntax
        case unknownKey
        case wrongType
        case missingField
        case duplicateID
        case danglingReference
        case impossibleValue
        case unreachableRule
        case io
    }

    /// What kind of problem this is.
    public var kind: Kind
    /// Where it is.
    public var location: SourceLocation
    /// What is wrong, in words.
    public var message: String
    /// What would have been accepted, when that can be said.
    public var expected: String?

    /// Creates an error.
    public init(_ kind: Kind, at location: SourceLocation, _ message: String, expected: String? = nil) {
        self.kind = kind
        self.location = location
        self.message = message
        self.expected = expected
    }

    /// `file:line:column: error: message (expected …)`, with any control character from the file shown as `?`.
    public var description: String {
        var text = "\(location): error: \(message)"
        if let expected { text += " (expected \(expected))" }
        return TerminalText.printable(text)
    }
}

/// Every problem found in one or more configuration files; nothing starts while there is one.
public struct ConfigErrors: Error, Sendable, CustomStringConvertible {
    /// The problems, in file order.
    public var errors: [ConfigError]

    /// Wraps a list of problems.
    public init(_ errors: [ConfigError]) {
        self.errors = errors.sorted { ($0.location.file, $0.location.line, $0.location.column) < ($1.location.file, $1.location.line, $1.location.column) }
    }

    /// One line per problem, then a count.
    public var description: String {
        let lines = errors.map(\.description)
        let count = errors.count == 1 ? "1 error" : "\(errors.count) errors"
        return (lines + [count]).joined(separator: "\n")
    }
}
