/// ISA-18.2 figures for how many alarms reach an operator: the rate per 10 minutes, floods, and chattering points.
public enum AlarmRate {
    /// The window the rate is counted over: 10 minutes.
    public static let window: SimTime = 600
    /// More alarms than this in the window, for one operator, is a flood.
    public static let floodAbove = 10
    /// The window chattering is judged over: a minute.
    public static let chatterWindow: SimTime = 60
    /// A point that comes into alarm this often within ``chatterWindow`` is chattering.
    public static let chatterCount = 3

    /// True when `activations` (times a point came into alarm, oldest first) hold ``chatterCount`` or more in the last minute.
    public static func isChattering(_ activations: [SimTime], now: SimTime) -> Bool {
        count(activations, within: chatterWindow, of: now) >= chatterCount
    }

    /// How many of `activations` fall in the `seconds` before `now`.
    public static func count(_ activations: [SimTime], within seconds: SimTime, of now: SimTime) -> Int {
        var count = 0
        for time in activations.reversed() {
            guard now - time < seconds else { break }
            count += 1
        }
        return count
    }

    /// True when `alarms` in the last 10 minutes, shared among `operators` people, is a flood.
    public static func isFlood(_ alarms: Int, operators: Int = 1) -> Bool {
        alarms > floodAbove * max(1, operators)
    }
}
