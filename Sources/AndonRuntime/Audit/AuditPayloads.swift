import AndonCore

/// The payload recorded when an approval is requested: enough to rebuild it after a restart.
public struct ApprovalRequestRecord: Sendable, Hashable, Codable {
    /// The proposal.
    public var proposal: Proposal
    /// The decision that asked for approval.
    public var decision: Decision
    /// When it was requested.
    public var requestedAt: SimTime
    /// Its deadline.
    public var deadline: SimTime
    /// The change as published.
    public var change: ApprovalChange
}

/// The payload recorded for an executed action.
public struct ActionRecord: Sendable, Hashable, Codable {
    /// What ran.
    public var execution: ActionExecution
    /// What happened, in words.
    public var detail: String
}

extension ActionRecord: CanonicalJSONWriting {
    /// What `JSONEncoder` writes for it, or nil to leave it to the encoder: one is recorded for every action run.
    public var canonicalJSON: String? {
        guard let detail = CanonicalJSON.quoted(detail), let execution = execution.canonicalJSON else { return nil }
        return "{\"detail\":\(detail),\"execution\":\(execution)}"
    }
}

/// The payload of a `state_change` record: the cell, and the change.
public struct CellStateChange: Sendable, Hashable, Codable {
    /// The cell whose state changed.
    public var cell: String?
    /// From.
    public var from: PackMLState
    /// To.
    public var to: PackMLState
    /// Why.
    public var reason: StateReason

    /// The record of `change` of `cell`.
    public init(cell: String?, change: StateChange) {
        self.cell = cell
        from = change.from
        to = change.to
        reason = change.reason
    }
}

extension CellStateChange: CanonicalJSONWriting {
    /// What `JSONEncoder` writes for it (keys in order, an absent cell left out), without the encoder: one is written
    /// for every state change of every cell.
    public var canonicalJSON: String? {
        guard let from = CanonicalJSON.quoted(from.rawValue), let to = CanonicalJSON.quoted(to.rawValue),
              let reason = CanonicalJSON.quoted(reason.rawValue) else { return nil }
        let rest = "\"from\":\(from),\"reason\":\(reason),\"to\":\(to)}"
        guard let cell else { return "{" + rest }
        guard let quoted = CanonicalJSON.quoted(cell) else { return nil }
        return "{\"cell\":\(quoted)," + rest
    }
}
