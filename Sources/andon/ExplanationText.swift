import AndonCore
import AndonPolicy

/// The text `andon policy explain` prints.
enum ExplanationText {
    static func render(_ explanation: PolicyExplanation, request: PolicyRequest) -> String {
        let decision = explanation.decision
        var lines = ["request:  \(request.summary)", "decision: \(decision.outcome.rawValue.uppercased())"]
        if let requirement = decision.requirement { lines.append("needs:    \(requirement.summary)") }
        lines.append("rules:    \(decision.ruleIDs.isEmpty ? "(none: default deny)" : decision.ruleIDs.joined(separator: ", "))")
        lines += decision.reasons.map { "reason:   \($0)" }
        lines.append("policy:   version \(decision.policyVersion), sha256 \(decision.policyHash)")
        if decision.isShadow { lines.append("shadow:   recorded only, never executed") }
        lines.append("")
        for verdict in explanation.rules {
            let mark = verdict.isMatch ? "matched" : "no     "
            lines.append("\(mark) \(verdict.ruleID) (\(verdict.outcome.rawValue), line \(verdict.line))")
            lines += verdict.failures.map { "          - \($0)" }
        }
        return lines.joined(separator: "\n")
    }
}
