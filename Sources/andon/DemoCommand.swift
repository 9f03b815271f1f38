import AndonCore
import AndonRuntime
import ArgumentParser
import Foundation

/// `andon demo`: the demo plant, simulated, headless or in the console.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo plant: the console by default, or headless with --headless."
    )

    @Option(help: "The plant definition.")
    var plant = "demo/plant.yaml"

    @Option(help: "A scenario of incidents and scripted commands.")
    var scenario: String?

    @Option(help: "Seed of every random draw; the same seed reproduces a run.")
    var seed: UInt64 = 1

    @Option(help: "Simulated seconds per real second (console).")
    var speed: Double = 5

    @Flag(help: "Run without the console, in virtual time, as fast as possible.")
    var headless = false

    @Option(name: .customLong("for"), help: "How much simulated time to run headless (e.g. 8h, 30m).")
    var duration = "8h"

    @Option(help: "Headless report format (json).")
    var report = "json"

    mutating func run() async throws {
        let scenarioPath = scenario ?? (FileManager.default.fileExists(atPath: "demo/scenarios/demo.yaml") && plant == "demo/plant.yaml" ? "demo/scenarios/demo.yaml" : nil)
        let (plantSpec, scenarioSpec) = try loadPlantAndScenario(plant: plant, scenario: scenarioPath)
        guard let seconds = Duration.seconds(parsing: duration), seconds > 0 else {
            printError("error: --for \(duration) is not a duration (expected e.g. 30m or 8h)")
            throw ExitCode(2)
        }
        guard report == "json" else {
            printError("error: --report \(report) is not supported (expected json)")
            throw ExitCode(2)
        }
        let engine = PlantEngine(plant: plantSpec, scenario: scenarioSpec, options: EngineOptions(seed: seed))
        let start = Date()
        engine.run(until: seconds)
        let wall = Date().timeIntervalSince(start)
        print(engine.report(scenarioName: scenarioSpec.name, wallSeconds: wall).json())
    }
}
