/// The sequence numbers a source has had accepted: the highest, which of the 64 below it were seen, and the latest
/// timestamp it sent.
///
/// A number above the highest is new; the highest itself, or a seen one in the window, is a duplicate;
/// anything else below the highest is late (out of order). The same sliding window IPsec uses against replay.
///
/// A number that is not above the highest, on a message measured after everything the source sent before, is a
/// restart: the source began counting again (a publisher restarted, or a number jumped far ahead and the source
/// went on from where it really was). A copy or a late message carries an old timestamp, so it is never taken
/// for a restart. After a restart the window starts again at the new number.
struct SequenceWindow: Sendable, Hashable {
    private(set) var highest: UInt64
    /// Bit k set: `highest - k` was accepted (bit 0 is `highest`).
    private var seen: UInt64 = 1
    /// The latest source timestamp accepted from the source.
    private(set) var latestTimestamp: Double
    /// How many times the source was seen to start counting again.
    private(set) var restarts = 0

    init(first: UInt64, at timestamp: Double) {
        highest = first
        latestTimestamp = timestamp
    }

    enum Verdict { case new, restart, duplicate, late }

    func verdict(for sequence: UInt64, at timestamp: Double) -> Verdict {
        if sequence > highest { return .new }
        if timestamp > latestTimestamp { return .restart }
        let back = highest - sequence
        if back < 64, seen & (1 << back) != 0 { return .duplicate }
        return .late
    }

    /// Records an accepted message: a number above the highest, or a restart.
    mutating func accept(_ sequence: UInt64, at timestamp: Double) {
        if sequence > highest {
            let shift = sequence - highest
            seen = shift >= 64 ? 1 : (seen << shift) | 1
            highest = sequence
        } else if timestamp > latestTimestamp {
            restarts += 1
            seen = 1
            highest = sequence
        }
        latestTimestamp = max(latestTimestamp, timestamp)
    }
}
