import AndonCore

/// Merges the requirements of several matching approve rules into the strictest one.
enum ApprovalMerge {
    /// Highest quorum; distinct, reason and signature required if any asks; shortest timeout; reject on timeout if any
    /// says so; roles every rule accepts (the intersection, or the union if the rules share none); the
    /// earliest escalation that still comes before the merged timeout.
    static func strictest(_ requirements: [ApprovalRequirement]) -> ApprovalRequirement {
        guard var merged = requirements.first else { return ApprovalRequirement(roles: [], timeoutSeconds: 0) }
        if requirements.count == 1 { return merged }
        var shared = Set(merged.roles), union = Set(merged.roles)
        for next in requirements.dropFirst() {
            shared.formIntersection(next.roles)
            union.formUnion(next.roles)
            merged.quorum = max(merged.quorum, next.quorum)
            merged.distinct = merged.distinct || next.distinct
            merged.reasonRequired = merged.reasonRequired || next.reasonRequired
            merged.signatureRequired = merged.signatureRequired || next.signatureRequired
            merged.timeoutSeconds = min(merged.timeoutSeconds, next.timeoutSeconds)
            if next.onTimeout == .reject { merged.onTimeout = .reject }
        }
        merged.roles = Role.allCases.filter((shared.isEmpty ? union : shared).contains)
        let escalations = requirements.compactMap(\.escalation).filter { $0.afterSeconds < merged.timeoutSeconds }
        merged.escalation = escalations.min { ($0.afterSeconds, $0.role.rank) < ($1.afterSeconds, $1.role.rank) }
        return merged
    }
}
