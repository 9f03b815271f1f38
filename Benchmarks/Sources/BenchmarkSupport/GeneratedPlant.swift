import AndonCore
import Foundation

/// Plants of any size shaped like the demo plant, as `scripts/make-plant.py N` writes them (one generator for the
/// benchmarks and for `andon demo --plant`).
public enum GeneratedPlant {
    /// Plant YAML of `cells` cells in lines of `cellsPerLine`, each cell with two sensors and the demo's four agents.
    public static func text(cells: Int, cellsPerLine: Int = 20) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.path("scripts/make-plant.py"), "\(cells)", "\(cellsPerLine)"]
        let output = Pipe()
        process.standardOutput = output
        do {
            try process.run()
        } catch {
            fatalError("cannot run scripts/make-plant.py: \(error)")
        }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { fatalError("scripts/make-plant.py \(cells) exited with \(process.terminationStatus)") }
        return text
    }

    /// The parsed plant of `cells` cells.
    public static func spec(cells: Int) -> PlantSpec {
        do {
            return try PlantSpec.parse(text(cells: cells), file: "generated-\(cells).yaml")
        } catch {
            fatalError("generated plant of \(cells) cells does not load: \(error)")
        }
    }
}
