import Foundation

/// Where the repository's files are, found from this file's location (Benchmarks/Sources/BenchmarkSupport/).
public enum Repository {
    /// The repository root.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url
    }()

    /// A path inside the repository.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}

/// A duration in seconds (AndonCore has a `Duration` of its own).
public func seconds(_ duration: Swift.Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
