import AndonCore

/// What a piece of text means on screen; a ``Theme`` turns it into colour and attributes.
public enum StyleRole: Hashable, Sendable, CaseIterable {
    /// Empty screen.
    case background
    /// Ordinary text.
    case text
    /// Secondary text: units, labels, hints.
    case muted
    /// Pane borders.
    case border
    /// Pane titles and the header.
    case title
    /// A focused pane's title.
    case focusedTitle
    /// The selected row.
    case selection
    /// Column headings.
    case heading
    /// A cell status word and glyph.
    case status(CellStatus)
    /// An active alarm of priority 1–4.
    case alarm(AlarmPriority)
    /// A proposal's risk class.
    case risk(RiskClass)
    /// A latency budget that is kept.
    case budgetOK
    /// A latency budget close to its limit.
    case budgetWarn
    /// A latency budget breached.
    case budgetBreach
    /// A queue bar's filled part.
    case queueBar
    /// A queue nearly full or dropping.
    case queueFull
    /// A banner that must not be missed (kill switch).
    case banner
    /// Dialog boxes.
    case dialog
    /// Text the operator types.
    case input
    /// A key name in hints.
    case key
    /// A key the current role can't use.
    case keyUnavailable
    /// A command that took effect.
    case outcomeAccepted
    /// A command that was refused.
    case outcomeRefused
    /// The audit store failing.
    case auditFailing

    /// Every role, for building colour tables.
    public static var allCases: [StyleRole] {
        var roles: [StyleRole] = [.background, .text, .muted, .border, .title, .focusedTitle, .selection, .heading]
        roles += CellStatus.allCases.map { .status($0) }
        roles += (1...4).map { .alarm($0) }
        roles += RiskClass.allCases.map { .risk($0) }
        roles += [.budgetOK, .budgetWarn, .budgetBreach, .queueBar, .queueFull, .banner, .dialog, .input, .key, .keyUnavailable,
                  .outcomeAccepted, .outcomeRefused, .auditFailing]
        return roles
    }

    /// A stable name, as theme files spell it (`status.HELD`, `alarm.1`, `risk.high`).
    public var name: String {
        switch self {
        case .background: "background"
        case .text: "text"
        case .muted: "muted"
        case .border: "border"
        case .title: "title"
        case .focusedTitle: "focused_title"
        case .selection: "selection"
        case .heading: "heading"
        case let .status(status): "status.\(status.rawValue)"
        case let .alarm(priority): "alarm.\(priority)"
        case let .risk(risk): "risk.\(risk.rawValue)"
        case .budgetOK: "budget.ok"
        case .budgetWarn: "budget.warn"
        case .budgetBreach: "budget.breach"
        case .queueBar: "queue.bar"
        case .queueFull: "queue.full"
        case .banner: "banner"
        case .dialog: "dialog"
        case .input: "input"
        case .key: "key"
        case .keyUnavailable: "key.unavailable"
        case .outcomeAccepted: "outcome.accepted"
        case .outcomeRefused: "outcome.refused"
        case .auditFailing: "audit.failing"
        }
    }
}

/// Text attributes a terminal can show without colour.
public struct TextAttributes: OptionSet, Hashable, Sendable {
    /// The bits.
    public let rawValue: UInt8
    /// Wraps bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bold.
    public static let bold = TextAttributes(rawValue: 1 << 0)
    /// Reverse video.
    public static let reverse = TextAttributes(rawValue: 1 << 1)
    /// Dim.
    public static let dim = TextAttributes(rawValue: 1 << 2)
    /// Underline.
    public static let underline = TextAttributes(rawValue: 1 << 3)
}

/// The style of one canvas cell: its role, and whether it sits on the selected row.
public struct CellStyle: Hashable, Sendable {
    /// What the text means.
    public var role: StyleRole
    /// True on the selected row of the focused pane.
    public var isSelected: Bool

    /// Creates a style.
    public init(_ role: StyleRole, isSelected: Bool = false) {
        self.role = role
        self.isSelected = isSelected
    }

    /// The empty screen.
    public static let background = CellStyle(.background)
}
