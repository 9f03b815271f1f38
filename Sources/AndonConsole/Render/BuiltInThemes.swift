import AndonCore

extension Theme {
    /// ISA-101 high-performance: grey and calm; colour only for the abnormal, alarm colours only for alarms.
    public static let isa101: Theme = {
        func grey(_ n: Int, _ fallback: Int = 7, _ attributes: TextAttributes = []) -> RoleStyle {
            RoleStyle(foreground: .indexed(n, fallback: fallback), attributes: attributes)
        }
        let abnormal = ThemeColor.indexed(117, fallback: 6)
        let severe = ThemeColor.indexed(213, fallback: 5)
        var roles: [String: RoleStyle] = [
            "background": RoleStyle(),
            "text": grey(250),
            "muted": grey(244, 7, [.dim]),
            "border": grey(240, 7, [.dim]),
            "title": grey(252, 7, [.bold]),
            "focused_title": grey(255, 15, [.bold, .underline]),
            "selection": RoleStyle(foreground: .indexed(255, fallback: 15), background: .indexed(238, fallback: 0), attributes: [.bold]),
            "heading": grey(246, 7, [.underline]),
            "alarm.1": RoleStyle(foreground: .indexed(196, fallback: 1), attributes: [.bold]),
            "alarm.2": RoleStyle(foreground: .indexed(208, fallback: 3), attributes: [.bold]),
            "alarm.3": RoleStyle(foreground: .indexed(226, fallback: 3)),
            "alarm.4": RoleStyle(foreground: .indexed(110, fallback: 4)),
            "risk.low": grey(244),
            "risk.medium": grey(252),
            "risk.high": RoleStyle(foreground: severe, attributes: [.bold]),
            "risk.critical": RoleStyle(foreground: severe, attributes: [.bold, .reverse]),
            "budget.ok": grey(244),
            "budget.warn": RoleStyle(foreground: abnormal),
            "budget.breach": RoleStyle(foreground: severe, attributes: [.bold]),
            "queue.bar": grey(244),
            "queue.full": RoleStyle(foreground: abnormal, attributes: [.bold]),
            "banner": RoleStyle(foreground: .indexed(231, fallback: 15), background: .indexed(90, fallback: 5), attributes: [.bold]),
            "dialog": grey(252),
            "input": grey(255, 15, [.bold, .underline]),
            "key": grey(252, 7, [.bold]),
            "key.unavailable": grey(240, 7, [.dim]),
            "outcome.accepted": grey(255, 15, [.bold]),
            "outcome.refused": RoleStyle(foreground: severe, attributes: [.bold]),
            "audit.failing": RoleStyle(foreground: .indexed(196, fallback: 1), attributes: [.bold, .reverse]),
        ]
        for status in CellStatus.allCases {
            roles["status.\(status.rawValue)"] = switch status {
            case .exec, .moving: grey(250)
            case .idle, .stopped, .complete: grey(244)
            case .starved, .blocked, .suspended: RoleStyle(foreground: abnormal)
            case .held: RoleStyle(foreground: abnormal, attributes: [.bold])
            case .aborted: RoleStyle(foreground: severe, attributes: [.bold])
            case .stale: grey(244, 7, [.dim, .underline])
            }
        }
        return Theme(name: "isa101", roles: roles, usesColor: true)
    }()

    /// Attributes only: usable on any terminal and for people who can't tell colours apart.
    public static let mono: Theme = {
        var roles: [String: RoleStyle] = [
            "background": RoleStyle(),
            "text": RoleStyle(),
            "muted": RoleStyle(attributes: [.dim]),
            "border": RoleStyle(attributes: [.dim]),
            "title": RoleStyle(attributes: [.bold]),
            "focused_title": RoleStyle(attributes: [.bold, .underline]),
            "selection": RoleStyle(attributes: [.reverse]),
            "heading": RoleStyle(attributes: [.underline]),
            "alarm.1": RoleStyle(attributes: [.bold, .underline]),
            "alarm.2": RoleStyle(attributes: [.bold]),
            "alarm.3": RoleStyle(),
            "alarm.4": RoleStyle(attributes: [.dim]),
            "risk.low": RoleStyle(attributes: [.dim]),
            "risk.medium": RoleStyle(),
            "risk.high": RoleStyle(attributes: [.bold]),
            "risk.critical": RoleStyle(attributes: [.bold, .underline]),
            "budget.ok": RoleStyle(attributes: [.dim]),
            "budget.warn": RoleStyle(),
            "budget.breach": RoleStyle(attributes: [.bold]),
            "queue.bar": RoleStyle(attributes: [.dim]),
            "queue.full": RoleStyle(attributes: [.bold]),
            "banner": RoleStyle(attributes: [.bold, .reverse]),
            "dialog": RoleStyle(),
            "input": RoleStyle(attributes: [.underline]),
            "key": RoleStyle(attributes: [.bold]),
            "key.unavailable": RoleStyle(attributes: [.dim]),
            "outcome.accepted": RoleStyle(attributes: [.bold]),
            "outcome.refused": RoleStyle(attributes: [.bold, .underline]),
            "audit.failing": RoleStyle(attributes: [.bold, .reverse]),
        ]
        for status in CellStatus.allCases {
            roles["status.\(status.rawValue)"] = switch status {
            case .exec, .moving: RoleStyle()
            case .idle, .stopped, .complete, .stale: RoleStyle(attributes: [.dim])
            case .starved, .blocked, .suspended: RoleStyle(attributes: [.underline])
            case .held, .aborted: RoleStyle(attributes: [.bold])
            }
        }
        return Theme(name: "mono", roles: roles, usesColor: false)
    }()
}
