import AndonCore
import AndonRuntime
import ArgumentParser
import Foundation

/// `andon demo`: the demo plant, simulated, in the console or headless.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo plant: the console by default, or headless with --headless."
    )

    @OptionGroup var files: PlantOptions

    @Option(help: "Simulated seconds per real second (console).")
    var speed: Double = 5

    @Flag(help: "Run without the console, in virtual time, as fast as possible.")
    var headless = false

    @Option(name: .customLong("for"), help: "How much simulated time to run headless (e.g. 8h, 30m).")
    var duration = "8h"

    @Option(help: "Headless report format (json).")
    var report = "json"

    @Flag(help: "Print each human decision once it is committed (for crash tests).")
    var printDecisions = false

    mutating func run() async throws {
        let defaultScenario = files.plant == "demo/plant.yaml" && FileManager.default.fileExists(atPath: "demo/scenarios/demo.yaml") ? "demo/scenarios/demo.yaml" : nil
        let loaded = try LoadedPlant.load(files, defaultScenario: defaultScenario, loginIsSupervisor: true)
        guard let seconds = Duration.seconds(parsing: duration), seconds > 0 else {
            printError("error: --for \(duration) is not a duration (expected e.g. 30m or 8h)")
            throw ExitCode(2)
        }
        guard report == "json" else {
            printError("error: --report \(report) is not supported (expected json)")
            throw ExitCode(2)
        }
        let (sink, recovery) = loaded.openStore(files.store, headless: headless)
        var options = EngineOptions(seed: files.seed)
        options.startTime = recovery.lastSimTime.rounded(.down)
        options.runNumber = recovery.runs + 1
        let roster = loaded.roster
        let engine = PlantEngine(plant: loaded.plant, scenario: loaded.scenario, options: options, judge: loaded.policy, audit: sink,
                                 roster: { roster.person(named: $0) })
        if printDecisions {
            // Printed only after the decision is committed and synced: what is printed must survive a crash.
            engine.onScriptedResult = { command, person, result in
                guard result.isAccepted else { return }
                switch command {
                case let .approve(id), let .reject(id, _):
                    FileHandle.standardOutput.write(Data("decided \(id) \(command.verb) by \(person.name)\n".utf8))
                default:
                    break
                }
            }
        }
        engine.start(recovering: recovery)
        let start = Date()
        engine.run(until: options.startTime + seconds)
        let wall = Date().timeIntervalSince(start)
        print(engine.report(scenarioName: loaded.scenario.name, wallSeconds: wall).json())
    }
}
