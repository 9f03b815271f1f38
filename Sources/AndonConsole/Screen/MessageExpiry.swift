/// Status messages go away by themselves: what the last key or command did is news for a few seconds, not all shift.
extension ConsoleState {
    /// How long a message of `tone` stays on the status line, in seconds; a refusal stays longer.
    public static func messageLifetime(for tone: MessageTone) -> Double { tone == .refused ? 20 : 10 }

    /// Starts timing a new message and drops one shown for its lifetime by `now` (monotonic seconds); returns the
    /// seconds until the message on screen goes, or nil when there is none.
    public mutating func expireMessage(at now: Double) -> Double? {
        guard let message else {
            messageTimer = nil
            return nil
        }
        if messageTimer?.serial != messageSerial { messageTimer = (messageSerial, now) }
        let left = messageTimer!.since + Self.messageLifetime(for: message.tone) - now
        guard left > 0 else {
            self.message = nil
            messageTimer = nil
            return nil
        }
        return left
    }
}
