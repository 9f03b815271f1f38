import AndonCore
import AndonPolicy
import BenchmarkSupport

/// The one-line plant whose maintenance agent asks for an approval (`ApprovalBenchmarks`' own).
let benchPlant = try! PlantSpec.parse(ApprovalBenchPlant.plantText(id: "commits", name: "Commit bench"), file: "commits.yaml")

/// Every speed cut, maintenance or stop needs a supervisor.
let benchPolicy = try! PolicyEngine(PolicySpec.parse(text: ApprovalBenchPlant.policyText(id: "commits-bench"), file: "commits-policy.yaml"))

/// The supervisor who approves.
let supervisor = Person(name: "ana", role: .supervisor)

/// One record of the kind a decision commits.
func decisionEntry(_ n: Int) -> AuditEntry {
    AuditEntry(simTime: Double(n), actor: .person(supervisor), kind: .operatorCommand,
               payload: #"{"command":"approve","outcome":"approved"}"#, policyHash: "", correlationID: "bench-\(n)")
}
