import Foundation

/// How the console starts.
public struct ConsoleOptions: Sendable, Hashable {
    /// Most frames per second drawn for new snapshots (keys redraw at once).
    public var framesPerSecond: Int
    /// The theme to start with, already loaded and checked.
    public var theme: Theme
    /// Where `:theme NAME` looks.
    public var themes: ThemeLibrary
    /// ASCII box drawing and glyphs only (also chosen when the locale is not UTF-8).
    public var isASCII: Bool
    /// No colour at all, whatever the theme (`NO_COLOR`).
    public var isColorless: Bool
    /// Events kept for the log and drill-downs.
    public var eventCapacity: Int
    /// Shown in the header beside the person when they are not simply the login user (a claimed identity, a demo
    /// promotion).
    public var identityNote: String?

    /// Options; the defaults suit a supervisor's screen, and `NO_COLOR` (any non-empty value) turns colour off.
    public init(framesPerSecond: Int = 4, theme: Theme = .isa101, themes: ThemeLibrary = .standard(), isASCII: Bool = false,
                isColorless: Bool = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty, eventCapacity: Int = 500) {
        self.framesPerSecond = max(1, min(30, framesPerSecond))
        self.theme = theme
        self.themes = themes
        self.isASCII = isASCII
        self.isColorless = isColorless
        self.eventCapacity = eventCapacity
    }
}
