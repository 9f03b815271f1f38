/// One parameter an action takes, with the range an outside agent's proposal must keep to.
public struct ActionParameter: Sendable, Hashable {
    /// Its name (`percent`).
    public var name: String
    /// The values accepted.
    public var range: ClosedRange<Double>
    /// True when the proposal must give it.
    public var isRequired: Bool
    /// What it means, with its unit.
    public var meaning: String
}

extension ActionKind {
    /// The parameters the action takes (any other is refused), with their ranges.
    public var parameters: [ActionParameter] {
        switch self {
        case .reduceSpeed:
            [ActionParameter(name: "percent", range: 1...50, isRequired: true, meaning: "how much slower, percent of the current speed")]
        case .restoreSpeed:
            [ActionParameter(name: "percent", range: 0...100, isRequired: false, meaning: "the change back to full speed, percent (for the policy's size rules)")]
        case .rebalanceWIP:
            [ActionParameter(name: "percent", range: -50...50, isRequired: true, meaning: "the feeding cell's speed change, percent (negative slows it)")]
        case .scheduleMaintenance:
            [ActionParameter(name: "minutes", range: 5...480, isRequired: false, meaning: "length of the stop, minutes (20 when not given)")]
        case .quarantineBatch:
            [ActionParameter(name: "parts", range: 1...1000, isRequired: false, meaning: "how many recent good parts, count (10 when not given)")]
        case .adjustLineRate:
            [ActionParameter(name: "percent", range: -30...30, isRequired: true, meaning: "every cell's speed change on the line, percent")]
        case .stopCell, .recalibrate, .holdCell, .resumeCell:
            []
        }
    }

    /// True when the action's target is a line; every other action targets a cell.
    public var targetsLine: Bool { self == .adjustLineRate }
}
