// swift-tools-version:5.3
import PackageDescription

// libFuzzer targets, one per door through which outside text reaches a parser. Built with the fuzzer and address
// sanitizers by scripts/fuzz.sh (never by `swift build` at the root); what each asserts is AndonHostileInput's.
// Tools version 5.3 on purpose: from 5.5 on, an executable's `main` is renamed for testing, and libFuzzer brings its
// own `main`, so the renamed one the linker then asks for does not exist.
let doors = ["Telemetry", "Plant", "Policy", "Roster", "Scenario", "Theme", "Request", "Wire"]

let package = Package(
    name: "AndonFuzz",
    dependencies: [.package(name: "andon", path: "..")],
    targets: doors.map { door in
        .target(
            name: "Fuzz\(door)",
            dependencies: [.product(name: "AndonHostileInput", package: "andon")]
        )
    }
)
