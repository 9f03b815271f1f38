import AndonCore
import Foundation

/// Plants, paths and helpers shared by the test suites.
public enum Fixtures {
    /// The repository root, found from this file's location.
    public static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// A path inside the repository.
    public static func path(_ relative: String) -> String {
        root.appendingPathComponent(relative).path
    }

    /// The demo plant.
    public static func demoPlant() throws -> PlantSpec {
        try PlantSpec.load(path: path("demo/plant.yaml"))
    }

    /// The demo scenario.
    public static func demoScenario(plant: PlantSpec) throws -> Scenario {
        try Scenario.load(path: path("demo/scenarios/demo.yaml"), plant: plant)
    }

    /// A one-line plant of two cells with one buffer, in YAML; `extra` is spliced into cell A's mapping.
    public static func twoCellPlantYAML(bufferCapacity: Int = 4, cellA extra: String = "", agentsA: String = "[]") -> String {
        """
        plant:
          id: tiny
          name: Tiny plant
          shift: 8h
          stale_after: 10s
        lines:
          - id: L1
            name: Line one
            demand_per_hour: 60
            cells:
              - id: A
                kind: press
                cycle_time: 30s
                mtbf: 100h
                mttr: 30m
                scrap_rate: 1%
                sensors:
                  - {id: vibration, kind: vibration, nominal: 1.2, noise: 0.02, limits: {high_warn: 2.8, high_alarm: 4.5, trip: 7.1}}
                agents: \(agentsA)\(extra)
              - id: B
                kind: cnc
                cycle_time: 40s
                mtbf: 100h
                mttr: 30m
                scrap_rate: 1%
            buffers:
              - {id: A-B, from: A, to: B, capacity: \(bufferCapacity), initial: 0}
        """
    }
}
