import AndonCore

/// A request reduced to bits and plain numbers, computed once per decision.
struct RequestFacts {
    let actionIndex: Int
    let actionBit: UInt32
    let riskBit: UInt8
    let agentBit: UInt8
    let stateMask: UInt32
    let isShadow: Bool
    let dataAge: Double
    let changePercent: Double
    let oee: Double
    let shiftElapsed: Double

    init(_ request: PolicyRequest, needsState: Bool) {
        actionIndex = Bits.actionIndex(request.action)
        actionBit = 1 << UInt32(actionIndex)
        riskBit = 1 << UInt8(request.risk.rank)
        agentBit = 1 << UInt8(Bits.agents.firstIndex(of: request.agentKind)!)
        stateMask = needsState ? request.conditionMask : 0
        isShadow = request.isShadow
        dataAge = request.dataAgeSeconds ?? .nan
        changePercent = request.changePercent ?? .nan
        oee = request.oee ?? .nan
        shiftElapsed = request.shiftElapsedSeconds ?? .nan
    }
}

/// Bit positions of the closed enumerations.
enum Bits {
    static let actions = ActionKind.allCases
    static let agents = AgentKind.allCases

    /// The position of `action` in ``actions``.
    @inline(__always)
    static func actionIndex(_ action: ActionKind) -> Int { actions.firstIndex(of: action)! }

    static func mask<T: Hashable>(_ values: Set<T>?, order: [T]) -> UInt32 {
        guard let values else { return .max }
        return order.indices.reduce(0) { values.contains(order[$1]) ? $0 | (1 << UInt32($1)) : $0 }
    }
}

/// One rule compiled to masks, precompiled globs and plain comparisons.
struct CompiledRule: Sendable {
    let index: Int
    let actionMask: UInt32
    let riskMask: UInt8
    let agentMask: UInt8
    let stateMask: UInt32
    let shadow: Int8
    let targets: [Glob]
    /// The target ids, when the rule names targets and every one is a plain id (no wildcard): the rule is found by
    /// the request's target rather than tested against every request.
    let literalTargets: [String]?
    let lines: [Glob]
    let dataAge: Interval
    let changePercent: Interval
    let oee: Interval
    let shiftElapsed: Interval
    let hasNumbers: Bool

    init(_ rule: PolicyRule, index: Int) {
        let match = rule.match
        self.index = index
        actionMask = Bits.mask(match.actions, order: Bits.actions)
        riskMask = UInt8(truncatingIfNeeded: Bits.mask(match.risks, order: RiskClass.allCases.sorted()))
        agentMask = UInt8(truncatingIfNeeded: Bits.mask(match.agents, order: Bits.agents))
        stateMask = match.states.map { $0.reduce(0) { $0 | $1.bit } } ?? 0
        shadow = match.isShadow.map { $0 ? 1 : 0 } ?? -1
        targets = (match.targets ?? []).map(Glob.init)
        literalTargets = !targets.isEmpty && targets.allSatisfy(\.isLiteral) ? targets.map(\.pattern) : nil
        lines = (match.lines ?? []).map(Glob.init)
        dataAge = match.dataAge
        changePercent = match.changePercent
        oee = match.oee
        shiftElapsed = match.shiftElapsed
        hasNumbers = ![dataAge, changePercent, oee, shiftElapsed].allSatisfy(\.isUnbounded)
    }

    /// The rule's conditions as plain comparisons, for deciding.
    var test: RuleTest {
        RuleTest(index: index, actionMask: actionMask, riskMask: riskMask, agentMask: agentMask, stateMask: stateMask, shadow: shadow,
                 hasNumbers: hasNumbers, hasPatterns: !targets.isEmpty || !lines.isEmpty, dataAge: dataAge, changePercent: changePercent,
                 oee: oee, shiftElapsed: shiftElapsed)
    }

    /// Each condition of the rule that the request fails, in words; empty when the rule matches.
    func failures(_ facts: RequestFacts, request: PolicyRequest, rule: PolicyRule) -> [String] {
        let match = rule.match
        var failed: [String] = []
        if actionMask & facts.actionBit == 0 { failed.append("action is \(request.action.rawValue), not \(list(match.actions?.map(\.rawValue)))") }
        if !targets.isEmpty && !targets.anyMatches(request.target) { failed.append("target \(request.target) is not \(list(match.targets))") }
        if !lines.isEmpty && !lines.anyMatches(request.line) { failed.append("line \(request.line) is not \(list(match.lines))") }
        if riskMask & facts.riskBit == 0 { failed.append("risk is \(request.risk.rawValue), not \(list(match.risks?.sorted().map(\.rawValue)))") }
        if agentMask & facts.agentBit == 0 { failed.append("agent is \(request.agentKind.rawValue), not \(list(match.agents?.map(\.rawValue)))") }
        if shadow >= 0 && (shadow == 1) != facts.isShadow { failed.append(facts.isShadow ? "the proposal is a shadow one" : "the proposal is not a shadow one") }
        if stateMask != 0 && stateMask & facts.stateMask == 0 {
            let known = [request.cellState?.rawValue, request.effectiveStatus?.rawValue].compactMap { $0 }
            let actual = known.isEmpty ? "unknown" : known.joined(separator: "/")
            failed.append("cell state is \(actual), not \(list(match.states?.map(\.name)))")
        }
        failed += numberFailure("data age", dataAge, facts.dataAge, Format.duration)
        failed += numberFailure("change", changePercent, facts.changePercent) { "\(Format.number($0))%" }
        failed += numberFailure("OEE", oee, facts.oee) { "\(Format.number(($0 * 1000).rounded() / 10))%" }
        failed += numberFailure("shift time", shiftElapsed, facts.shiftElapsed, Format.duration)
        return failed
    }

    private func list(_ values: [String]?) -> String {
        let sorted = (values ?? []).sorted()
        return sorted.count == 1 ? sorted[0] : "one of [\(sorted.joined(separator: ", "))]"
    }

    private func numberFailure(_ name: String, _ interval: Interval, _ value: Double, _ format: (Double) -> String) -> [String] {
        if interval.contains(value) { return [] }
        let wanted = RuleText.interval(name, interval, format) ?? name
        return value.isNaN ? ["\(name) is unknown; the rule needs \(wanted)"] : ["\(name) is \(format(value)); the rule needs \(wanted)"]
    }
}

/// A rule's conditions on the request's kinds, state and figures as masks and intervals: plain values tested without
/// touching a reference count; its target and line patterns, when it has any, are tested after them.
struct RuleTest: Sendable {
    let index: Int
    let actionMask: UInt32
    let riskMask: UInt8
    let agentMask: UInt8
    let stateMask: UInt32
    let shadow: Int8
    let hasNumbers: Bool
    let hasPatterns: Bool
    let dataAge: Interval
    let changePercent: Interval
    let oee: Interval
    let shiftElapsed: Interval

    /// Whether the request's facts meet every condition but the patterns; cheapest tests first.
    @inline(__always)
    func holds(_ facts: RequestFacts) -> Bool {
        guard riskMask & facts.riskBit != 0, agentMask & facts.agentBit != 0 else { return false }
        if shadow >= 0 && (shadow == 1) != facts.isShadow { return false }
        if stateMask != 0 && stateMask & facts.stateMask == 0 { return false }
        if hasNumbers {
            guard dataAge.contains(facts.dataAge), changePercent.contains(facts.changePercent), oee.contains(facts.oee),
                  shiftElapsed.contains(facts.shiftElapsed) else { return false }
        }
        return true
    }
}

/// A rule's target and line patterns.
struct RulePatterns: Sendable {
    let targets: [Glob]
    let lines: [Glob]

    /// Whether the request's target and line match.
    func match(_ request: PolicyRequest) -> Bool {
        if !targets.isEmpty && !targets.anyMatches(request.target) { return false }
        if !lines.isEmpty && !lines.anyMatches(request.line) { return false }
        return true
    }
}
