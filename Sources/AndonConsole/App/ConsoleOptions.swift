/// How the console starts.
public struct ConsoleOptions: Sendable, Hashable {
    /// Most frames per second drawn for new snapshots (keys redraw at once).
    public var framesPerSecond: Int
    /// The theme's name (`isa101`, `mono`).
    public var themeName: String
    /// ASCII box drawing and glyphs only.
    public var isASCII: Bool
    /// Events kept for the log and drill-downs.
    public var eventCapacity: Int

    /// Options; the defaults suit a supervisor's screen.
    public init(framesPerSecond: Int = 4, themeName: String = "isa101", isASCII: Bool = false, eventCapacity: Int = 500) {
        self.framesPerSecond = max(1, min(30, framesPerSecond))
        self.themeName = themeName
        self.isASCII = isASCII
        self.eventCapacity = eventCapacity
    }
}
