import AndonCore
import AndonPolicy
import BenchmarkSupport

/// The one-line plant whose maintenance agent asks for an approval (`ApprovalBenchmarks`' own).
let benchPlant = try! PlantSpec.parse(ApprovalBenchPlant.plantText(id: "commits", name: "Commit bench"), file: "commits.yaml")

/// Every speed cut, maintenance or stop needs a supervisor.
let benchPolicy = try! PolicyEngine(PolicySpec.parse(text: ApprovalBenchPlant.policyText(id: "commits-bench"), file: "commits-policy.yaml"))
