/// Text that came from a file, a record or a publisher, made safe to show on a terminal.
public enum TerminalText {
    /// `text` with control characters (tabs, escapes, newlines from the input) shown as `?`, so they cannot move the
    /// cursor, set a title or clear the screen; with `keepingNewlines`, line breaks stay (for text of several lines).
    public static func printable(_ text: String, keepingNewlines: Bool = false) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control && !(keepingNewlines && $0 == "\n") ? "?" : $0
        }))
    }
}
