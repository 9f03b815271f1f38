import AndonCore

/// Carries out actions on the twin exactly once per idempotency key.
struct Executor {
    private(set) var appliedKeys: Set<String> = []

    /// Marks keys as already applied (from the audit log, on recovery).
    mutating func remember(_ keys: some Sequence<String>) {
        appliedKeys.formUnion(keys)
    }

    /// True when the key has been applied.
    func hasApplied(_ key: String) -> Bool { appliedKeys.contains(key) }

    /// Applies the proposal unless its key already was; returns the execution record and what happened.
    mutating func execute(_ proposal: Proposal, on twin: Twin) -> (ActionExecution, String) {
        guard appliedKeys.insert(proposal.idempotencyKey).inserted else {
            return (ActionExecution(proposalID: proposal.id, action: proposal.action, target: proposal.target,
                                    idempotencyKey: proposal.idempotencyKey, applied: false), "already applied; nothing ran")
        }
        let detail = twin.apply(proposal)
        return (ActionExecution(proposalID: proposal.id, action: proposal.action, target: proposal.target,
                                idempotencyKey: proposal.idempotencyKey, applied: true), detail)
    }
}
