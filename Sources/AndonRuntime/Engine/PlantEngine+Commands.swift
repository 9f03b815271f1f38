import AndonCore

extension PlantEngine {
    /// Carries out a person's command. Human decisions are committed and synced before they are
    /// acknowledged and before anything they approve runs; if the store fails, the command is refused.
    public func handle(_ command: OperatorCommand, as person: Person) -> CommandResult {
        switch command {
        case let .approve(id):
            var trial = book
            let (result, effects) = trial.approve(id, by: person, now: twin.time, sameHandsAs: consoleHandovers[person.name] ?? [])
            return adopt(trial, result: result, effects: effects, command: command, person: person)
        case let .reject(id, reason):
            var trial = book
            let (result, effects) = trial.reject(id, by: person, reason: reason, now: twin.time)
            return adopt(trial, result: result, effects: effects, command: command, person: person)
        case let .killSwitch(on, agentID):
            guard person.role == .supervisor else {
                return refuse(command, person, "refused: only supervisors may use the kill switch; \(person.name) is \(person.role.rawValue)")
            }
            let text: String
            if let agentID {
                guard let s = slots.firstIndex(where: { $0.agent.spec.id == agentID }) else { return refuse(command, person, "no agent \(agentID)") }
                slots[s].mode = on ? .shadow : slots[s].agent.spec.mode
                text = on ? "agent \(agentID) in shadow mode" : "agent \(agentID) back to \(slots[s].mode.rawValue)"
            } else {
                isKillSwitchOn = on
                text = on ? "kill switch ON: every agent in shadow mode" : "kill switch off: agents back to their own modes"
            }
            record(.modeChange, actor: .person(person), payload: ["on": on ? "true" : "false", "agent": agentID ?? "*", "detail": text],
                   correlation: CorrelationID("cmd-\(sequence + 1)"))
            guard commitAudit(sync: true) else {
                // Undo: a mode change that is not on record does not happen.
                if let agentID, let s = slots.firstIndex(where: { $0.agent.spec.id == agentID }) { slots[s].mode = on ? slots[s].agent.spec.mode : .shadow } else { isKillSwitchOn = !on }
                return .refused("not done: the audit store is failing (\(auditProblem ?? "unknown"))")
            }
            publish(nextEnvelope(cell: -1, body: .operatorCommand(person: person, command: command.verb, outcome: text)))
            return .accepted(text)
        case let .acknowledgeAlarms(cell):
            guard person.role != .observer else { return refuse(command, person, "refused: observers may not acknowledge alarms") }
            guard let i = twin.cellIndex[cell] else { return refuse(command, person, "no cell \(cell)") }
            let count = twin.acknowledgeAlarms(i)
            record(.operatorCommand, actor: .person(person), payload: ["command": "acknowledge", "cell": cell, "alarms": "\(count)"],
                   correlation: CorrelationID("cmd-\(sequence + 1)"))
            return .accepted("acknowledged \(count) alarm\(count == 1 ? "" : "s") on \(cell)")
        case .acknowledgeAlarm, .shelveAlarm, .unshelveAlarm, .setAlarmOutOfService:
            // Checked and worked out by the twin, put on record (synced), and only then carried out.
            let plan: AlarmActPlan
            switch twin.planAlarmAct(command, by: person) {
            case let .success(planned): plan = planned
            case let .failure(refusal): return refuse(command, person, refusal.message)
            }
            record(.operatorCommand, actor: .person(person), payload: plan.record, correlation: CorrelationID("cmd-\(sequence + 1)"), cell: plan.cellID)
            guard commitAudit(sync: true) else { return .refused("not done: the audit store is failing (\(auditProblem ?? "unknown"))") }
            twin.carryOut(plan)
            publish(nextEnvelope(cell: twin.cellIndex[plan.cellID] ?? -1, body: .operatorCommand(person: person, command: command.verb, outcome: plan.message)))
            return .accepted(plan.message)
        case let .setPaused(paused):
            guard person.role != .observer else { return refuse(command, person, "refused: observers may not pause the plant clock") }
            let text = paused ? "paused" : "live"
            record(.operatorCommand, actor: .person(person), payload: ["command": command.verb, "outcome": text], correlation: CorrelationID("cmd-\(sequence + 1)"))
            commitAudit()
            publish(nextEnvelope(cell: -1, body: .operatorCommand(person: person, command: command.verb, outcome: text)))
            return .accepted(text)
        case let .takeOver(previous):
            let text = "\(person.label) took over the console from \(previous)"
            record(.operatorCommand, actor: .person(person), payload: ["command": command.verb, "from": previous, "outcome": text],
                   correlation: CorrelationID("cmd-\(sequence + 1)"))
            // Who acts at a console is part of the record: a takeover that is not on record does not happen.
            guard commitAudit(sync: true) else { return .refused("not done: the audit store is failing (\(auditProblem ?? "unknown"))") }
            if previous != person.name {
                // The same hands, as far as four-eyes is concerned: whoever acted at this console before, transitively.
                var earlier = consoleHandovers[previous] ?? []
                earlier.insert(previous)
                earlier.remove(person.name)
                consoleHandovers[person.name, default: []].formUnion(earlier)
            }
            publish(nextEnvelope(cell: -1, body: .operatorCommand(person: person, command: command.verb, outcome: text)))
            return .accepted(text)
        case .reloadPolicy:
            return .accepted(command.verb)
        }
    }

    private func refuse(_ command: OperatorCommand, _ person: Person, _ message: String) -> CommandResult {
        record(.operatorCommand, actor: .person(person), payload: ["command": command.verb, "outcome": message], correlation: CorrelationID("cmd-\(sequence + 1)"))
        publish(nextEnvelope(cell: -1, body: .operatorCommand(person: person, command: command.verb, outcome: message)))
        return .refused(message)
    }

    private func adopt(_ trial: ApprovalBook, result: CommandResult, effects: [ApprovalEffect], command: OperatorCommand, person: Person) -> CommandResult {
        guard !effects.isEmpty else { return refuse(command, person, result.message) }
        let saved = book
        book = trial
        let before = pendingAudit.count
        apply(effects)
        record(.operatorCommand, actor: .person(person), payload: ["command": command.verb, "outcome": result.message], correlation: CorrelationID("cmd-\(sequence + 1)"))
        guard commitAudit(sync: true) else {
            // Not on record, so not decided: put the book back and drop what this command queued.
            book = saved
            pendingAudit.removeSubrange(before...)
            readyToExecute.removeAll { proposal in effects.contains { if case let .execute(p) = $0 { p.id == proposal.id } else { false } } }
            return .refused("not recorded, so not done: the audit store is failing (\(auditProblem ?? "unknown"))")
        }
        publish(nextEnvelope(cell: -1, body: .operatorCommand(person: person, command: command.verb, outcome: result.message)))
        executeReady()
        commitAudit()
        return result
    }

    /// Replaces the policy; the change is audited.
    public func replaceJudge(_ judge: any ProposalJudge, by person: Person?) {
        self.judge = judge
        policyProblem = nil
        record(.policyReload, actor: person.map { .person($0) } ?? .system, payload: ["version": judge.version, "sha256": judge.hash],
               correlation: CorrelationID("policy-\(sequence + 1)"))
        commitAudit(sync: true)
        publish(nextEnvelope(cell: -1, body: .notice(kind: "policy", message: "policy \(judge.version) in force (sha256 \(judge.hash.prefix(12)))")))
    }

    /// Notes a failed reload: the old policy stays.
    public func rejectPolicyReload(_ problem: String, by person: Person?) {
        policyProblem = problem
        record(.policyReload, actor: person.map { .person($0) } ?? .system, payload: ["rejected": problem, "kept": judge?.version ?? "none"],
               correlation: CorrelationID("policy-\(sequence + 1)"))
        commitAudit(sync: true)
        publish(nextEnvelope(cell: -1, body: .notice(kind: "policy", message: "policy reload refused, old policy kept: \(problem)")))
    }
}
