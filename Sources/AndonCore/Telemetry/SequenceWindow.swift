/// The sequence numbers a source has had accepted: the highest, and which of the 64 below it were seen.
///
/// A number above the highest is new; the highest itself, or a seen one in the window, is a duplicate;
/// anything else below the highest is late (out of order). The same sliding window IPsec uses against replay.
struct SequenceWindow: Sendable, Hashable {
    private(set) var highest: UInt64
    /// Bit k set: `highest - k` was accepted (bit 0 is `highest`).
    private var seen: UInt64 = 1

    init(first: UInt64) {
        highest = first
    }

    enum Verdict { case new, duplicate, late }

    func verdict(for sequence: UInt64) -> Verdict {
        if sequence > highest { return .new }
        let back = highest - sequence
        if back < 64, seen & (1 << back) != 0 { return .duplicate }
        return .late
    }

    /// Records an accepted number above the highest.
    mutating func accept(_ sequence: UInt64) {
        guard sequence > highest else { return }
        let shift = sequence - highest
        seen = shift >= 64 ? 1 : (seen << shift) | 1
        highest = sequence
    }
}
