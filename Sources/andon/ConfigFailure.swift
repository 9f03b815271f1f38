import AndonCore
import ArgumentParser
import Foundation

/// Prints configuration errors to standard error and exits 2, before anything starts.
func failConfiguration(_ errors: ConfigErrors) -> ExitCode {
    FileHandle.standardError.write(Data((errors.description + "\n").utf8))
    return ExitCode(2)
}

/// Prints a message to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

/// Loads the plant and scenario files, or exits 2 with every problem in them.
func loadPlantAndScenario(plant plantPath: String, scenario scenarioPath: String?) throws -> (PlantSpec, Scenario) {
    let plant: PlantSpec
    do {
        plant = try PlantSpec.load(path: plantPath)
    } catch {
        throw failConfiguration(error)
    }
    guard let scenarioPath else { return (plant, .quiet) }
    do {
        return (plant, try Scenario.load(path: scenarioPath, plant: plant))
    } catch {
        throw failConfiguration(error)
    }
}
