extension PlantEngine {
    /// Lets agents act on what has been delivered since the last tick, without moving the clock: agents run,
    /// the policy decides, the audit log commits, ready actions execute. A live external stream calls this after
    /// each batch, so agents answer data as it arrives rather than at the next second's tick.
    func settle() {
        runAgents()
        processDecisions()
        _ = commitAudit()
        executeReady()
        dispatchOutbox()
    }
}
