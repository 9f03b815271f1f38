/// Finds likely typos among known names, for "did you mean" hints.
public enum Spelling {
    /// The candidate nearest to `word` (ignoring case) by edit distance, if it is close enough to be a likely
    /// typo: at most `minimumTolerance` edits, or a third of the word, whichever is more, and fewer edits than
    /// the word has letters.
    public static func closest(_ word: String, in candidates: [String], minimumTolerance: Int = 1) -> String? {
        let lowered = Array(word.lowercased())
        let scored = candidates.map { ($0, distance(lowered, Array($0.lowercased()))) }.min { $0.1 < $1.1 }
        guard let (best, score) = scored, score <= max(minimumTolerance, lowered.count / 3), score < max(1, lowered.count) else { return nil }
        return best
    }

    /// Levenshtein distance between two words.
    public static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
