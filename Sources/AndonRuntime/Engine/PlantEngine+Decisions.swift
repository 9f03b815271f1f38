import AndonCore

/// Counts kept for the report.
struct RunTally {
    var decisionsByOutcome: [String: Int] = [:]
    var decisionsByRule: [String: Int] = [:]
    var shadowDecisions = 0
    var undecided = 0
    var executed = 0
    var skippedDuplicates = 0
    var notExecutedAuditDown = 0
    var alarms = 0
    var timeToDecision: [Double] = []
}

extension PlantEngine {
    /// Takes every proposal waiting for the policy and decides it.
    func processDecisions() {
        while let proposal = decisionQueue.take() { decide(proposal) }
    }

    private func context(for proposal: Proposal) -> JudgeContext {
        let shiftElapsed = twin.time.truncatingRemainder(dividingBy: plant.shiftSeconds)
        guard let i = twin.cellIndex[proposal.target] else {
            let cells = twin.lineIndex[proposal.target].map { twin.lines[$0].cells } ?? 0..<0
            let age = cells.map { twin.dataAge($0) }.max() ?? 0
            let oee = twin.lineIndex[proposal.target].map { lineSnapshotOEE($0) }
            return JudgeContext(dataAge: age, state: nil, status: nil, oee: oee, shiftElapsed: shiftElapsed)
        }
        let cell = twin.cells[i]
        return JudgeContext(dataAge: twin.dataAge(i), state: cell.state, status: cell.status,
                            oee: cell.clock.rollingOEE(idealCycle: cell.spec.cycleSeconds).value, shiftElapsed: shiftElapsed)
    }

    private func lineSnapshotOEE(_ l: Int) -> Double {
        twin.lines[l].clock.rollingOEE(idealCycle: twin.lines[l].idealCycle).value
    }

    private func decide(_ proposal: Proposal) {
        let cell = twin.cellIndex[proposal.target]
        let proposalEvent = nextEnvelope(cell: cell ?? -1, body: .proposal(proposal), correlation: proposal.correlationID)
        record(.proposal, actor: .agent(proposal.agentID), payload: proposal, correlation: proposal.correlationID)
        publish(proposalEvent)
        guard let judge else {
            // Without a policy nothing executes: proposals are published and counted only.
            tally.undecided += 1
            return
        }
        var decision = judge.decide(proposal, context: context(for: proposal))
        decision.isShadow = proposal.isShadow
        record(.decision, actor: .system, payload: decision, correlation: proposal.correlationID)
        publish(nextEnvelope(cell: cell ?? -1, body: .decision(decision), correlation: proposal.correlationID))
        tally.decisionsByOutcome[decision.outcome.rawValue, default: 0] += 1
        for rule in decision.ruleIDs { tally.decisionsByRule[rule, default: 0] += 1 }
        if decision.ruleIDs.isEmpty { tally.decisionsByRule["(default deny)", default: 0] += 1 }
        if proposal.isShadow {
            tally.shadowDecisions += 1
            return
        }
        if executor.hasApplied(proposal.idempotencyKey) {
            tally.skippedDuplicates += 1
            return
        }
        switch decision.outcome {
        case .allow:
            tally.timeToDecision.append(0)
            readyToExecute.append(proposal)
        case .deny:
            tally.timeToDecision.append(0)
        case .approve:
            // One pending approval per key, and per target and action: a condition that outlived a restart
            // does not ask twice.
            if book.approval(forKey: proposal.idempotencyKey)?.state == .pending
                || book.pending.contains(where: { $0.proposal.target == proposal.target && $0.proposal.action == proposal.action }) {
                tally.skippedDuplicates += 1
                return
            }
            apply(book.request(proposal, decision: decision, now: twin.time))
        }
    }

    /// Records approval effects and queues executions; executions run only after the next commit.
    func apply(_ effects: [ApprovalEffect]) {
        for effect in effects {
            switch effect {
            case let .record(kind, actor, change):
                guard let approval = book[change.approvalID] else { continue }
                if kind == .approvalRequested {
                    let payload = ApprovalRequestRecord(proposal: approval.proposal, decision: approval.decision,
                                                        requestedAt: approval.requestedAt, deadline: approval.deadline, change: change)
                    record(kind, actor: actor, payload: payload, correlation: approval.proposal.correlationID)
                } else {
                    record(kind, actor: actor, payload: change, correlation: approval.proposal.correlationID)
                }
                if change.state.isFinal, let decidedAt = approval.decidedAt {
                    tally.timeToDecision.append(decidedAt - approval.requestedAt)
                }
                publish(nextEnvelope(cell: twin.cellIndex[approval.proposal.target] ?? -1, body: .approval(change), correlation: approval.proposal.correlationID))
            case let .execute(proposal):
                readyToExecute.append(proposal)
            }
        }
    }

    /// Commits what is waiting. On failure nothing that needs a record runs, and the entries are kept to retry.
    @discardableResult
    func commitAudit(sync: Bool = false) -> Bool {
        guard let audit, !pendingAudit.isEmpty else { return auditProblem == nil || audit == nil }
        do {
            try audit.append(pendingAudit, sync: sync)
            pendingAudit.removeAll(keepingCapacity: true)
            if auditProblem != nil {
                auditProblem = nil
                publish(nextEnvelope(cell: -1, body: .notice(kind: "audit", message: "audit store recovered; actions run again")))
            }
            return true
        } catch {
            if auditProblem == nil {
                publish(nextEnvelope(cell: -1, body: .notice(kind: "audit", message: "audit store failing: \(error); actions that need a record are stopped")))
            }
            auditProblem = "\(error)"
            if pendingAudit.count > 100_000 { pendingAudit.removeFirst(pendingAudit.count - 100_000) }
            return false
        }
    }

    /// Executes what was decided, once its record is committed.
    func executeReady() {
        guard !readyToExecute.isEmpty else { return }
        let ready = readyToExecute
        readyToExecute.removeAll()
        guard auditProblem == nil else {
            tally.notExecutedAuditDown += ready.count
            for proposal in ready {
                publish(nextEnvelope(cell: -1, body: .notice(kind: "audit", message: "\(proposal.action.rawValue) of \(proposal.target) not executed: audit store failing"),
                                     correlation: proposal.correlationID))
            }
            return
        }
        for proposal in ready {
            let (execution, detail) = executor.execute(proposal, on: twin)
            if execution.applied { tally.executed += 1 }
            record(.actionExecuted, actor: .system, payload: ActionRecord(execution: execution, detail: detail), correlation: proposal.correlationID)
            publish(nextEnvelope(cell: twin.cellIndex[proposal.target] ?? -1, body: .action(execution), correlation: proposal.correlationID))
        }
    }
}
