import AndonCore

extension PolicySpec {
    /// Problems that only a roster shows: a quorum of distinct people larger than the people who hold the roles.
    public func problems(with roster: OperatorRoster) -> [ConfigError] {
        rules.compactMap { rule in
            guard let approval = rule.approval, approval.distinct else { return nil }
            let available = roster.count(holding: approval.roles)
            guard approval.quorum > available else { return nil }
            let roles = approval.roles.map(\.rawValue).joined(separator: " or ")
            return ConfigError(.impossibleValue, at: rule.location,
                               "rule '\(rule.id)' needs \(approval.quorum) distinct approvers but the roster has only \(available) \(roles)",
                               expected: "a quorum the roster can meet")
        }
    }
}
