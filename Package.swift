// swift-tools-version: 6.0
import PackageDescription

/// Strict settings shared by every target of the package.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableExperimentalFeature("StrictConcurrency=complete"),
]

// Linux only: the console, the audit store's lock and the runtime call Glibc directly (poll, flock, signals, /dev/tty),
// and the console needs ncursesw from libncurses-dev.
let package = Package(
    name: "andon",
    products: [
        .executable(name: "andon", targets: ["andon"]),
        .library(name: "AndonCore", targets: ["AndonCore"]),
        .library(name: "AndonPolicy", targets: ["AndonPolicy"]),
        .library(name: "AndonRuntime", targets: ["AndonRuntime"]),
        .library(name: "AndonStore", targets: ["AndonStore"]),
        .library(name: "AndonStorePostgres", targets: ["AndonStorePostgres"]),
        .library(name: "AndonMetrics", targets: ["AndonMetrics"]),
        .library(name: "AndonConsole", targets: ["AndonConsole"]),
        .library(name: "AndonWire", targets: ["AndonWire"]),
        .library(name: "AndonService", targets: ["AndonService"]),
        .library(name: "AndonMCP", targets: ["AndonMCP"]),
        // What must hold at every door for any input; the fuzz targets in Fuzz/ assert it.
        .library(name: "AndonHostileInput", targets: ["AndonHostileInput"]),
        // Test helpers (fixtures, a throwaway PostgreSQL cluster), for the tests and for the benchmarks' own package.
        .library(name: "AndonTesting", targets: ["AndonTesting"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/modelcontextprotocol/swift-sdk", from: "0.12.1"),
    ],
    targets: [
        .target(
            name: "AndonCore",
            dependencies: [.product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "AndonPolicy",
            dependencies: ["AndonCore", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        // The time-stamp counter, read by the runtime's clock for decision latencies (header only).
        .systemLibrary(name: "CTimeStampCounter"),
        .target(
            name: "AndonRuntime",
            dependencies: [
                "AndonCore",
                "CTimeStampCounter",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AndonStore",
            dependencies: [
                "AndonCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                // SQLite's own calls, for the audit insert (the module GRDB itself is built on).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        // The shared store: every runtime's audit stream, leases and approvals in one PostgreSQL. Only this target (and
        // what needs it) builds postgres-nio.
        .target(
            name: "AndonStorePostgres",
            dependencies: [
                "AndonCore", "AndonStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Prometheus text for plant IT, rendered from a snapshot and the runtime's figures, and served on /metrics.
        .target(
            name: "AndonMetrics",
            dependencies: [
                "AndonCore",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // ncursesw's headers sit on the default include path; its pkg-config flags are defines SwiftPM drops
        // anyway (the shim sets NCURSES_WIDECHAR itself), so they are not requested.
        .systemLibrary(
            name: "CNCurses",
            providers: [.apt(["libncurses-dev"])]
        ),
        // zlib, for the service's compressed stream to consoles.
        .systemLibrary(
            name: "CZlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "AndonConsole",
            dependencies: ["AndonCore", "CNCurses", .product(name: "Yams", package: "Yams")],
            swiftSettings: strict
        ),
        .target(
            name: "AndonWire",
            dependencies: ["AndonCore", "CZlib"],
            swiftSettings: strict
        ),
        .target(
            name: "AndonService",
            dependencies: [
                "AndonCore", "AndonWire", "AndonRuntime",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // The MCP server (`andon mcp`): the only target that pays for the MCP SDK's build.
        .target(
            name: "AndonMCP",
            dependencies: [
                "AndonCore", "AndonWire", "AndonService",
                .product(name: "MCP", package: "swift-sdk"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "AndonTesting",
            dependencies: ["AndonCore", "AndonRuntime"],
            swiftSettings: strict
        ),
        .target(
            name: "AndonHostileInput",
            dependencies: ["AndonCore", "AndonPolicy", "AndonConsole", "AndonWire"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "andon",
            dependencies: [
                "AndonCore", "AndonPolicy", "AndonRuntime", "AndonStore", "AndonStorePostgres", "AndonMetrics", "AndonConsole", "AndonWire", "AndonService", "AndonMCP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "AndonCoreTests", dependencies: ["AndonCore", "AndonTesting", .product(name: "PropertyBased", package: "swift-property-based")],
                    swiftSettings: strict),
        .testTarget(name: "AndonPolicyTests", dependencies: ["AndonPolicy", "AndonTesting"], swiftSettings: strict),
        .testTarget(name: "AndonRuntimeTests", dependencies: ["AndonRuntime", "AndonPolicy", "AndonTesting"], swiftSettings: strict),
        .testTarget(name: "AndonStoreTests", dependencies: ["AndonStore", "AndonRuntime", "AndonPolicy", "AndonTesting"], swiftSettings: strict),
        // The store contract, run against SQLite and against PostgreSQL (ANDON_TEST_POSTGRES, else a throwaway cluster).
        .testTarget(name: "AndonStoreContractTests", dependencies: ["AndonStore", "AndonStorePostgres", "AndonRuntime", "AndonPolicy", "AndonMetrics", "AndonTesting"], swiftSettings: strict),
        .testTarget(name: "AndonMetricsTests", dependencies: ["AndonMetrics", "AndonRuntime", "AndonTesting"], swiftSettings: strict),
        .testTarget(name: "AndonConsoleTests", dependencies: ["AndonConsole", "AndonService", "AndonWire", "AndonTesting"], exclude: ["__Snapshots__"], swiftSettings: strict),
        .testTarget(name: "AndonCLITests", dependencies: ["andon", "AndonTesting"], exclude: ["Clients"], swiftSettings: strict),
        .testTarget(name: "AndonHostileInputTests", dependencies: ["AndonHostileInput"], swiftSettings: strict),
        .testTarget(name: "AndonServiceTests", dependencies: ["AndonService", "AndonWire", "AndonRuntime", "AndonPolicy", "AndonTesting",
                                                             .product(name: "PropertyBased", package: "swift-property-based")],
                    swiftSettings: strict),
    ]
)
