/// One refused input line, as shown in the console's detail view and written to the reject file.
public struct RejectedLine: Sendable, Hashable, Codable {
    /// The input line number, counting from 1.
    public var line: Int
    /// Why it was refused.
    public var reason: RejectReason
    /// What was wrong, in words.
    public var detail: String
    /// The original line (cut at ``RejectLog/maxKeptLineLength`` bytes).
    public var original: String

    /// Creates a rejected line.
    public init(line: Int, reason: RejectReason, detail: String, original: String) {
        self.line = line
        self.reason = reason
        self.detail = detail
        self.original = original
    }
}

/// Counts refused messages by reason and keeps the most recent ones, up to a bound.
public struct RejectLog: Sendable, Hashable {
    /// Longest original line kept, in bytes; longer lines are cut and marked with `…`.
    public static let maxKeptLineLength = 1024
    /// How many recent rejects are kept in memory.
    public let capacity: Int
    /// Refused messages by reason.
    public private(set) var counts: [RejectReason: Int] = [:]
    /// Every refused message.
    public private(set) var total = 0
    private var ring: [RejectedLine] = []
    private var head = 0

    /// Creates an empty log keeping the last `capacity` rejects.
    public init(capacity: Int = 200) {
        self.capacity = max(1, capacity)
    }

    /// Counts a reject and keeps it.
    public mutating func record(_ rejected: RejectedLine) {
        counts[rejected.reason, default: 0] += 1
        total += 1
        if ring.count < capacity {
            ring.append(rejected)
        } else {
            ring[head] = rejected
            head = (head + 1) % capacity
        }
    }

    /// The kept rejects, oldest first.
    public var recent: [RejectedLine] { Array(ring[head...] + ring[..<head]) }

    /// Counts keyed by the reason's name, for reports and snapshots.
    public var countsByName: [String: Int] {
        Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, $0.value) })
    }

    /// The text of a line as kept: cut at ``maxKeptLineLength`` bytes on a character boundary.
    public static func keptText(_ line: String) -> String {
        guard line.utf8.count > maxKeptLineLength else { return line }
        return String(decoding: line.utf8.prefix(maxKeptLineLength), as: UTF8.self) + "…"
    }
}
