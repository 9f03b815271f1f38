import Foundation

/// How an external telemetry stream is taken in.
public struct IngestOptions: Sendable {
    /// How far ahead of the reference clock a source timestamp may be, seconds.
    public var maxClockSkewSeconds: Double
    /// Longest line read, in bytes; longer lines are refused as `too_long`.
    public var maxLineBytes: Int
    /// Recent rejects kept in memory for the console.
    public var keptRejects: Int
    /// The reference clock for future timestamps, seconds since the Unix epoch (the wall clock unless a test injects one).
    public var clock: @Sendable () -> Double

    /// Creates options.
    public init(maxClockSkewSeconds: Double = 300, maxLineBytes: Int = 64 * 1024, keptRejects: Int = 200,
                clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }) {
        self.maxClockSkewSeconds = maxClockSkewSeconds
        self.maxLineBytes = maxLineBytes
        self.keptRejects = keptRejects
        self.clock = clock
    }
}
