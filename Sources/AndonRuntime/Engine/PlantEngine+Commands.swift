import AndonCore

extension PlantEngine {
    /// Carries out a person's command. Every command is on record, refusals too; anything that changes what the
    /// plant or its governance does is committed (synced) before it takes effect, and refused if the store fails.
    /// A signed approval's passphrase is checked here unless `signature` already holds the check's result (the live
    /// runtime checks off its own thread, since a memory-hard hash takes a while).
    public func handle(_ command: OperatorCommand, as person: Person, signature: SignatureCheck? = nil) -> CommandResult {
        switch command {
        case .approve, .reject:
            return desk.decideApproval(command, by: person)
        case let .sign(_, passphrase):
            let check = signature ?? options.signatureVerifier?.check(name: person.name, passphrase: passphrase)
            return desk.decideApproval(command, by: person, signature: check)
        case let .killSwitch(on, agentID):
            let wasOn = desk.isKillSwitchOn
            let result = desk.setKillSwitch(command, on: on, agentID: agentID, by: person, agents: slots.map(\.agent.spec) + outside.agentSpecs)
            // Released, agents see the plant afresh: a condition whose episode was spent in shadow is proposed again.
            if result.isAccepted, wasOn, !on, agentID == nil { refreshAgents() }
            return result
        case let .acknowledgeAlarms(cell):
            guard person.role != .observer else { return desk.refuse(command, person, "refused: observers may not acknowledge alarms") }
            guard let i = twin.cellIndex[cell] else { return desk.refuse(command, person, "no cell \(cell)") }
            let count = twin.unacknowledgedAlarmCount(i)
            let text = "acknowledged \(count) alarm\(count == 1 ? "" : "s") on \(cell)"
            return desk.carryOut(command, by: person, outcome: text, details: ["cell": cell, "alarms": "\(count)"]) {
                _ = twin.acknowledgeAlarms(i)
            }
        case .acknowledgeAlarm, .shelveAlarm, .unshelveAlarm, .setAlarmOutOfService:
            // Checked and worked out by the twin, put on record (synced), and only then carried out.
            let plan: AlarmActPlan
            switch twin.planAlarmAct(command, by: person) {
            case let .success(planned): plan = planned
            case let .failure(refusal): return desk.refuse(command, person, refusal.message)
            }
            return desk.carryOut(command, by: person, outcome: plan.message, details: plan.record) {
                twin.carryOut(plan)
            }
        case let .setPaused(paused):
            guard person.role != .observer else { return desk.refuse(command, person, "refused: observers may not pause the plant clock") }
            return desk.carryOut(command, by: person, outcome: paused ? "paused" : "live") {}
        case let .takeOver(previous):
            return desk.takeOver(from: previous, by: person)
        case .reloadPolicy:
            return desk.reloadPolicy(by: person, from: policySource)
        }
    }

    /// Puts on record what a client of the service did (`attach`, `detach`, `refused-attach`, `throttled`, `dropped`).
    public func noteClient(_ verb: String, by person: Person, outcome: String, details: [String: String] = [:]) {
        desk.note(verb, by: person, outcome: outcome, details: details)
        trail.commit()
    }

    /// Reloads the policy because its file changed (no person asked); on record either way.
    @discardableResult
    public func reloadPolicyFromSource() -> CommandResult {
        desk.reloadPolicy(by: nil, from: policySource)
    }

    /// Replaces every agent with a fresh one of the same definition (mailboxes and latency figures stay).
    private func refreshAgents() {
        for s in slots.indices {
            let spec = slots[s].agent.spec
            slots[s].replace(with: AgentFactory.make(spec, cell: twin.cells[slots[s].cellIndex].spec, cellIndex: slots[s].cellIndex, seed: options.seed))
        }
    }
}
