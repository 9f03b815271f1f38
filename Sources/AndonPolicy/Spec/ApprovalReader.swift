import AndonCore

/// Reads a rule's `approve` block.
enum ApprovalReader {
    static let keys = ["roles", "quorum", "distinct", "timeout", "on_timeout", "escalate", "reason_required", "signature"]

    /// The requirement, or `nil` when any part of it is wrong (each problem already reported).
    static func read(_ node: ConfigNode) -> ApprovalRequirement? {
        guard let map = node.mapping("'approve'", keys: keys, required: ["roles", "timeout"]) else { return nil }
        let diagnostics = map.diagnostics
        var ok = true
        var roles: [Role] = []
        if let rolesNode = map["roles"] {
            if let set = rolesNode.namedSet("role", of: Role.self) {
                roles = Role.allCases.filter(set.contains)
                if set.contains(.observer) {
                    diagnostics.report(.impossibleValue, at: rolesNode.location, "observers cannot approve", expected: "operator, supervisor or engineer")
                    ok = false
                }
            } else {
                ok = false
            }
        }
        let quorum = map["quorum"].map { $0.integer("quorum", in: 1...99) } ?? 1
        let distinct = map["distinct"].map { $0.bool("distinct") } ?? false
        let timeout = map["timeout"]?.duration("timeout")
        let onTimeout = map["on_timeout"].map { $0.named("on_timeout", of: TimeoutOutcome.self) } ?? .reject
        let reasonRequired = map["reason_required"].map { $0.bool("reason_required") } ?? false
        let signature = map["signature"].map { $0.named("signature", of: SignatureNeed.self) } ?? SignatureNeed.none
        var escalation: Escalation?
        if let escalate = map["escalate"] {
            if let em = escalate.mapping("'escalate'", keys: ["after", "to"], required: ["after", "to"]),
               let after = em["after"]?.duration("escalate after"), let role = em["to"]?.named("role", of: Role.self) {
                escalation = Escalation(afterSeconds: after, role: role)
                if let timeout, after >= timeout {
                    diagnostics.report(.impossibleValue, at: em["after"]!.location,
                                       "escalation after \(Format.duration(after)) comes at or after the timeout of \(Format.duration(timeout))",
                                       expected: "an escalation before the timeout")
                    ok = false
                }
                if role == .observer {
                    diagnostics.report(.impossibleValue, at: em["to"]!.location, "escalating to observers brings in nobody who can decide",
                                       expected: "operator, supervisor or engineer")
                    ok = false
                }
            } else {
                ok = false
            }
        }
        guard ok, let quorum, let distinct, let timeout, let onTimeout, let reasonRequired, let signature else { return nil }
        return ApprovalRequirement(roles: roles, quorum: quorum, distinct: distinct, timeoutSeconds: timeout, onTimeout: onTimeout,
                                   escalation: escalation, reasonRequired: reasonRequired, signatureRequired: signature == .required)
    }
}

/// Whether an approval must be signed (`signature: required`).
enum SignatureNeed: String, CaseIterable {
    /// The approver gives their signing passphrase too.
    case required
    /// The login is enough (the default).
    case none
}

/// Short human forms of numbers used in messages and generated reasons.
enum Format {
    /// `90s`, `5m`, `1h30m` (``TimeText/duration(_:)``).
    static func duration(_ seconds: Double) -> String { TimeText.duration(seconds) }

    /// A number without a needless `.0`.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
