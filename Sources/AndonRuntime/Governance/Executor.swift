import AndonCore

/// Carries out actions on the twin exactly once per idempotency key.
struct Executor {
    /// Keys applied (or spent by a committed decision), with the simulated time they were spent.
    private(set) var spentKeys: [String: SimTime] = [:]

    /// Marks keys as already spent (from the audit log, on recovery).
    mutating func remember(_ keys: [String: SimTime]) {
        spentKeys.merge(keys) { max($0, $1) }
    }

    /// Spends a key without running its action: an authorised action that could not run still never runs later.
    mutating func spend(_ key: String, at time: SimTime) {
        spentKeys[key] = spentKeys[key] ?? time
    }

    /// True when the key has been applied or spent.
    func hasApplied(_ key: String) -> Bool { spentKeys[key] != nil }

    /// Every key applied or spent.
    var appliedKeys: Set<String> { Set(spentKeys.keys) }

    /// Applies the proposal unless its key already was; returns the execution record and what happened.
    mutating func execute(_ proposal: Proposal, on twin: Twin) -> (ActionExecution, String) {
        guard spentKeys[proposal.idempotencyKey] == nil else {
            return (ActionExecution(proposalID: proposal.id, action: proposal.action, target: proposal.target,
                                    idempotencyKey: proposal.idempotencyKey, applied: false), "already applied; nothing ran")
        }
        spentKeys[proposal.idempotencyKey] = twin.time
        let detail = twin.apply(proposal)
        return (ActionExecution(proposalID: proposal.id, action: proposal.action, target: proposal.target,
                                idempotencyKey: proposal.idempotencyKey, applied: true), detail)
    }
}
