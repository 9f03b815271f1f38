import AndonCore
import Foundation

/// Counts the governance desk keeps for the report.
struct GovernanceTally {
    var decisionsByOutcome: [String: Int] = [:]
    var decisionsByRule: [String: Int] = [:]
    var shadowDecisions = 0
    var undecided = 0
    var executed = 0
    var skippedDuplicates = 0
    var notExecutedAuditDown = 0
    var safetyHoldsUnrecorded = 0
    var timeToDecision: [Double] = []
}

/// Everything that decides whether an agent's proposal runs: the policy, the approval book, the executor, the kill
/// switch and who handed a console to whom. It judges proposals, keeps approvals, carries out people's decisions and
/// executes what was decided, and it does each through the ``AuditTrail``: nothing is adopted, published or executed
/// before the record that authorises it is committed.
///
/// Not thread-safe: the engine's owner drives it.
final class GovernanceDesk {
    /// The policy in force (none: proposals are published and counted, never decided).
    var judge: (any ProposalJudge)?
    /// Why the last policy reload was refused, shown until a reload succeeds.
    var policyProblem: String?
    /// Approvals, pending and decided.
    @exclusivity(unchecked) var book = ApprovalBook()
    @exclusivity(unchecked) var executor = Executor()
    /// True while the kill switch holds every agent's decisions in shadow (safety holds excepted).
    var isKillSwitchOn = false
    /// Agents put in shadow one by one.
    var shadowedAgents: Set<String> = []
    /// For each person who took over a console, everyone who acted at it before them in this run: their
    /// signatures count as the same person's for four-eyes.
    var consoleHandovers: [String: Set<String>] = [:]
    /// Decided actions waiting for the commit of their decision.
    @exclusivity(unchecked) var readyToExecute: [Proposal] = []
    @exclusivity(unchecked) var tally = GovernanceTally()
    /// The policy's verdict on the last proposal ``decide(_:)`` judged (nil without a policy).
    var lastDecision: Decision?
    /// The data age an outside agent saw, judged instead of the data's age now while set.
    var seenDataAge: Double?
    /// Each shared approval as this runtime last wrote or read it (its version and signatures), by id.
    @exclusivity(unchecked) var sharedApprovals: [String: SharedApproval] = [:]
    /// Other runtimes' pending approvals, as this runtime's consoles see them (read from the shared store each tick).
    var otherRuntimesApprovals: [ApprovalSnapshot] = []
    /// Simulated seconds per real second: a shared approval's deadline in wall time.
    var liveSpeed: Double = 1
    /// Wall time now (a shared approval's request and deadline).
    var wallNow: () -> Date = { Date() }
    let trail: AuditTrail
    let twin: Twin
    let events: EventStamper
    private let shiftSeconds: Double

    init(judge: (any ProposalJudge)?, trail: AuditTrail, twin: Twin, events: EventStamper) {
        self.judge = judge
        self.trail = trail
        self.twin = twin
        self.events = events
        shiftSeconds = twin.spec.shiftSeconds
    }

    /// SHA-256 of the policy in force (empty without one), stamped on every record.
    var policyHash: String { judge?.hash ?? "" }

    /// An audit entry at the twin's time under the policy in force.
    func entry(_ kind: AuditKind, _ actor: AuditActor, _ payload: some Encodable, correlation: CorrelationID) -> AuditEntry {
        AuditEntry(simTime: twin.time, actor: actor, kind: kind, encoding: payload, policyHash: policyHash, correlationID: correlation.rawValue)
    }

    // MARK: Modes

    /// Whether a proposal from the agent `spec` (in `mode`) is judged and recorded only. The kill switch stops what
    /// agents decide, never a safety interlock's hold on a hard limit.
    func isShadow(_ action: ActionKind, from spec: AgentSpec, mode: AgentMode) -> Bool {
        if mode == .shadow || shadowedAgents.contains(spec.id) { return true }
        return isKillSwitchOn && !(spec.kind == .safety && action == .holdCell)
    }

    /// The mode an agent shows: its own, or shadow while the kill switch or its own switch holds it.
    func effectiveMode(of spec: AgentSpec, mode: AgentMode) -> AgentMode {
        effectiveMode(id: spec.id, kind: spec.kind, mode: mode)
    }

    /// Whether an agent can work in a mode other than its own now: only while the kill switch is on or an agent is
    /// shadowed. When not, ``effectiveMode(id:kind:mode:)`` is `mode` for every agent, and a caller that would have to
    /// look up an agent's id and kind to ask it need not.
    var overridesModes: Bool { isKillSwitchOn || !shadowedAgents.isEmpty }

    /// The mode agent `id` of `kind`, set to `mode`, works in now.
    func effectiveMode(id: String, kind: AgentKind, mode: AgentMode) -> AgentMode {
        guard mode == .active, overridesModes else { return mode }
        if !shadowedAgents.isEmpty, shadowedAgents.contains(id) { return .shadow }
        return isKillSwitchOn && kind != .safety ? .shadow : mode
    }

    // MARK: Proposals

    /// Records and judges one proposal: allowed ones wait for the commit of their decision, approvals open.
    func decide(_ proposal: Proposal) {
        let cell = twin.cellIndex[proposal.target] ?? -1
        trail.stage(entry(.proposal, .agent(proposal.agentID), proposal, correlation: proposal.correlationID),
                    announcing: events.stamp(cell: cell, .proposal(proposal), correlation: proposal.correlationID))
        lastDecision = nil
        guard let judge else {
            // Without a policy nothing executes: proposals are published and counted only.
            tally.undecided += 1
            return
        }
        var decision = judge.decide(proposal, context: context(for: proposal))
        decision.isShadow = proposal.isShadow
        lastDecision = decision
        trail.stage(entry(.decision, .system, decision, correlation: proposal.correlationID),
                    announcing: events.stamp(cell: cell, .decision(decision), correlation: proposal.correlationID))
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
                || book.hasPending(target: proposal.target, action: proposal.action) {
                tally.skippedDuplicates += 1
                return
            }
            stage(book.request(proposal, decision: decision, now: twin.time))
        }
    }

    private func context(for proposal: Proposal) -> JudgeContext {
        let shiftElapsed = twin.time.truncatingRemainder(dividingBy: shiftSeconds)
        guard let i = twin.cellIndex[proposal.target] else {
            let line = twin.lineIndex[proposal.target]
            let cells = line.map { twin.lines[$0].cells } ?? 0..<0
            let age = cells.map { twin.dataAge($0) }.max() ?? 0
            let oee = line.map { twin.lines[$0].clock.rollingOEE(idealCycle: twin.lines[$0].idealCycle).value }
            return JudgeContext(dataAge: seenDataAge ?? age, state: nil, status: nil, oee: oee, shiftElapsed: shiftElapsed)
        }
        let cell = twin.cells[i]
        return JudgeContext(dataAge: seenDataAge ?? twin.dataAge(i), state: cell.state, status: cell.status,
                            oee: cell.clock.rollingOEE(idealCycle: cell.spec.cycleSeconds).value, shiftElapsed: shiftElapsed)
    }

    /// An agent's condition cleared: its pending approval, if any, is withdrawn.
    func withdraw(key: String) {
        stage(book.withdraw(key: key, now: twin.time))
    }

    /// Applies approval deadlines and escalations due at `now`.
    func advanceApprovals(to now: SimTime) {
        stage(book.advance(to: now))
    }

    /// How many decided approvals the book keeps, most recent first, beside the pending ones.
    static let decidedKept = 200

    /// Drops decided approvals beyond the most recent `keep`.
    func trimDecided(keep: Int) { book.trim(keepDecided: keep) }

    /// Stages the records of approval steps the plant took by itself; executions wait for the commit.
    private func stage(_ effects: [ApprovalEffect]) {
        for effect in effects {
            switch effect {
            case let .record(kind, actor, change):
                let (entry, event) = record(kind, actor, change)
                trail.stage(entry, announcing: event)
                if let write = sharedWrite(kind, change, in: book, known: &sharedApprovals) { trail.stage(write: write) }
                noteEnded(change)
            case let .execute(proposal):
                readyToExecute.append(proposal)
            }
        }
    }

    /// The record and event of one approval step, and the time it took when it ended the approval.
    func record(_ kind: AuditKind, _ actor: AuditActor, _ change: ApprovalChange, in book: ApprovalBook? = nil) -> (AuditEntry, EventEnvelope) {
        let book = book ?? self.book
        guard let approval = book[change.approvalID] else {
            return (entry(kind, actor, change, correlation: CorrelationID(change.approvalID)),
                    events.stamp(cell: -1, .approval(change)))
        }
        let correlation = approval.proposal.correlationID
        let entry: AuditEntry
        if kind == .approvalRequested {
            entry = self.entry(kind, actor, ApprovalRequestRecord(proposal: approval.proposal, decision: approval.decision,
                                                                  requestedAt: approval.requestedAt, deadline: approval.deadline, change: change),
                               correlation: correlation)
        } else {
            entry = self.entry(kind, actor, change, correlation: correlation)
        }
        return (entry, events.stamp(target: approval.proposal.target, .approval(change), correlation: correlation))
    }

    /// Counts how long an approval waited, once a change that ended it has taken effect.
    func noteEnded(_ change: ApprovalChange) {
        guard change.state.isFinal, let approval = book[change.approvalID], let decidedAt = approval.decidedAt else { return }
        tally.timeToDecision.append(decidedAt - approval.requestedAt)
    }

    // MARK: Execution

    /// True when decided actions wait for their decision's commit.
    var hasReadyActions: Bool { !readyToExecute.isEmpty }

    /// Commits what is staged (synced when actions wait on it) and then executes the actions it authorises. When the
    /// store refuses the commit, nothing that needs a record runs, except a safety interlock's hold: holding a cell
    /// is the safe direction, so it runs and its records stay staged until the store takes them.
    func commitAndExecute() {
        let needsSync = !readyToExecute.isEmpty
        if trail.commit(sync: needsSync) {
            guard needsSync else { return }
            executeReady()
            trail.commit()
        } else {
            withholdReady()
        }
    }

    /// Executes what was decided; the caller has committed the decisions.
    private func executeReady() {
        let ready = readyToExecute
        readyToExecute.removeAll()
        for proposal in ready { execute(proposal) }
    }

    private func execute(_ proposal: Proposal) {
        let (execution, detail) = executor.execute(proposal, on: twin)
        if execution.applied { tally.executed += 1 }
        trail.stage(entry(.actionExecuted, .system, ActionRecord(execution: execution, detail: detail), correlation: proposal.correlationID),
                    announcing: events.stamp(target: proposal.target, .action(execution), correlation: proposal.correlationID))
    }

    /// The store refused the commit that would authorise the ready actions: safety holds run anyway, the rest does not.
    private func withholdReady() {
        let ready = readyToExecute
        readyToExecute.removeAll()
        for proposal in ready {
            if proposal.isSafetyHold {
                tally.safetyHoldsUnrecorded += 1
                // Its records (and all staged before them) go to the fallback journal, fsynced, before and after it runs.
                trail.journalStaged()
                execute(proposal)
                trail.journalStaged()
                trail.announce(events.stamp(cell: -1, .notice(kind: "audit", message: "safety hold of \(proposal.target) ran; its record waits for the audit store"),
                                            correlation: proposal.correlationID))
                continue
            }
            tally.notExecutedAuditDown += 1
            // Its decision is staged and will be on record: the key is spent, so it can never run later by surprise.
            executor.spend(proposal.idempotencyKey, at: twin.time)
            trail.announce(events.stamp(cell: -1, .notice(kind: "audit", message: "\(proposal.action.rawValue) of \(proposal.target) not executed: audit store failing"),
                                        correlation: proposal.correlationID))
        }
    }

    // MARK: Views

    /// Idempotency keys applied (or claimed by a committed decision) so far.
    var appliedKeys: Set<String> { executor.appliedKeys }

    /// The policy's version, when there is one.
    var policyVersion: String? { judge?.version }
}

extension Proposal {
    /// A safety interlock's hold on a hard limit: it runs under the kill switch and when it cannot be recorded at once.
    var isSafetyHold: Bool { action == .holdCell && agentKind == .safety }
}
