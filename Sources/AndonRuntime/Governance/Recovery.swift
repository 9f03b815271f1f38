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
    /// Keys of actions that ran (or were approved to run): never run again.
    public var appliedKeys: Set<String> = []
    /// Whether the kill switch was left on.
    public var isKillSwitchOn = false
    /// Records read.
    public var records = 0

    /// Nothing recovered.
    public init() {}

    /// Rebuilds the state from every record, in sequence order.
    public static func replay(_ records: [AuditRecord]) -> Recovery {
        var recovery = Recovery()
        var approvals: [String: Approval] = [:]
        var order: [String] = []
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
                if change.state == .approved { recovery.appliedKeys.insert(approval.proposal.idempotencyKey) }
            case .actionExecuted:
                guard let action = decode(ActionRecord.self, record) else { continue }
                recovery.appliedKeys.insert(action.execution.idempotencyKey)
            case .modeChange:
                guard let change = decode([String: String].self, record), change["agent"] == "*" else { continue }
                recovery.isKillSwitchOn = change["on"] == "true"
            default:
                break
            }
        }
        recovery.pending = order.compactMap { approvals[$0] }.filter { $0.state == .pending }
        return recovery
    }
}

extension PlantEngine {
    /// Takes over what an earlier run left: pending approvals with their deadlines, applied keys, the kill
    /// switch; and records the start of this run.
    public func start(recovering recovery: Recovery) {
        for approval in recovery.pending { book.restore(approval) }
        executor.remember(recovery.appliedKeys)
        isKillSwitchOn = recovery.isKillSwitchOn
        record(.runStarted, actor: .system,
               payload: ["run": "\(options.runNumber)", "seed": "\(options.seed)", "plant": plant.id, "start": Clock.format(twin.time),
                         "policy": judge?.version ?? "none", "recovered_pending": "\(recovery.pending.count)"],
               correlation: CorrelationID("run-\(options.runNumber)"))
        commitAudit(sync: true)
        if !recovery.pending.isEmpty {
            publish(nextEnvelope(cell: -1, body: .notice(kind: "recovery", message: "\(recovery.pending.count) pending approval\(recovery.pending.count == 1 ? "" : "s") recovered from the audit log")))
        }
    }
}
