import AndonCore
import Foundation

/// What the audit log says about earlier runs: enough to continue without losing a decision or running
/// an action twice.
public struct Recovery: Sendable {
    /// Runs recorded so far (this run is `runs + 1`).
    public var runs = 0
    /// The latest simulated time on record; the next run's clock continues from here.
    public var lastSimTime: SimTime = 0
    /// Approvals still pending, with their original deadlines.
    public var pending: [Approval] = []
    /// Keys of actions that ran, or that a committed decision authorised to run: never run again.
    public var appliedKeys: Set<String> = []
    /// Whether the kill switch was left on.
    public var isKillSwitchOn = false
    /// Agents left in shadow by their own switch.
    public var shadowedAgents: Set<String> = []
    /// Console takeovers on record: for each person, everyone who acted at their console before them.
    public var consoleHandovers: [String: Set<String>] = [:]
    /// Records read.
    public var records = 0

    /// Nothing recovered.
    public init() {}

    /// Rebuilds the state from every record, in sequence order.
    public static func replay(_ records: [AuditRecord]) -> Recovery {
        var recovery = Recovery()
        var approvals: [String: Approval] = [:]
        var order: [String] = []
        var keysByProposal: [String: String] = [:]
        let decoder = JSONDecoder()
        func decode<T: Decodable>(_ type: T.Type, _ record: AuditRecord) -> T? {
            try? decoder.decode(type, from: Data(record.payload.utf8))
        }
        for record in records {
            recovery.records += 1
            recovery.lastSimTime = max(recovery.lastSimTime, record.simTime)
            switch record.kind {
            case .runStarted:
                recovery.runs += 1
            case .proposal:
                guard let proposal = decode(Proposal.self, record), !proposal.isShadow else { continue }
                keysByProposal[proposal.id] = proposal.idempotencyKey
            case .decision:
                // An allowed decision is committed before its action runs: once it is on record the key is spent,
                // whether or not the action's own record made it (write-ahead: at most once).
                guard let decision = decode(Decision.self, record), decision.outcome == .allow, !decision.isShadow,
                      let key = keysByProposal[decision.proposalID] else { continue }
                recovery.appliedKeys.insert(key)
            case .approvalRequested:
                guard let request = decode(ApprovalRequestRecord.self, record) else { continue }
                var approval = Approval(proposal: request.proposal, decision: request.decision, requestedAt: request.requestedAt,
                                        deadline: request.deadline, roles: request.decision.requirement?.roles ?? [.supervisor])
                approval.state = .pending
                approvals[request.proposal.id] = approval
                order.append(request.proposal.id)
            case .approvalSigned:
                guard let change = decode(ApprovalChange.self, record), let person = change.actor else { continue }
                approvals[change.approvalID]?.signatures.append(ApprovalSignature(person: person, at: record.simTime))
            case .approvalEscalated:
                guard let change = decode(ApprovalChange.self, record), var approval = approvals[change.approvalID] else { continue }
                approval.isEscalated = true
                if let role = approval.decision.requirement?.escalation?.role, !approval.roles.contains(role) { approval.roles.append(role) }
                approvals[change.approvalID] = approval
            case .approvalApproved, .approvalRejected, .approvalExpired, .approvalWithdrawn:
                guard let change = decode(ApprovalChange.self, record), var approval = approvals[change.approvalID] else { continue }
                approval.state = change.state
                approval.outcome = change.detail
                approval.decidedAt = record.simTime
                approval.decidedBy = change.actor
                approvals[change.approvalID] = approval
                let runsOnTimeout = change.state == .expired && approval.decision.requirement?.onTimeout == .approve
                if change.state == .approved || runsOnTimeout { recovery.appliedKeys.insert(approval.proposal.idempotencyKey) }
            case .actionExecuted:
                guard let action = decode(ActionRecord.self, record), action.execution.applied else { continue }
                recovery.appliedKeys.insert(action.execution.idempotencyKey)
            case .modeChange:
                guard let change = decode([String: String].self, record), let agent = change["agent"] else { continue }
                let on = change["on"] == "true"
                if agent == "*" {
                    recovery.isKillSwitchOn = on
                } else if on {
                    recovery.shadowedAgents.insert(agent)
                } else {
                    recovery.shadowedAgents.remove(agent)
                }
            case .operatorCommand:
                guard let command = decode([String: String].self, record), command["command"] == OperatorCommand.takeOver(from: "").verb,
                      let previous = command["from"], previous != record.actor.name else { continue }
                var earlier = recovery.consoleHandovers[previous] ?? []
                earlier.insert(previous)
                earlier.remove(record.actor.name)
                recovery.consoleHandovers[record.actor.name, default: []].formUnion(earlier)
            default:
                break
            }
        }
        recovery.pending = order.compactMap { approvals[$0] }.filter { $0.state == .pending }
        return recovery
    }
}

extension GovernanceDesk {
    /// Takes over what an earlier run left: pending approvals with their deadlines, spent keys, the kill switch and
    /// each agent's own switch, and who took over whose console.
    func restore(_ recovery: Recovery) {
        for approval in recovery.pending { book.restore(approval) }
        executor.remember(recovery.appliedKeys)
        isKillSwitchOn = recovery.isKillSwitchOn
        shadowedAgents = recovery.shadowedAgents
        consoleHandovers = recovery.consoleHandovers
    }
}
