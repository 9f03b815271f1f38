/// A precompiled glob over ids: `*` matches any run of characters, `?` exactly one; everything else matches itself.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    private enum Shape: Sendable, Hashable {
        case everything
        case exact
        case prefix
        case general
    }

    /// The pattern as written.
    public let pattern: String
    private let bytes: [UInt8]
    private let shape: Shape

    /// Compiles a pattern.
    public init(_ pattern: String) {
        self.pattern = pattern
        let all = Array(pattern.utf8)
        let wildcards = all.indices.filter { all[$0] == UInt8(ascii: "*") || all[$0] == UInt8(ascii: "?") }
        if all == [UInt8(ascii: "*")] {
            shape = .everything
            bytes = []
        } else if wildcards.isEmpty {
            shape = .exact
            bytes = all
        } else if wildcards == [all.count - 1] && all.last == UInt8(ascii: "*") {
            shape = .prefix
            bytes = Array(all.dropLast())
        } else {
            shape = .general
            bytes = all
        }
    }

    /// True when the pattern has no wildcard.
    public var isLiteral: Bool { shape == .exact }

    /// The literal text before the first wildcard.
    public var literalPrefix: String {
        String(pattern.prefix { $0 != "*" && $0 != "?" })
    }

    /// The pattern.
    public var description: String { pattern }

    /// Whether `text` matches the pattern.
    @inline(__always)
    public func matches(_ text: String) -> Bool {
        if shape == .everything { return true }
        var text = text
        return text.withUTF8 { matches($0) }
    }

    /// Whether the UTF-8 bytes `text` match the pattern.
    public func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch shape {
        case .everything:
            return true
        case .exact:
            return text.count == bytes.count && bytes.withUnsafeBufferPointer { $0.elementsEqual(text) }
        case .prefix:
            return text.count >= bytes.count && bytes.withUnsafeBufferPointer { $0.elementsEqual(text.prefix($0.count)) }
        case .general:
            return bytes.withUnsafeBufferPointer { Self.match($0, text) }
        }
    }

    /// Iterative glob matching with single-star backtracking: linear for patterns with one `*`.
    private static func match(_ pattern: UnsafeBufferPointer<UInt8>, _ text: UnsafeBufferPointer<UInt8>) -> Bool {
        let star = UInt8(ascii: "*"), any = UInt8(ascii: "?")
        var p = 0, t = 0, starAt = -1, resumeAt = 0
        while t < text.count {
            if p < pattern.count && (pattern[p] == any || pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count && pattern[p] == star {
                starAt = p
                resumeAt = t
                p += 1
            } else if starAt >= 0 {
                p = starAt + 1
                resumeAt += 1
                t = resumeAt
            } else {
                return false
            }
        }
        while p < pattern.count && pattern[p] == star { p += 1 }
        return p == pattern.count
    }

    /// True when every id `other` matches is also matched by this glob (sound, not complete).
    public func covers(_ other: Glob) -> Bool {
        if shape == .everything || pattern == other.pattern { return true }
        if other.isLiteral { return matches(other.pattern) }
        if shape == .prefix { return other.literalPrefix.hasPrefix(String(decoding: bytes, as: UTF8.self)) }
        return false
    }
}

extension Array where Element == Glob {
    /// Whether any glob matches `text`.
    @inline(__always)
    func anyMatches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { buffer in contains { $0.matches(buffer) } }
    }

    /// True when every id matched by some glob of `other` is matched by some glob here (sound, not complete).
    func covers(_ other: [Glob]) -> Bool {
        other.allSatisfy { theirs in contains { $0.covers(theirs) } }
    }
}
