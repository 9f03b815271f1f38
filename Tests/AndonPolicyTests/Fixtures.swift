import AndonCore
import AndonPolicy
import Foundation

/// Shared helpers for the policy tests.
enum Fixtures {
    /// The repository root, found from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file of the demo folder.
    static func demo(_ name: String) -> String { root.appendingPathComponent("demo").appendingPathComponent(name).path }

    /// A compiled policy from inline text, failing the test with every error when it does not load.
    static func engine(_ text: String) throws -> PolicyEngine {
        PolicyEngine(try PolicySpec.parse(text: text, file: "test.yaml"))
    }

    /// The errors inline policy text produces (empty when it loads).
    static func errors(_ text: String) -> [ConfigError] {
        do {
            _ = try PolicySpec.parse(text: text, file: "test.yaml")
            return []
        } catch {
            return error.errors
        }
    }

    /// A low-risk 5% speed cut on B1 by a maintenance agent, with fresh data; tests adjust what they need.
    static func request(_ action: ActionKind = .reduceSpeed, target: String = "B1", line: String = "body", risk: RiskClass = .low,
                        agent: AgentKind = .maintenance, change: Double = 5, shadow: Bool = false, age: Double? = 1,
                        state: PackMLState? = nil, status: CellStatus? = nil, oee: Double? = nil, shift: Double? = nil) -> PolicyRequest {
        PolicyRequest(proposalID: "p-1", action: action, target: target, line: line, risk: risk, agentKind: agent, changePercent: change,
                      isShadow: shadow, dataAgeSeconds: age, cellState: state, cellStatus: status, oee: oee, shiftElapsedSeconds: shift)
    }
}
