/// A range of numbers a request value must lie in; an unbounded one holds for every value, even a missing one.
public struct Interval: Sendable, Hashable {
    /// The lower bound (`-infinity` when there is none).
    public var lower: Double
    /// True when the value must be strictly above `lower`.
    public var isLowerOpen: Bool
    /// The upper bound (`+infinity` when there is none).
    public var upper: Double
    /// True when the value must be strictly below `upper`.
    public var isUpperOpen: Bool

    /// Creates an interval.
    public init(lower: Double = -.infinity, isLowerOpen: Bool = false, upper: Double = .infinity, isUpperOpen: Bool = false) {
        self.lower = lower
        self.isLowerOpen = isLowerOpen
        self.upper = upper
        self.isUpperOpen = isUpperOpen
    }

    /// The interval that holds for everything.
    public static let any = Interval()

    /// True when there is no bound at all.
    public var isUnbounded: Bool { lower == -.infinity && upper == .infinity }

    /// True when no number lies in the interval.
    public var isEmpty: Bool { lower > upper || (lower == upper && (isLowerOpen || isUpperOpen)) }

    /// Whether `value` lies in the interval; a missing value (NaN) lies only in the unbounded one.
    @inline(__always)
    public func contains(_ value: Double) -> Bool {
        if isUnbounded { return true }
        let aboveLower = isLowerOpen ? value > lower : value >= lower
        let belowUpper = isUpperOpen ? value < upper : value <= upper
        return aboveLower && belowUpper
    }

    /// True when every value in `other` is also in this interval (sound, for reachability checks).
    public func covers(_ other: Interval) -> Bool {
        if isUnbounded { return true }
        if other.isUnbounded { return false }
        let lowerOK = other.lower > lower || (other.lower == lower && (other.isLowerOpen || !isLowerOpen))
        let upperOK = other.upper < upper || (other.upper == upper && (other.isUpperOpen || !isUpperOpen))
        return lowerOK && upperOK
    }

    /// True when no value lies in both intervals.
    public func isDisjoint(from other: Interval) -> Bool {
        let lower = Swift.max(self.lower, other.lower)
        let upper = Swift.min(self.upper, other.upper)
        let lowerOpen = (self.lower == lower && isLowerOpen) || (other.lower == lower && other.isLowerOpen)
        let upperOpen = (self.upper == upper && isUpperOpen) || (other.upper == upper && other.isUpperOpen)
        return Interval(lower: lower, isLowerOpen: lowerOpen, upper: upper, isUpperOpen: upperOpen).isEmpty
    }
}
