import AndonCore

/// The policy engine as the runtime's judge of proposals.
extension PolicyEngine: ProposalJudge {
    /// Decides a proposal with the twin's facts about its target.
    public func decide(_ proposal: Proposal, context: JudgeContext) -> Decision {
        decide(proposal, dataAgeSeconds: context.dataAge, cellState: context.state, cellStatus: context.status,
               oee: context.oee, shiftElapsedSeconds: context.shiftElapsed)
    }
}
