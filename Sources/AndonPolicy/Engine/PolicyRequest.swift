import AndonCore

/// Everything a policy looks at to decide one proposal: the proposal's facts and the twin's context.
///
/// Missing context (`nil`) makes every condition on it false, so a rule that needs fresh data never
/// allows on unknown data. Codable with the same snake_case keys the cases file uses.
public struct PolicyRequest: Sendable, Hashable, Codable {
    /// The proposal decided, for the decision record.
    public var proposalID: String
    /// What is proposed.
    public var action: ActionKind
    /// The cell or line acted on.
    public var target: String
    /// The line of the target.
    public var line: String
    /// How dangerous the action is.
    public var risk: RiskClass
    /// The proposing agent's kind.
    public var agentKind: AgentKind
    /// The size of the change in percent; nil when the request carries none (a condition on it is then false).
    public var changePercent: Double?
    /// True for a shadow agent's proposal.
    public var isShadow: Bool
    /// Seconds since the newest data the proposal rests on.
    public var dataAgeSeconds: Double?
    /// The target cell's PackML state.
    public var cellState: PackMLState?
    /// The target cell's status word; derived from `cellState` when absent.
    public var cellStatus: CellStatus?
    /// The target cell's OEE over the shift, 0–1.
    public var oee: Double?
    /// Seconds since the shift started.
    public var shiftElapsedSeconds: Double?

    /// Creates a request.
    public init(proposalID: String = "", action: ActionKind, target: String, line: String, risk: RiskClass, agentKind: AgentKind,
                changePercent: Double? = nil, isShadow: Bool = false, dataAgeSeconds: Double? = nil, cellState: PackMLState? = nil,
                cellStatus: CellStatus? = nil, oee: Double? = nil, shiftElapsedSeconds: Double? = nil) {
        self.proposalID = proposalID
        self.action = action
        self.target = target
        self.line = line
        self.risk = risk
        self.agentKind = agentKind
        self.changePercent = changePercent
        self.isShadow = isShadow
        self.dataAgeSeconds = dataAgeSeconds
        self.cellState = cellState
        self.cellStatus = cellStatus
        self.oee = oee
        self.shiftElapsedSeconds = shiftElapsedSeconds
    }

    /// A request for `proposal`, with the twin's context for its target.
    public init(proposal: Proposal, dataAgeSeconds: Double?, cellState: PackMLState? = nil, cellStatus: CellStatus? = nil,
                oee: Double? = nil, shiftElapsedSeconds: Double? = nil) {
        self.init(proposalID: proposal.id, action: proposal.action, target: proposal.target, line: proposal.line, risk: proposal.risk,
                  agentKind: proposal.agentKind, changePercent: proposal.changePercent, isShadow: proposal.isShadow,
                  dataAgeSeconds: dataAgeSeconds, cellState: cellState, cellStatus: cellStatus, oee: oee, shiftElapsedSeconds: shiftElapsedSeconds)
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case proposalID = "proposal"
        case action, target, line, risk
        case agentKind = "agent"
        case changePercent = "change_percent"
        case isShadow = "shadow"
        case dataAgeSeconds = "data_age"
        case cellState = "state"
        case cellStatus = "status"
        case oee
        case shiftElapsedSeconds = "shift_elapsed"
    }

    /// Decodes a request; only action, target, risk and agent are required, and `line` defaults to the target.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let target = try c.decode(String.self, forKey: .target)
        self.init(proposalID: try c.decodeIfPresent(String.self, forKey: .proposalID) ?? "",
                  action: try c.decode(ActionKind.self, forKey: .action),
                  target: target,
                  line: try c.decodeIfPresent(String.self, forKey: .line) ?? target,
                  risk: try c.decode(RiskClass.self, forKey: .risk),
                  agentKind: try c.decode(AgentKind.self, forKey: .agentKind),
                  changePercent: try c.decodeIfPresent(Double.self, forKey: .changePercent).map(abs),
                  isShadow: try c.decodeIfPresent(Bool.self, forKey: .isShadow) ?? false,
                  dataAgeSeconds: try c.decodeIfPresent(Double.self, forKey: .dataAgeSeconds),
                  cellState: try c.decodeIfPresent(PackMLState.self, forKey: .cellState),
                  cellStatus: try c.decodeIfPresent(CellStatus.self, forKey: .cellStatus),
                  oee: try c.decodeIfPresent(Double.self, forKey: .oee),
                  shiftElapsedSeconds: try c.decodeIfPresent(Double.self, forKey: .shiftElapsedSeconds))
    }

    /// The status word used for matching: the given one, else the one the PackML state implies.
    public var effectiveStatus: CellStatus? {
        cellStatus ?? cellState.map { CellStatus(state: $0, reason: .none) }
    }

    /// The state bits a rule's state condition is tested against (0 when the state is unknown).
    public var conditionMask: UInt32 {
        var mask: UInt32 = 0
        if let cellState { mask |= CellCondition.state(cellState).bit }
        if let status = effectiveStatus { mask |= CellCondition.status(status).bit }
        return mask
    }
}
