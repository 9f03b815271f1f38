import AndonCore
import AndonPolicy
import Foundation

/// The demo plant, policy and roster the doors are checked against, read once from the repository.
enum DemoFiles {
    /// The repository root, found from this file's location.
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    static let plant: PlantSpec = load { () throws(ConfigErrors) in try PlantSpec.load(path: path("demo/plant.yaml")) }
    static let policy: PolicyEngine = load { () throws(ConfigErrors) in try PolicyEngine.load(path: path("demo/policies.yaml")) }
    static let roster: OperatorRoster = load { () throws(ConfigErrors) in try OperatorRoster.load(path: path("demo/operators.yaml")) }
    /// A request that reaches the rules that need approval.
    static let request = PolicyRequest(action: .stopCell, target: "B2", line: "body", risk: .critical, agentKind: .maintenance,
                                       dataAgeSeconds: 2, cellState: .held, oee: 0.6, shiftElapsedSeconds: 3600)

    private static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    private static func load<T>(_ body: () throws(ConfigErrors) -> T) -> T {
        do {
            return try body()
        } catch {
            fatalError("the demo files do not load:\n\(error)")
        }
    }
}
