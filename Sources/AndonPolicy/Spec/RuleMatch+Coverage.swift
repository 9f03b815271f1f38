import AndonCore

extension RuleMatch {
    /// True when this match accepts every request that `other` accepts.
    ///
    /// Sound, not complete: `true` is always right; some real supersets (unusual globs) give `false`.
    public func covers(_ other: RuleMatch) -> Bool {
        Self.setCovers(actions, other.actions) && Self.setCovers(risks, other.risks) && Self.setCovers(agents, other.agents)
            && Self.setCovers(states, other.states) && Self.globsCover(targets, other.targets) && Self.globsCover(lines, other.lines)
            && dataAge.covers(other.dataAge) && changePercent.covers(other.changePercent) && oee.covers(other.oee)
            && shiftElapsed.covers(other.shiftElapsed) && (isShadow == nil || isShadow == other.isShadow)
    }

    /// True when no request can satisfy both matches (sound, not complete).
    public func isDisjoint(from other: RuleMatch) -> Bool {
        Self.setsDisjoint(actions, other.actions) || Self.setsDisjoint(risks, other.risks) || Self.setsDisjoint(agents, other.agents)
            || Self.literalsDisjoint(targets, other.targets) || Self.literalsDisjoint(lines, other.lines)
            || dataAge.isDisjoint(from: other.dataAge) || changePercent.isDisjoint(from: other.changePercent)
            || oee.isDisjoint(from: other.oee) || shiftElapsed.isDisjoint(from: other.shiftElapsed)
            || (isShadow != nil && other.isShadow != nil && isShadow != other.isShadow)
    }

    private static func setCovers<T>(_ mine: Set<T>?, _ theirs: Set<T>?) -> Bool {
        guard let mine else { return true }
        guard let theirs else { return false }
        return theirs.isSubset(of: mine)
    }

    private static func setsDisjoint<T>(_ a: Set<T>?, _ b: Set<T>?) -> Bool {
        guard let a, let b else { return false }
        return a.isDisjoint(with: b)
    }

    private static func globsCover(_ mine: [String]?, _ theirs: [String]?) -> Bool {
        guard let mine else { return true }
        guard let theirs else { return mine.contains("*") }
        return mine.map(Glob.init).covers(theirs.map(Glob.init))
    }

    /// Disjoint only when both sides are plain ids with none in common, or no pattern of one can match a literal of the other.
    private static func literalsDisjoint(_ a: [String]?, _ b: [String]?) -> Bool {
        guard let a, let b else { return false }
        let globsA = a.map(Glob.init), globsB = b.map(Glob.init)
        guard globsA.allSatisfy(\.isLiteral) || globsB.allSatisfy(\.isLiteral) else { return false }
        let (literals, patterns) = globsA.allSatisfy(\.isLiteral) ? (a, globsB) : (b, globsA)
        return !literals.contains { patterns.anyMatches($0) }
    }
}
