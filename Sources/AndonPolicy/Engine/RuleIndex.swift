import AndonCore

/// The rules of one outcome, indexed by action and target: a decision looks only at the rules that name its action
/// (or none), and of those whose targets are all plain ids, only the ones naming its target.
struct RuleIndex: Sendable {
    /// The rules of one action.
    struct ActionRules: Sendable {
        /// Rules matching any target, or targets given by glob: each is tested.
        var scanned: [RuleTest] = []
        /// Rules whose targets are all plain ids, under each id they name: only the request's target's are tested.
        var byTarget: [String: [RuleTest]] = [:]
    }

    /// Indexed like `ActionKind.allCases`.
    private let actions: [ActionRules]
    /// Each rule's target and line patterns, by rule index (empty for rules of other outcomes).
    private let patterns: [RulePatterns]

    /// Indexes `rules`, which are in file order, of a policy of `ruleCount` rules.
    init(_ rules: [CompiledRule], ruleCount: Int) {
        actions = Bits.actions.indices.map { a in
            var entry = ActionRules()
            for rule in rules where rule.actionMask & (1 << UInt32(a)) != 0 {
                if let ids = rule.literalTargets {
                    for id in Set(ids) { entry.byTarget[id, default: []].append(rule.test) }
                } else {
                    entry.scanned.append(rule.test)
                }
            }
            return entry
        }
        var patterns = Array(repeating: RulePatterns(targets: [], lines: []), count: ruleCount)
        for rule in rules { patterns[rule.index] = RulePatterns(targets: rule.targets, lines: rule.lines) }
        self.patterns = patterns
    }

    /// The rules that match `request` (whose facts are `facts`), in file order.
    @inline(__always)
    func matching(_ facts: RequestFacts, _ request: PolicyRequest) -> RuleMatches {
        var found = RuleMatches()
        let a = facts.actionIndex
        if actions[a].byTarget.isEmpty {
            for r in actions[a].scanned.indices where matches(actions[a].scanned[r], facts, request) { found.append(actions[a].scanned[r].index) }
            return found
        }
        // Both lists are in file order: walk them together.
        let named = actions[a].byTarget[request.target] ?? []
        var n = 0
        for r in actions[a].scanned.indices {
            let rule = actions[a].scanned[r]
            while n < named.count, named[n].index < rule.index {
                if matches(named[n], facts, request) { found.append(named[n].index) }
                n += 1
            }
            if matches(rule, facts, request) { found.append(rule.index) }
        }
        while n < named.count {
            if matches(named[n], facts, request) { found.append(named[n].index) }
            n += 1
        }
        return found
    }

    @inline(__always)
    private func matches(_ rule: RuleTest, _ facts: RequestFacts, _ request: PolicyRequest) -> Bool {
        rule.holds(facts) && (!rule.hasPatterns || patterns[rule.index].match(request))
    }
}

/// The rules of one outcome that matched a request, in file order: up to four kept inline, so a decision allocates
/// nothing for them.
struct RuleMatches {
    private(set) var count = 0
    private var inline: (Int, Int, Int, Int) = (0, 0, 0, 0)
    private var more: [Int] = []

    var isEmpty: Bool { count == 0 }

    mutating func append(_ index: Int) {
        switch count {
        case 0: inline.0 = index
        case 1: inline.1 = index
        case 2: inline.2 = index
        case 3: inline.3 = index
        default: more.append(index)
        }
        count += 1
    }

    subscript(position: Int) -> Int {
        switch position {
        case 0: inline.0
        case 1: inline.1
        case 2: inline.2
        case 3: inline.3
        default: more[position - 4]
        }
    }

    /// Every index, in order.
    var all: [Int] { (0..<count).map { self[$0] } }

    /// The indices packed 16 bits each with a leading 1, for up to three of them below 2^16; nil otherwise.
    var packed: UInt64? {
        guard count <= 3 else { return nil }
        var key: UInt64 = 1
        for position in 0..<count {
            let index = self[position]
            guard index < 1 << 16 else { return nil }
            key = key << 16 | UInt64(index)
        }
        return key
    }
}
