/// A position in a configuration file: 1-based line and column.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file the position is in, as the user named it.
    public var file: String
    /// Line number, starting at 1.
    public var line: Int
    /// Column number, starting at 1.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// The line and column (in characters) of the byte at `offset` of `text`'s UTF-8, counting line breaks as YAML
    /// does: `\r\n`, `\r`, `\n`, and NEL, LS and PS. An offset past the end gives the position after the last character.
    public init(file: String, byte offset: Int, in text: String) {
        var line = 1, column = 1, byte = 0
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            byte += UTF8.width(scalar)
            guard byte <= offset else { break }
            switch scalar {
            case "\n" where previous == "\r": break
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": line += 1; column = 1
            default: column += 1
            }
            previous = scalar
        }
        self.init(file: file, line: line, column: column)
    }

    /// `file:line:column`, the form editors and compilers use.
    public var description: String { "\(file):\(line):\(column)" }
}
