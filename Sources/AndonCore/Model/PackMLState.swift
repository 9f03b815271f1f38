/// The PackML (ISA-TR88.00.02) machine states a cell moves through.
public enum PackMLState: String, Sendable, Hashable, CaseIterable, Codable {
    case stopped = "Stopped"
    case starting = "Starting"
    case idle = "Idle"
    case execute = "Execute"
    case completing = "Completing"
    case complete = "Complete"
    case holding = "Holding"
    case held = "Held"
    case unholding = "Unholding"
    case suspending = "Suspending"
    case suspended = "Suspended"
    case unsuspending = "Unsuspending"
    case stopping = "Stopping"
    case aborting = "Aborting"
    case aborted = "Aborted"
    case clearing = "Clearing"
    case resetting = "Resetting"

    /// True for the acting states that complete on their own (state complete, "SC").
    public var isTransient: Bool {
        switch self {
        case .starting, .completing, .holding, .unholding, .suspending, .unsuspending, .stopping, .aborting, .clearing, .resetting: true
        default: false
        }
    }

    /// True when a cell in this state is down: held, stopped, aborted, or on its way there or back to Execute. A
    /// suspended cell (starved or blocked) is not down: it is ready and waits for parts or for room.
    public var isDown: Bool {
        switch self {
        case .execute, .suspending, .suspended, .unsuspending, .completing, .complete: false
        default: true
        }
    }

    /// Whether the PackML state model allows going from this state straight to `next`.
    public func canTransition(to next: PackMLState) -> Bool {
        if next == .aborting { return ![.aborting, .aborted, .clearing].contains(self) }
        if next == .stopping { return ![.stopped, .stopping, .aborting, .aborted, .clearing].contains(self) }
        switch (self, next) {
        case (.stopped, .resetting), (.complete, .resetting), (.resetting, .idle),
             (.idle, .starting), (.starting, .execute),
             (.execute, .completing), (.completing, .complete),
             (.execute, .holding), (.holding, .held), (.held, .unholding), (.unholding, .execute),
             (.execute, .suspending), (.suspending, .suspended), (.suspended, .unsuspending), (.unsuspending, .execute),
             (.stopping, .stopped),
             (.aborting, .aborted), (.aborted, .clearing), (.clearing, .stopped):
            return true
        default:
            return false
        }
    }
}

/// Why a cell is held (internal cause) or suspended (external cause), when it is.
public enum StateReason: String, Sendable, Hashable, Codable {
    case none
    /// Suspended: no part in the upstream buffer.
    case starved
    /// Suspended: the downstream buffer is full.
    case blocked
    /// Held: equipment fault.
    case fault
    /// Held: quality hold.
    case qualityHold = "quality_hold"
    /// Held: safety interlock on a hard limit.
    case interlock
    /// Held: recalibration in progress.
    case recalibration
    /// Aborted: breakdown, under repair.
    case breakdown
    /// Stopped: planned maintenance.
    case maintenance
    /// Stopped: an operator or supervisor command.
    case command
}

/// What a supervisor reads: one short word for a cell's state and its cause.
public enum CellStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case exec = "EXEC"
    case held = "HELD"
    case starved = "STARVED"
    case blocked = "BLOCKED"
    case suspended = "SUSP"
    case aborted = "ABORTED"
    case stopped = "STOPPED"
    case idle = "IDLE"
    case complete = "COMPLETE"
    case moving = "CHANGING"
    case stale = "STALE"

    /// The status for a PackML state and its reason.
    public init(state: PackMLState, reason: StateReason) {
        switch state {
        case .execute: self = .exec
        case .held, .holding: self = .held
        case .suspended, .suspending:
            self = reason == .starved ? .starved : reason == .blocked ? .blocked : .suspended
        case .aborted, .aborting: self = .aborted
        case .stopped, .stopping: self = .stopped
        case .idle: self = .idle
        case .complete, .completing: self = .complete
        case .clearing, .resetting, .starting, .unholding, .unsuspending: self = .moving
        }
    }

    /// A one-character glyph that carries the state without colour.
    public var glyph: String {
        switch self {
        case .exec: "●"
        case .held: "▲"
        case .starved: "◌"
        case .blocked: "■"
        case .suspended: "◐"
        case .aborted: "✖"
        case .stopped: "□"
        case .idle: "○"
        case .complete: "✔"
        case .moving: "↻"
        case .stale: "?"
        }
    }

    /// The ASCII fallback for ``glyph``.
    public var asciiGlyph: String {
        switch self {
        case .exec: "*"
        case .held: "^"
        case .starved: "o"
        case .blocked: "#"
        case .suspended: "~"
        case .aborted: "X"
        case .stopped: "#"
        case .idle: "."
        case .complete: "+"
        case .moving: ">"
        case .stale: "?"
        }
    }
}
