import AndonCore

extension ApprovalRequirement {
    /// One line for people: `2 distinct people from [supervisor, engineer] within 5m, else reject; escalate to supervisor after 2m; reason required`.
    public var summary: String {
        let who = "\(quorum) \(distinct ? "distinct " : "")\(quorum == 1 ? "person" : "people") from [\(roles.map(\.rawValue).joined(separator: ", "))]"
        var text = "\(who) within \(Format.duration(timeoutSeconds)), else \(onTimeout.rawValue)"
        if let escalation { text += "; escalate to \(escalation.role.rawValue) after \(Format.duration(escalation.afterSeconds))" }
        if reasonRequired { text += "; reason required" }
        if signatureRequired { text += "; signed" }
        return text
    }
}
