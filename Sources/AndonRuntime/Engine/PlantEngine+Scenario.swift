import AndonCore

extension PlantEngine {
    /// Applies incidents due by `now` (before the twin steps), starting the next loop of the script when one ends.
    func applyIncidents(upTo now: SimTime) {
        rollLoop(at: now)
        while incidentCursor < scenario.incidents.count, scenario.incidents[incidentCursor].at + loopOffset <= now {
            twin.inject(scenario.incidents[incidentCursor])
            incidentCursor += 1
        }
    }

    /// Carries out scripted commands due by `now` (after the twin has stepped to `now`).
    func applyCommands(upTo now: SimTime) {
        rollLoop(at: now)
        while commandCursor < scenario.commands.count, scenario.commands[commandCursor].at + loopOffset <= now {
            runScripted(scenario.commands[commandCursor])
            commandCursor += 1
        }
    }

    private func rollLoop(at now: SimTime) {
        guard let loop = scenario.loopSeconds, now >= loopOffset + loop,
              incidentCursor == scenario.incidents.count, commandCursor == scenario.commands.count else { return }
        incidentCursor = 0
        commandCursor = 0
        loopOffset += loop
    }

    /// Moves the script cursors past `time` without applying anything (a recovered run continues its clock).
    func skipScenario(to time: SimTime) {
        if let loop = scenario.loopSeconds { loopOffset = (time / loop).rounded(.down) * loop }
        while incidentCursor < scenario.incidents.count, scenario.incidents[incidentCursor].at + loopOffset <= time { incidentCursor += 1 }
        while commandCursor < scenario.commands.count, scenario.commands[commandCursor].at + loopOffset <= time { commandCursor += 1 }
    }

    private func runScripted(_ command: ScriptedCommand) {
        let person = roster(command.operatorName)
        switch command.action {
        case let .approve(cell, action):
            guard let approval = desk.book.pending.first(where: { $0.proposal.target == cell && (action == nil || $0.proposal.action == action) }) else {
                trail.announce(events.stamp(target: cell, .notice(kind: "script", message: "\(person.name): nothing pending on \(cell) to approve")))
                return
            }
            // A rule that requires a signature is signed with the person's demo passphrase, where the roster has one.
            let passphrase = approval.requirement.signatureRequired ? options.signatureVerifier?.scriptedPassphrase(for: person.name) : nil
            let command = passphrase.map { OperatorCommand.sign(approvalID: approval.proposal.id, passphrase: $0) }
                ?? .approve(approvalID: approval.proposal.id)
            let result = handle(command, as: person)
            onScriptedResult?(command, person, result)
        case let .reject(cell, action, reason):
            guard let approval = desk.book.pending.first(where: { $0.proposal.target == cell && (action == nil || $0.proposal.action == action) }) else {
                trail.announce(events.stamp(target: cell, .notice(kind: "script", message: "\(person.name): nothing pending on \(cell) to reject")))
                return
            }
            let command = OperatorCommand.reject(approvalID: approval.proposal.id, reason: reason)
            let result = handle(command, as: person)
            onScriptedResult?(command, person, result)
        case let .killSwitch(on):
            _ = handle(.killSwitch(on: on, agentID: nil), as: person)
        }
    }
}
