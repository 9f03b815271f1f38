/// What a person asks the runtime to do. The runtime decides whether they may.
public enum OperatorCommand: Sendable, Hashable, Codable {
    /// Approve a pending approval.
    case approve(approvalID: String)
    /// Reject a pending approval, with a reason.
    case reject(approvalID: String, reason: String)
    /// Put every agent (or one) into shadow mode, or back.
    case killSwitch(on: Bool, agentID: String?)
    /// Acknowledge a cell's alarms.
    case acknowledgeAlarms(cell: String)
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
        case .reject: "reject"
        case let .killSwitch(on, _): on ? "kill-switch on" : "kill-switch off"
        case .acknowledgeAlarms: "acknowledge"
        case let .setPaused(paused): paused ? "pause" : "resume"
        case .reloadPolicy: "reload-policy"
        case .takeOver: "take-over"
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
