import AndonCore
import Foundation

/// What the audit log says about earlier runs: enough to continue without losing a decision or running an action
/// twice. Built from the latest saved state (``AuditRecoveryPoint``) and the records after it, so a start costs the
/// same however long the log is; saved again at each of the trail's checkpoints.
public struct Recovery: Sendable, Codable {
    /// Runs recorded so far (this run is `runs + 1`).
    public var runs = 0
    /// The latest simulated time on record; the next run's clock continues from here.
    public var lastSimTime: SimTime = 0
    /// Approvals still pending, with their original deadlines and signatures.
    public var pending: [Approval] = []
    /// Keys of actions that ran, or that a committed decision authorised to run, with the simulated time they were
    /// spent: never run again. Kept for ``keyRetentionSeconds``, so the state stays flat in the log's length.
    public var spentKeys: [String: SimTime] = [:]
    /// Whether the kill switch was left on.
    public var isKillSwitchOn = false
    /// Agents left in shadow by their own switch.
    public var shadowedAgents: Set<String> = []
    /// Console takeovers on record: for each person, everyone who acted at their console before them.
    public var consoleHandovers: [String: Set<String>] = [:]
    /// Records read to rebuild this state (not counting those summed up in a saved state).
    public var records = 0
    /// The wall time of the last record, when there is one: how long the runtime was down.
    public var lastWallTime: String?
    /// The head of the log this state was read from (sequence and hash), when the store tells: put on record in the
    /// next `run_started` and in the run's report.
    public var headSequence: Int64 = 0
    /// The hash of that head.
    public var headHash: String?

    /// How long a spent key is remembered (simulated seconds): agents' keys carry their episode's start, so a key
    /// older than a week can not come back.
    public static let keyRetentionSeconds: SimTime = 7 * 24 * 3600

    /// Nothing recovered.
    public init() {}

    /// Keys spent so far.
    public var appliedKeys: Set<String> { Set(spentKeys.keys) }

    private enum CodingKeys: String, CodingKey {
        case runs, lastSimTime, pending, spentKeys, isKillSwitchOn, shadowedAgents, consoleHandovers
    }

    /// Rebuilds the state from every record, in sequence order (tests, and stores without a saved state).
    public static func replay(_ records: [AuditRecord]) throws(RecoveryError) -> Recovery {
        try replay(AuditRecoveryPoint(state: nil, stateSequence: 0, records: records, lastWallTime: records.last?.wallTime))
    }

    /// Rebuilds the state from a store's recovery point: its saved state, then every record after it. Throws, naming
    /// the record, when a record or the saved state cannot be understood: a log that cannot be read completely is
    /// never taken for an empty one.
    public static func replay(_ point: AuditRecoveryPoint) throws(RecoveryError) -> Recovery {
        var recovery = Recovery()
        if let state = point.state {
            do {
                recovery = try JSONDecoder().decode(Recovery.self, from: Data(state.utf8))
            } catch {
                throw RecoveryError(sequence: point.stateSequence, reason: "the saved recovery state cannot be read (\(error))")
            }
        }
        var replay = Replay(recovery: recovery)
        for record in point.records { try replay.apply(record) }
        var result = replay.finish()
        result.lastWallTime = point.lastWallTime
        if let head = point.head {
            result.headSequence = head.sequence
            result.headHash = head.hash
        }
        return result
    }

    /// The simulated time a new run continues from. A live run (`liveSpeed`: simulated seconds per real second) adds the
    /// wall time the runtime was down, so deadlines are wall-clock facts: what expired meanwhile expires at start, on
    /// record. A run in virtual time (headless) continues where the log stopped.
    public func continuationTime(liveSpeed: Double?, now: Date = Date()) -> SimTime {
        guard let speed = liveSpeed, let text = lastWallTime,
              let last = try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text) else { return lastSimTime.rounded(.down) }
        return (lastSimTime + max(0, now.timeIntervalSince(last)) * speed).rounded(.down)
    }

    /// This state as the store keeps it.
    public func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Why a log could not be replayed: which record, and what is wrong with it.
public struct RecoveryError: Error, Sendable, CustomStringConvertible {
    /// The record's sequence (the saved state's, for a state that cannot be read).
    public var sequence: Int64
    /// What is wrong.
    public var reason: String

    /// The sentence an operator reads.
    public var description: String { "audit record #\(sequence) cannot be read: \(reason)" }
}

/// One pass over records in sequence order, on top of a saved state.
private struct Replay {
    var recovery: Recovery
    private var approvals: [String: Approval]
    private var order: [String]
    private var keysByProposal: [String: String] = [:]
    private let decoder = JSONDecoder()

    init(recovery: Recovery) {
        self.recovery = recovery
        approvals = Dictionary(uniqueKeysWithValues: recovery.pending.map { ($0.proposal.id, $0) })
        order = recovery.pending.map(\.proposal.id)
    }

    private func decode<T: Decodable>(_ type: T.Type, _ record: AuditRecord) throws(RecoveryError) -> T {
        do {
            return try decoder.decode(type, from: Data(record.payload.utf8))
        } catch {
            throw RecoveryError(sequence: record.sequence, reason: "its \(record.kind.rawValue) payload is not what this version writes (\(error))")
        }
    }

    private mutating func spend(_ key: String, at time: SimTime) {
        recovery.spentKeys[key] = time
    }

    mutating func apply(_ record: AuditRecord) throws(RecoveryError) {
        recovery.records += 1
        recovery.lastSimTime = max(recovery.lastSimTime, record.simTime)
        switch record.kind {
        case .runStarted:
            recovery.runs += 1
        case .proposal:
            let proposal = try decode(Proposal.self, record)
            if !proposal.isShadow { keysByProposal[proposal.id] = proposal.idempotencyKey }
        case .decision:
            // An allowed decision is committed before its action runs: once it is on record the key is spent,
            // whether or not the action's own record made it (write-ahead: at most once).
            let decision = try decode(Decision.self, record)
            if decision.outcome == .allow, !decision.isShadow, let key = keysByProposal[decision.proposalID] { spend(key, at: record.simTime) }
        case .approvalRequested:
            let request = try decode(ApprovalRequestRecord.self, record)
            var approval = Approval(proposal: request.proposal, decision: request.decision, requestedAt: request.requestedAt,
                                    deadline: request.deadline, roles: request.decision.requirement?.roles ?? [.supervisor])
            approval.state = .pending
            approvals[request.proposal.id] = approval
            order.append(request.proposal.id)
        case .approvalSigned:
            let change = try decode(ApprovalChange.self, record)
            guard let person = change.actor else {
                throw RecoveryError(sequence: record.sequence, reason: "a signature without the person who gave it")
            }
            approvals[change.approvalID]?.signatures.append(ApprovalSignature(person: person, at: record.simTime))
        case .approvalEscalated:
            let change = try decode(ApprovalChange.self, record)
            guard var approval = approvals[change.approvalID] else { return }
            approval.isEscalated = true
            if let role = approval.decision.requirement?.escalation?.role, !approval.roles.contains(role) { approval.roles.append(role) }
            approvals[change.approvalID] = approval
        case .approvalApproved, .approvalRejected, .approvalExpired, .approvalWithdrawn:
            let change = try decode(ApprovalChange.self, record)
            guard var approval = approvals[change.approvalID] else { return }
            approval.state = change.state
            approval.outcome = change.detail
            approval.decidedAt = record.simTime
            approval.decidedBy = change.actor
            approvals[change.approvalID] = approval
            let runsOnTimeout = change.state == .expired && approval.decision.requirement?.onTimeout == .approve
            if change.state == .approved || runsOnTimeout { spend(approval.proposal.idempotencyKey, at: record.simTime) }
        case .actionExecuted:
            let action = try decode(ActionRecord.self, record)
            if action.execution.applied { spend(action.execution.idempotencyKey, at: record.simTime) }
        case .modeChange:
            let change = try decode([String: String].self, record)
            guard let agent = change["agent"] else { throw RecoveryError(sequence: record.sequence, reason: "a mode change without its agent") }
            let on = change["on"] == "true"
            if agent == "*" {
                recovery.isKillSwitchOn = on
            } else if on {
                recovery.shadowedAgents.insert(agent)
            } else {
                recovery.shadowedAgents.remove(agent)
            }
        case .operatorCommand:
            let command = try decode([String: String].self, record)
            guard command["command"] == OperatorCommand.takeOver(from: "").verb, let previous = command["from"], previous != record.actor.name else { return }
            var earlier = recovery.consoleHandovers[previous] ?? []
            earlier.insert(previous)
            earlier.remove(record.actor.name)
            recovery.consoleHandovers[record.actor.name, default: []].formUnion(earlier)
        case .stateChange, .alarm, .policyReload, .checkpoint, .agentRequest:
            break
        }
    }

    func finish() -> Recovery {
        var result = recovery
        result.pending = order.compactMap { approvals[$0] }.filter { $0.state == .pending }
        let oldest = result.lastSimTime - Recovery.keyRetentionSeconds
        result.spentKeys = result.spentKeys.filter { $0.value >= oldest }
        return result
    }
}

extension GovernanceDesk {
    /// Takes over what an earlier run left: pending approvals with their deadlines, spent keys, the kill switch and
    /// each agent's own switch, and who took over whose console.
    func restore(_ recovery: Recovery) {
        for approval in recovery.pending { book.restore(approval) }
        executor.remember(recovery.spentKeys)
        isKillSwitchOn = recovery.isKillSwitchOn
        shadowedAgents = recovery.shadowedAgents
        consoleHandovers = recovery.consoleHandovers
    }

    /// The state a restart needs, as of now (everything committed is reflected in it).
    func recoveryState(runs: Int, time: SimTime) -> Recovery {
        var state = Recovery()
        state.runs = runs
        state.lastSimTime = time
        state.pending = book.pending
        let oldest = time - Recovery.keyRetentionSeconds
        state.spentKeys = executor.spentKeys.filter { $0.value >= oldest }
        state.isKillSwitchOn = isKillSwitchOn
        state.shadowedAgents = shadowedAgents
        state.consoleHandovers = consoleHandovers
        return state
    }
}
