// swift-tools-version: 6.1
import PackageDescription

// Andon's benchmarks, in a package of their own so that `swift test` at the root never builds them.
// Run from this folder: `swift package benchmark` (or `../scripts/bench.sh` for the whole table).
// Static thresholds (`swift package benchmark thresholds check`) live in `Thresholds/` and encode
// DESIGN.md §5; see docs/PERFORMANCE.md.

let benchmarkSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// One executable target per area, each run by the benchmark plugin.
func benchmarkTarget(_ name: String, _ products: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["BenchmarkSupport", .product(name: "Benchmark", package: "benchmark")]
            + products.map { .product(name: $0, package: "andon") },
        path: "Benchmarks/\(name)",
        swiftSettings: benchmarkSettings,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
    )
}

let package = Package(
    name: "andon-benchmarks",
    dependencies: [
        .package(name: "andon", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .target(
            name: "BenchmarkSupport",
            dependencies: [.product(name: "Benchmark", package: "benchmark"), .product(name: "AndonCore", package: "andon")],
            swiftSettings: benchmarkSettings
        ),
        benchmarkTarget("PolicyBenchmarks", ["AndonCore", "AndonPolicy"]),
        benchmarkTarget("RuntimeBenchmarks", ["AndonCore", "AndonPolicy", "AndonRuntime", "AndonStore"]),
        benchmarkTarget("ApprovalBenchmarks", ["AndonCore", "AndonPolicy", "AndonRuntime", "AndonStore"]),
        benchmarkTarget("ConsoleBenchmarks", ["AndonCore", "AndonPolicy", "AndonRuntime", "AndonConsole"]),
        benchmarkTarget("IngestBenchmarks", ["AndonCore", "AndonPolicy", "AndonRuntime", "AndonStore"]),
        benchmarkTarget("StoreBenchmarks", ["AndonCore", "AndonRuntime", "AndonStore"]),
        benchmarkTarget("StoreCommitBenchmarks", ["AndonCore", "AndonPolicy", "AndonRuntime", "AndonStore", "AndonStorePostgres", "AndonTesting"]),
        benchmarkTarget("ServiceBenchmarks", ["AndonCore", "AndonPolicy", "AndonRuntime", "AndonStore", "AndonWire", "AndonService"]),
        benchmarkTarget("AgentBenchmarks", ["AndonCore", "AndonPolicy", "AndonRuntime", "AndonStore", "AndonService", "AndonWire"]),
    ]
)
