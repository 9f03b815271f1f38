/// What a person asks the runtime to do. The runtime decides whether they may.
public enum OperatorCommand: Sendable, Hashable, Codable {
    /// Approve a pending approval.
    case approve(approvalID: String)
    /// Approve a pending approval that needs a signature, with the approver's signing passphrase.
    case sign(approvalID: String, passphrase: Passphrase)
    /// Reject a pending approval, with a reason.
    case reject(approvalID: String, reason: String)
    /// Put every agent (or one) into shadow mode, or back.
    case killSwitch(on: Bool, agentID: String?)
    /// Acknowledge a cell's alarms.
    case acknowledgeAlarms(cell: String)
    /// Acknowledge one alarm, by tag (`B2.vibration.HI`).
    case acknowledgeAlarm(tag: String)
    /// Shelve one alarm for `seconds`, with a reason; when the time is up it comes back.
    case shelveAlarm(tag: String, seconds: Double, reason: String)
    /// Take one alarm off the shelf before its time.
    case unshelveAlarm(tag: String)
    /// Take one alarm out of service (with a reason), or return it to service.
    case setAlarmOutOfService(tag: String, isOutOfService: Bool, reason: String)
    /// Pause or resume the simulation clock.
    case setPaused(Bool)
    /// Reload the policy file.
    case reloadPolicy
    /// Take over the console from the person named, who was acting at it until now.
    case takeOver(from: String)

    /// A short verb for logs.
    public var verb: String {
        switch self {
        case .approve: "approve"
        case .sign: "approve (signed)"
        case .reject: "reject"
        case let .killSwitch(on, _): on ? "kill-switch on" : "kill-switch off"
        case .acknowledgeAlarms: "acknowledge"
        case .acknowledgeAlarm: "acknowledge alarm"
        case .shelveAlarm: "shelve"
        case .unshelveAlarm: "unshelve"
        case let .setAlarmOutOfService(_, out, _): out ? "out of service" : "return to service"
        case let .setPaused(paused): paused ? "pause" : "resume"
        case .reloadPolicy: "reload-policy"
        case .takeOver: "take-over"
        }
    }
}

extension OperatorCommand {
    /// The act on one alarm and its tag, for the alarm commands; nil for the others.
    public var alarmAct: (act: AlarmAct, tag: String)? {
        switch self {
        case let .acknowledgeAlarm(tag): (.acknowledge, tag)
        case let .shelveAlarm(tag, _, _): (.shelve, tag)
        case let .unshelveAlarm(tag): (.unshelve, tag)
        case let .setAlarmOutOfService(tag, out, _): (out ? .removeFromService : .returnToService, tag)
        default: nil
        }
    }
}

/// The runtime's answer to a command, shown on screen at once.
public struct CommandResult: Sendable, Hashable, Codable {
    /// Whether the command took effect.
    public var isAccepted: Bool
    /// What happened ("approved stop_cell of B2 as supervisor", "already approved by ana at 00:12:04", "refused: observers cannot approve").
    public var message: String

    /// Creates a result.
    public init(isAccepted: Bool, message: String) {
        self.isAccepted = isAccepted
        self.message = message
    }

    /// A command that took effect.
    public static func accepted(_ message: String) -> CommandResult { CommandResult(isAccepted: true, message: message) }
    /// A command that was refused.
    public static func refused(_ message: String) -> CommandResult { CommandResult(isAccepted: false, message: message) }
}
