/// What the policy may consult about the twin when it judges a proposal.
public struct JudgeContext: Sendable, Hashable {
    /// Seconds since the target cell's last telemetry.
    public var dataAge: Double
    /// The target cell's PackML state, when the target is a cell.
    public var state: PackMLState?
    /// The target cell's status word.
    public var status: CellStatus?
    /// The target's rolling OEE (0–1).
    public var oee: Double?
    /// Seconds since the shift began.
    public var shiftElapsed: Double

    /// Creates a context.
    public init(dataAge: Double, state: PackMLState?, status: CellStatus?, oee: Double?, shiftElapsed: Double) {
        self.dataAge = dataAge
        self.state = state
        self.status = status
        self.oee = oee
        self.shiftElapsed = shiftElapsed
    }
}

/// Decides every proposal: allow, deny, or approve by people.
public protocol ProposalJudge: Sendable {
    /// The policy's version string.
    var version: String { get }
    /// SHA-256 of the policy text, hex.
    var hash: String { get }
    /// The decision for one proposal.
    func decide(_ proposal: Proposal, context: JudgeContext) -> Decision
}
