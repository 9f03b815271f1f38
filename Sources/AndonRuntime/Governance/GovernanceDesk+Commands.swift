import AndonCore

extension GovernanceDesk {
    /// A person's command with its record: `transaction` holds whatever else the command puts on record; the
    /// operator command itself is added, committed synced with everything staged before it, and only then does
    /// `effect` run. When the store refuses the commit the command is refused and nothing of it remains but a
    /// record of the refusal, staged for when the store takes commits again.
    func carryOut(_ command: OperatorCommand, by person: Person, outcome: String, details: [String: String] = [:],
                  transaction: AuditTransaction = AuditTransaction(), effect: () -> Void) -> CommandResult {
        var transaction = transaction
        let correlation = events.nextCommandCorrelation
        var payload = details
        payload["command"] = payload["command"] ?? command.verb
        payload["outcome"] = outcome
        transaction.record(entry(.operatorCommand, .person(person), payload, correlation: correlation),
                           announcing: events.stamp(cell: -1, .operatorCommand(person: person, command: command.verb, outcome: outcome), correlation: correlation))
        guard trail.commit(transaction, sync: true) else {
            if let lost = trail.lastLost {
                return refuse(command, person, "not done: \(lost)")
            }
            return refuse(command, person, "not recorded, so not done: the audit store is failing (\(trail.problem ?? "unknown"))")
        }
        effect()
        return .accepted(outcome)
    }

    /// Puts something a person's client did on record (attached, detached, refused, throttled, dropped), with the
    /// next commit, and announces it.
    func note(_ verb: String, by person: Person, outcome: String, details: [String: String]) {
        let correlation = events.nextCommandCorrelation
        var payload = details
        payload["command"] = verb
        payload["outcome"] = outcome
        trail.stage(entry(.operatorCommand, .person(person), payload, correlation: correlation),
                    announcing: events.stamp(cell: -1, .operatorCommand(person: person, command: verb, outcome: outcome), correlation: correlation))
    }

    /// Refuses a command and puts the refusal on record (with the next commit).
    func refuse(_ command: OperatorCommand, _ person: Person, _ message: String) -> CommandResult {
        let correlation = events.nextCommandCorrelation
        trail.stage(entry(.operatorCommand, .person(person), ["command": command.verb, "outcome": message], correlation: correlation),
                    announcing: events.stamp(cell: -1, .operatorCommand(person: person, command: command.verb, outcome: message), correlation: correlation))
        return .refused(message)
    }

    /// A person approves or rejects: the decision is tried on a copy of the book, put on record, and adopted only
    /// once that record is committed; what it approves runs after that.
    /// A signed approval (`.sign`) comes with what checking its passphrase found (nil: nobody can check it); a wrong
    /// passphrase or a locked signer is refused, and on record like every other try.
    func decideApproval(_ command: OperatorCommand, by person: Person, signature: SignatureCheck? = nil) -> CommandResult {
        if let id = command.approvalID, book[id] == nil, let result = decideShared(command, id: id, by: person, signature: signature) {
            return result
        }
        var trial = book
        let (result, effects): (CommandResult, [ApprovalEffect])
        switch command {
        case let .approve(id):
            (result, effects) = trial.approve(id, by: person, now: twin.time, sameHandsAs: consoleHandovers[person.name] ?? [])
        case let .sign(id, _):
            if let refusal = signatureRefusal(command, by: person, signature) { return refusal }
            (result, effects) = trial.approve(id, by: person, now: twin.time, sameHandsAs: consoleHandovers[person.name] ?? [], signed: true)
        case let .reject(id, reason):
            (result, effects) = trial.reject(id, by: person, reason: reason, now: twin.time)
        default:
            return refuse(command, person, "not an approval decision")
        }
        guard !effects.isEmpty else { return refuse(command, person, result.message) }
        var transaction = AuditTransaction()
        var executions: [Proposal] = []
        var ended: [ApprovalChange] = []
        var known = sharedApprovals
        for effect in effects {
            switch effect {
            case let .record(kind, actor, change):
                let (entry, event) = record(kind, actor, change, in: trial)
                transaction.record(entry, announcing: event)
                if let write = sharedWrite(kind, change, in: trial, known: &known) { transaction.write(write) }
                ended.append(change)
            case let .execute(proposal):
                executions.append(proposal)
            }
        }
        let outcome = carryOut(command, by: person, outcome: result.message, transaction: transaction) {
            book = trial
            sharedApprovals = known
            for change in ended { noteEnded(change) }
            readyToExecute.append(contentsOf: executions)
        }
        guard outcome.isAccepted else { return outcome }
        // The approval is committed (synced): what it approved runs now, and its own record follows.
        commitAndExecute()
        return result
    }

    /// Why a signed approval's check refuses it, on record; nil when the passphrase was right.
    func signatureRefusal(_ command: OperatorCommand, by person: Person, _ signature: SignatureCheck?) -> CommandResult? {
        switch signature {
        case .valid:
            return nil
        case let .wrong(triesLeft):
            return refuse(command, person, "refused: wrong signing passphrase for \(person.name); \(triesLeft) more "
                                         + "\(triesLeft == 1 ? "try" : "tries") before signing is locked")
        case let .wrongAndLocked(seconds):
            return refuse(command, person, "refused: wrong signing passphrase for \(person.name), too many tries: "
                                         + "\(person.name)'s signing is locked for \(TimeText.duration(seconds))")
        case let .locked(seconds):
            return refuse(command, person, "refused: \(person.name)'s signing is locked for \(TimeText.duration(seconds)) more after "
                                         + "repeated wrong passphrases")
        case .notSet:
            return refuse(command, person, "refused: \(person.name) has no signing passphrase; one is set with "
                                         + "'andon operator passphrase \(person.name)'")
        case nil:
            return refuse(command, person, "refused: this runtime has no signing credentials, so it cannot check a signature")
        }
    }

    /// The kill switch (every agent's decisions to shadow, safety holds excepted) or one agent's own switch.
    func setKillSwitch(_ command: OperatorCommand, on: Bool, agentID: String?, by person: Person, agents: [AgentSpec]) -> CommandResult {
        guard person.role == .supervisor else {
            return refuse(command, person, "refused: only supervisors may use the kill switch; \(person.name) is \(person.role.rawValue)")
        }
        let text: String
        if let agentID {
            guard let spec = agents.first(where: { $0.id == agentID }) else { return refuse(command, person, "no agent \(agentID)") }
            text = on ? "agent \(agentID) in shadow mode" : "agent \(agentID) back to \(spec.mode.rawValue)"
        } else {
            text = on ? "kill switch ON: every agent in shadow mode; safety interlock holds still run" : "kill switch off: agents back to their own modes"
        }
        var transaction = AuditTransaction()
        transaction.record(entry(.modeChange, .person(person), ["on": on ? "true" : "false", "agent": agentID ?? "*", "detail": text],
                                 correlation: events.nextCommandCorrelation))
        return carryOut(command, by: person, outcome: text, transaction: transaction) {
            if let agentID {
                if on { shadowedAgents.insert(agentID) } else { shadowedAgents.remove(agentID) }
            } else {
                isKillSwitchOn = on
            }
        }
    }

    /// A person takes over a console from the one acting at it until now; for four-eyes, the new person counts as
    /// everyone who acted at it before.
    func takeOver(from previous: String, by person: Person) -> CommandResult {
        let text = "\(person.label) took over the console from \(previous)"
        return carryOut(.takeOver(from: previous), by: person, outcome: text, details: ["from": previous]) {
            guard previous != person.name else { return }
            var earlier = consoleHandovers[previous] ?? []
            earlier.insert(previous)
            earlier.remove(person.name)
            consoleHandovers[person.name, default: []].formUnion(earlier)
        }
    }

    /// Reloads the policy from `source` (nil: the run has no policy file); every outcome is on record. A reload by the
    /// runtime itself (the file changed) has no person.
    func reloadPolicy(by person: Person?, from source: (() throws -> any ProposalJudge)?) -> CommandResult {
        let actor = person.map { AuditActor.person($0) } ?? .system
        let correlation = CorrelationID("policy-\(events.count + 1)")
        func refusal(_ message: String, problem: String? = nil) -> CommandResult {
            if let problem { policyProblem = problem }
            trail.stage(entry(.policyReload, actor, ["rejected": message, "kept": judge?.version ?? "none"], correlation: correlation),
                        announcing: events.stamp(cell: -1, .notice(kind: "policy", message: "policy reload refused, old policy kept: \(message)"), correlation: correlation))
            return .refused(message)
        }
        if let person, person.role != .supervisor && person.role != .engineer {
            return refusal("refused: only supervisors and engineers may reload the policy; \(person.name) is \(person.role.rawValue)")
        }
        guard let source else { return refusal("no policy file to reload") }
        let next: any ProposalJudge
        do {
            next = try source()
        } catch {
            let problem = "\(error)".replacingOccurrences(of: "\n", with: "; ")
            return refusal("policy not reloaded, the old one stays: \(problem)", problem: problem)
        }
        var transaction = AuditTransaction()
        transaction.record(AuditEntry(simTime: twin.time, actor: actor, kind: .policyReload, encoding: ["version": next.version, "sha256": next.hash],
                                      policyHash: next.hash, correlationID: correlation.rawValue),
                           announcing: events.stamp(cell: -1, .notice(kind: "policy", message: "policy \(next.version) in force (sha256 \(next.hash.prefix(12)))"),
                                                    correlation: correlation))
        guard trail.commit(transaction, sync: true) else {
            return refusal("policy \(next.version) not put in force: the audit store is failing (\(trail.problem ?? "unknown"))")
        }
        judge = next
        policyProblem = nil
        return .accepted("policy \(next.version) in force")
    }
}
