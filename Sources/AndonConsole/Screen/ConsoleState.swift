import AndonCore

/// The panes of the main screen, in Tab order.
public enum Pane: String, Sendable, Hashable, CaseIterable {
    /// Cells by line; approvals pending; WIP buffers and mailboxes; agent latency; the event log.
    case cells, approvals, queues, latency, events

    /// The title shown on the pane.
    public var title: String { rawValue.prefix(1).uppercased() + rawValue.dropFirst() }
}

/// A drill-down view opened with Enter (or `T` for telemetry rejects).
public enum DetailView: Hashable, Sendable {
    /// One cell.
    case cell(String)
    /// One approval.
    case approval(String)
    /// Telemetry rejected at the door: counts by reason and the recent rejected lines.
    case telemetryRejects
    /// Every alarm not in Normal, by priority then time (ISA-18.2 alarm summary).
    case alarms
    /// One event of the log, in full, by sequence number.
    case event(UInt64)
}

/// How a status message reads.
public enum MessageTone: Hashable, Sendable {
    /// Neutral information.
    case info
    /// A command that took effect.
    case accepted
    /// A command that was refused or a mistake.
    case refused
}

/// The latest message on the status line.
public struct StatusMessage: Hashable, Sendable {
    /// The words.
    public var text: String
    /// How they read.
    public var tone: MessageTone

    /// Creates a message.
    public init(_ text: String, tone: MessageTone = .info) {
        self.text = text
        self.tone = tone
    }
}

/// A reason being typed for a rejection.
public struct RejectPrompt: Hashable, Sendable {
    /// The approval.
    public var approvalID: String
    /// `stop_cell B2`.
    public var summary: String
    /// True when the policy requires a reason.
    public var isReasonRequired: Bool
    /// Typed so far.
    public var reason: String = ""
}

/// A signing passphrase being typed for an approval whose rule requires a signature: never drawn, sent once with the
/// approval and forgotten.
public struct SignPrompt: Hashable, Sendable {
    /// The approval.
    public var approvalID: String
    /// `stop_cell on B2`.
    public var summary: String
    /// Typed so far (never shown).
    public var passphrase = Passphrase("")

    /// A prompt with nothing typed.
    public init(approvalID: String, summary: String) {
        self.approvalID = approvalID
        self.summary = summary
    }
}

/// What keys are going to at the moment.
public enum InputMode: Hashable, Sendable {
    /// Navigation and commands.
    case normal
    /// Typing a cells filter after `/`.
    case filter(String)
    /// Typing a command after `:`.
    case command(String)
    /// The help overlay.
    case help
    /// A yes/no confirmation.
    case confirm(ConfirmationDialog)
    /// Typing a rejection reason.
    case rejectReason(RejectPrompt)
    /// Typing a signing passphrase (not shown) to sign an approval.
    case signature(SignPrompt)
    /// Typing why (and for how long) an alarm is shelved or taken out of service.
    case alarmPrompt(AlarmPrompt)
}

/// Everything the console remembers between frames; changed only by ``handle(_:at:snapshot:)`` and the shell's reports.
public struct ConsoleState: Sendable {
    /// Who is at the keyboard.
    public var person: Person
    /// How the person at this console was established when it is not the plain login (a claimed identity, a demo
    /// promotion), shown in the header; nil for the login user.
    public var identityNote: String?
    /// The focused pane.
    public var focus: Pane = .cells
    /// Cursor and scroll per pane.
    public var positions: [Pane: ListPosition] = [:]
    /// Rows each pane showed in the last frame (for paging and scrolling).
    public var paneHeights: [Pane: Int] = [:]
    /// The cells filter.
    public var filter = ""
    /// The cells order.
    public var sort: CellSort = .flow
    /// Where keys go.
    public var mode: InputMode = .normal
    /// The open drill-down, if any.
    public var detail: DetailView?
    /// Scroll offset inside the drill-down.
    public var detailScroll = 0
    /// True while the view is frozen (`p`).
    public var isFrozen: Bool { frozenPlant != nil || frozenSequence != nil || isFrozenWithoutPlant }
    /// The plant as it was when the view was frozen: the cells, queues and latency panes and a cell's detail show it;
    /// approvals, deadlines, the header's summary and the alarm list stay live.
    public var frozenPlant: PlantSnapshot?
    /// Frozen before any snapshot (or any event) had arrived.
    var isFrozenWithoutPlant = false
    /// The latest message; it goes away by itself after ``messageLifetime(for:)`` (see ``expireMessage(at:)``).
    public var message: StatusMessage? { didSet { messageSerial &+= 1 } }
    /// Counts changes of ``message``, so the same words said again count as a new message.
    var messageSerial = 0
    /// The message being timed: its serial and when it was first shown.
    var messageTimer: (serial: Int, since: Double)?
    /// Scroll offset of the help overlay.
    public var helpScroll = 0
    /// The largest useful scroll of the open detail view or help overlay, as the last frame drew it (nil: unknown).
    public var scrollLimit: Int?
    /// The alarm under the alarm list's cursor, by tag.
    public var selectedAlarmTag: String?
    /// Cursor and scroll of the alarm list.
    public var alarmPosition = ListPosition()
    /// The alarm list's filter.
    public var alarmFilter = ""
    /// Approvals whose approve or reject has been sent and not yet answered.
    public var inFlight: Set<String> = []
    /// The selected item of each pane, by id (cell, approval, queue, agent id; an event's sequence number): the
    /// selection follows the item, not the row (see ``selectedRow(_:snapshot:)``).
    public var selected: [Pane: String] = [:]
    /// The approval under the approvals cursor, by id.
    public var selectedApprovalID: String? {
        get { selected[.approvals] }
        set { selected[.approvals] = newValue }
    }
    /// The recent events.
    public var events: EventRing
    /// Newest event shown while frozen.
    public var frozenSequence: UInt64?
    /// The theme's name.
    public var themeName = "isa101"
    /// ASCII glyphs only.
    public var isASCII = false
    /// When each guarded key (a, y, Enter) last came, for ignoring auto-repeat.
    var lastGuardedPress: [Key: Double] = [:]
    /// What was worked out from the snapshot last shown (sorted rows, pending approvals, worst agents).
    let memo = SnapshotMemo()

    /// Keys closer together than this are taken as auto-repeat and ignored where they could approve.
    public static let repeatWindow = 0.3

    /// A fresh state for `person`.
    public init(person: Person, eventCapacity: Int = 500) {
        self.person = person
        events = EventRing(capacity: eventCapacity)
    }

    /// The plant `pane` shows: the frozen one for the cell, queue and latency panes while frozen, else `snapshot`.
    func viewed(_ pane: Pane, _ snapshot: PlantSnapshot?) -> PlantSnapshot? {
        switch pane {
        case .cells, .queues, .latency: frozenPlant ?? snapshot
        case .approvals, .events: snapshot
        }
    }

    /// The position in `pane`.
    public func position(_ pane: Pane) -> ListPosition { positions[pane] ?? ListPosition() }

    /// Rows `pane` showed last.
    func height(_ pane: Pane) -> Int { max(1, paneHeights[pane] ?? 10) }

    /// The pane keys go to: the focused one, or the approvals pane while it is all the terminal shows (the focus
    /// chosen is kept for when the terminal grows again).
    public var activePane: Pane {
        paneHeights.count == 1 && paneHeights[.approvals] != nil ? .approvals : focus
    }

    /// Records an event from the runtime.
    public mutating func receive(_ event: EventEnvelope) {
        events.append(event)
    }

    /// Records the runtime's answer to a command and shows it at once.
    public mutating func receive(_ result: CommandResult, for command: OperatorCommand) {
        switch command {
        case let .approve(id), let .reject(id, _), let .sign(id, _):
            inFlight.remove(id)
            // Decided here: the approvals pane goes back to following its first row rather than naming what just went.
            if result.isAccepted, selected[.approvals] == id { selected[.approvals] = nil }
        default: break
        }
        message = StatusMessage(result.message, tone: result.isAccepted ? .accepted : .refused)
    }

    /// Acts as `person` from now on.
    public mutating func switchOperator(to person: Person) {
        self.person = person
        message = StatusMessage("operator is now \(person.label)")
    }

    /// The pending approval under the approvals cursor, or the one in the open detail view; nil when it has gone.
    public func selectedApproval(in snapshot: PlantSnapshot?) -> ApprovalSnapshot? {
        guard let snapshot else { return nil }
        if case let .approval(id) = detail { return snapshot.approvals.first { $0.id == id } }
        guard let row = selectedRow(.approvals, snapshot: snapshot).row else { return nil }
        return memo.pendingApprovals(of: snapshot)[row]
    }

    /// True when `role` may use `action` (the runtime still decides; this only greys keys out).
    public static func isAvailable(_ action: GuardedAction, to role: Role) -> Bool {
        switch action {
        case .approve, .reject: role >= .operator
        case .acknowledge: AlarmAct.acknowledge.roles.contains(role)
        case .shelve: AlarmAct.shelve.roles.contains(role)
        case .outOfService: AlarmAct.removeFromService.roles.contains(role)
        case .killSwitch: role == .supervisor
        case .reloadPolicy: role == .supervisor || role == .engineer
        }
    }
}

/// Keys only some roles may use.
public enum GuardedAction: Hashable, Sendable {
    /// Approve, reject, acknowledge alarms, shelve and unshelve, out of service and back, kill switch, reload the policy.
    case approve, reject, acknowledge, shelve, outOfService, killSwitch, reloadPolicy
}
