import AndonCore

/// One runtime's snapshots and events as a plant-wide console holds them: every id qualified by the runtime's name
/// (`body/B2`), so that two runtimes with a cell B2 never meet, and every time moved onto the console's clock, so that
/// deadlines of several runtimes can be compared and counted down together.
struct RuntimeQualifier: Sendable {
    /// The runtime's name.
    let runtime: String
    /// Seconds added to this runtime's times to put them on the console's clock.
    let offset: SimTime

    private func id(_ id: String) -> String { RuntimeQualifiedID.make(runtime, id) }

    /// A snapshot of the runtime with its ids qualified and its times moved; `isLinkUp` false marks its cells stale.
    func qualify(_ snapshot: PlantSnapshot, isLinkUp: Bool) -> PlantSnapshot {
        var result = snapshot
        result.time += offset
        result.lines = snapshot.lines.map { line in
            var line = line
            line.id = id(line.id)
            line.cells = line.cells.map(id)
            return line
        }
        result.cells = snapshot.cells.map { qualify($0, isLinkUp: isLinkUp) }
        result.queues = snapshot.queues.map { queue in
            var queue = queue
            queue.id = id(queue.id)
            return queue
        }
        result.agents = snapshot.agents.map { agent in
            var agent = agent
            agent.id = id(agent.id)
            agent.cell = id(agent.cell)
            return agent
        }
        result.approvals = snapshot.approvals.map(qualify)
        return result
    }

    private func qualify(_ cell: CellSnapshot, isLinkUp: Bool) -> CellSnapshot {
        var cell = cell
        cell.id = id(cell.id)
        cell.line = id(cell.line)
        cell.topAlarm = cell.topAlarm.map(qualify)
        cell.alarms = cell.alarms.map(qualify)
        cell.timeline = cell.timeline.map { span in
            var span = span
            span.since += offset
            return span
        }
        // What a runtime out of reach last said is not what its cells do now.
        if !isLinkUp { cell.isStale = true }
        return cell
    }

    private func qualify(_ alarm: AlarmSummary) -> AlarmSummary {
        var alarm = alarm
        alarm.tag = id(alarm.tag)
        if !alarm.cell.isEmpty { alarm.cell = id(alarm.cell) }
        alarm.since += offset
        alarm.shelvedUntil = alarm.shelvedUntil.map { $0 + offset }
        return alarm
    }

    private func qualify(_ approval: ApprovalSnapshot) -> ApprovalSnapshot {
        var approval = approval
        approval.id = id(approval.id)
        approval.proposal = qualify(approval.proposal)
        approval.decision.proposalID = id(approval.decision.proposalID)
        approval.requestedAt += offset
        approval.deadline += offset
        approval.signatures = approval.signatures.map { signature in
            var signature = signature
            signature.at += offset
            return signature
        }
        return approval
    }

    private func qualify(_ proposal: Proposal) -> Proposal {
        var proposal = proposal
        proposal.id = id(proposal.id)
        proposal.target = id(proposal.target)
        proposal.line = id(proposal.line)
        proposal.agentID = id(proposal.agentID)
        proposal.createdAt += offset
        return proposal
    }

    /// An event of the runtime, numbered `sequence` in the console's log, with its ids qualified and its time moved;
    /// what it says in words names the runtime.
    func qualify(_ event: EventEnvelope, sequence: UInt64) -> EventEnvelope {
        var event = event
        event.sequence = sequence
        event.time += offset
        event.cell = event.cell.map(id)
        switch event.body {
        case .telemetry, .stateChanged: break
        case var .alarm(change):
            change.tag = id(change.tag)
            event.body = .alarm(change)
        case let .proposal(proposal):
            event.body = .proposal(qualify(proposal))
        case var .decision(decision):
            decision.proposalID = id(decision.proposalID)
            event.body = .decision(decision)
        case var .approval(change):
            change.approvalID = id(change.approvalID)
            event.body = .approval(change)
        case var .action(execution):
            execution.proposalID = id(execution.proposalID)
            execution.target = id(execution.target)
            event.body = .action(execution)
        case let .operatorCommand(person, command, outcome):
            event.body = .operatorCommand(person: person, command: "\(runtime): \(command)", outcome: outcome)
        case let .notice(kind, message):
            event.body = .notice(kind: kind, message: "\(runtime): \(message)")
        }
        return event
    }
}
