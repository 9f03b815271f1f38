import AndonCore

/// One approval's full record.
public struct Approval: Sendable, Hashable, Codable {
    /// What is asked.
    public var proposal: Proposal
    /// The decision that asked for it.
    public var decision: Decision
    /// When it was requested.
    public var requestedAt: SimTime
    /// When it expires.
    public var deadline: SimTime
    /// Lifecycle state.
    public var state: ApprovalState = .pending
    /// Approvals so far.
    public var signatures: [ApprovalSignature] = []
    /// True once escalated.
    public var isEscalated = false
    /// Who may decide now.
    public var roles: [Role]
    /// How it ended, in words.
    public var outcome: String?
    /// When it ended.
    public var decidedAt: SimTime?
    /// The person who ended it, if a person did.
    public var decidedBy: Person?
    /// True when it was restored from the audit log after a restart: asked about a plant of an earlier run.
    public var isFromEarlierRun = false

    var requirement: ApprovalRequirement { decision.requirement ?? ApprovalRequirement(roles: [.supervisor], timeoutSeconds: 300) }

    /// When time alone next changes it: its deadline, or its escalation while it has not escalated.
    var due: SimTime {
        guard let escalation = requirement.escalation, !isEscalated else { return deadline }
        return min(deadline, requestedAt + escalation.afterSeconds)
    }

    /// The view front ends draw.
    public var snapshot: ApprovalSnapshot {
        var snapshot = ApprovalSnapshot(id: proposal.id, proposal: proposal, decision: decision, requestedAt: requestedAt, deadline: deadline,
                                        state: state, signatures: signatures, isEscalated: isEscalated, roles: roles, outcome: outcome)
        snapshot.isFromEarlierRun = isFromEarlierRun
        return snapshot
    }
}

/// A signature (or a rejection) given at another runtime's console, as the shared store holds it.
public struct SharedArrival: Sendable, Hashable {
    /// Who, as the runtime they used knew them.
    public var person: Person
    /// The runtime whose console it was.
    public var runtime: String
    /// Set for a rejection: the reason ("" for none).
    public var rejection: String?

    /// Creates an arrival.
    public init(person: Person, runtime: String, rejection: String? = nil) {
        self.person = person
        self.runtime = runtime
        self.rejection = rejection
    }
}

/// What an approval step asks the runtime to do, in order: record first, then execute.
public enum ApprovalEffect: Sendable, Hashable {
    /// Commit an audit entry (and publish it as an event).
    case record(AuditKind, actor: AuditActor, change: ApprovalChange)
    /// Carry out the proposal.
    case execute(Proposal)
}

/// Pending and decided approvals as a pure state machine: every step returns the effects to carry out,
/// and nothing here does I/O, so it can be tried on a copy and adopted only once its records are committed.
public struct ApprovalBook: Sendable {
    private(set) var approvals: [String: Approval] = [:]
    /// Ids in request order.
    private(set) var order: [String] = []
    /// Ids that were pending when last looked at, in request order: what ``advance(to:)`` walks when one is due,
    /// rather than every approval kept.
    private var open: [String] = []
    /// The earliest time at which ``advance(to:)`` has something to do (an open approval's deadline, or its
    /// escalation): before it, a tick does not look at the approvals at all.
    private var nextDue: SimTime = .infinity
    private var byKey: [String: String] = [:]

    /// An empty book.
    public init() {}

    /// The approval with this id.
    public subscript(id: String) -> Approval? { approvals[id] }

    /// Pending approvals in request order.
    public var pending: [Approval] { order.compactMap { approvals[$0] }.filter { $0.state == .pending } }

    /// Every approval in request order.
    public var all: [Approval] { order.compactMap { approvals[$0] } }

    /// True when an approval of `action` on `target` is pending.
    public func hasPending(target: String, action: ActionKind) -> Bool {
        open.contains { id in approvals[id].map { $0.state == .pending && $0.proposal.target == target && $0.proposal.action == action } ?? false }
    }

    /// The approval for an idempotency key, if one was requested.
    public func approval(forKey key: String) -> Approval? { byKey[key].flatMap { approvals[$0] } }

    /// Opens an approval for a proposal the policy sent to people.
    public mutating func request(_ proposal: Proposal, decision: Decision, now: SimTime) -> [ApprovalEffect] {
        let requirement = decision.requirement ?? ApprovalRequirement(roles: [.supervisor], timeoutSeconds: 300)
        let approval = Approval(proposal: proposal, decision: decision, requestedAt: now, deadline: now + requirement.timeoutSeconds, roles: requirement.roles)
        approvals[proposal.id] = approval
        order.append(proposal.id)
        open.append(proposal.id)
        nextDue = min(nextDue, approval.due)
        byKey[proposal.idempotencyKey] = proposal.id
        let needs = "\(requirement.quorum) of \(requirement.roles.map(\.rawValue).joined(separator: "/"))\(requirement.distinct ? ", four-eyes" : "")"
        return [.record(.approvalRequested, actor: .system,
                        change: ApprovalChange(approvalID: proposal.id, state: .pending, detail: "needs \(needs) within \(TimeText.duration(requirement.timeoutSeconds))"))]
    }

    /// Restores an approval from the audit log, keeping its original deadline, marked as asked in an earlier run.
    public mutating func restore(_ approval: Approval) {
        var approval = approval
        approval.isFromEarlierRun = true
        approvals[approval.proposal.id] = approval
        if !order.contains(approval.proposal.id) { order.append(approval.proposal.id) }
        if approval.state == .pending {
            if !open.contains(approval.proposal.id) { open.append(approval.proposal.id) }
            nextDue = min(nextDue, approval.due)
        }
        byKey[approval.proposal.idempotencyKey] = approval.proposal.id
    }

    /// Why a person may not decide an approval, or nil when they may.
    func refusal(_ approval: Approval, person: Person, now: SimTime) -> String? {
        if approval.state != .pending { return alreadyDecided(approval) }
        if now >= approval.deadline { return "approval \(approval.proposal.id) expired at \(TimeText.clock(approval.deadline)); decisions are no longer accepted" }
        if !approval.roles.contains(person.role) {
            return "refused: \(person.role.rawValue)s may not decide this; it needs \(approval.roles.map(\.rawValue).joined(separator: " or "))"
        }
        return nil
    }

    private func alreadyDecided(_ approval: Approval) -> String {
        let at = approval.decidedAt.map { TimeText.clock($0) } ?? "?"
        switch approval.state {
        case .approved:
            let names = approval.signatures.map(\.person.name).joined(separator: " and ")
            return "already approved by \(names) at \(at)"
        case .rejected: return "already rejected by \(approval.decidedBy?.name ?? "?") at \(at)"
        case .expired: return "approval \(approval.proposal.id) expired at \(at); decisions are no longer accepted"
        case .withdrawn: return "already withdrawn by \(approval.proposal.agentID) at \(at)"
        case .pending: return "still pending"
        }
    }

    /// A person approves; at quorum the approval closes and the proposal executes.
    /// `sameHands` are the people who acted at `person`'s console before they took it over: for four-eyes, their
    /// signatures are `person`'s own.
    /// `signed`: the person gave their signing passphrase and the runtime checked it; an approval whose rule requires
    /// a signature is refused without one.
    public mutating func approve(_ id: String, by person: Person, now: SimTime, sameHandsAs sameHands: Set<String> = [],
                                 signed: Bool = false) -> (CommandResult, [ApprovalEffect]) {
        guard var approval = approvals[id] else { return (.refused("no approval \(id)"), []) }
        if let refusal = refusal(approval, person: person, now: now) { return (.refused(refusal), []) }
        let requirement = approval.requirement
        if requirement.signatureRequired, !signed {
            return (.refused("refused: approving \(id) needs \(person.name)'s signature (their signing passphrase)"), [])
        }
        if requirement.distinct, approval.signatures.contains(where: { $0.person.name == person.name }) {
            return (.refused("refused: \(person.name) has already approved \(id); four-eyes needs a different person"), [])
        }
        if requirement.distinct, let earlier = approval.signatures.first(where: { sameHands.contains($0.person.name) }) {
            return (.refused("refused: \(person.name) took over this console from \(earlier.person.name), who has already approved \(id); "
                             + "four-eyes needs a second person at a console of their own"), [])
        }
        approval.signatures.append(ApprovalSignature(person: person, at: now, isSigned: signed))
        let progress = "\(approval.signatures.count)/\(requirement.quorum)"
        let what = "\(approval.proposal.action.rawValue) of \(approval.proposal.target)"
        // What the signature meant, in the record itself (21 CFR 11.50): who, as what, approving what.
        let meaning = signed ? " (signed)" : ""
        var effects: [ApprovalEffect] = [.record(.approvalSigned, actor: .person(person),
                                                  change: ApprovalChange(approvalID: id, state: .pending,
                                                                         detail: "approved by \(person.label)\(signed ? ", signed" : ""), \(progress)",
                                                                         actor: person))]
        let result: CommandResult
        if approval.signatures.count >= requirement.quorum {
            approval.state = .approved
            approval.decidedAt = now
            approval.decidedBy = person
            approval.outcome = "approved \(what) as \(person.role.rawValue)\(meaning) (\(progress))"
            effects.append(.record(.approvalApproved, actor: .person(person), change: ApprovalChange(approvalID: id, state: .approved, detail: approval.outcome!, actor: person)))
            effects.append(.execute(approval.proposal))
            result = .accepted("approved \(what) as \(person.role.rawValue)\(meaning)")
        } else {
            result = .accepted("approval \(progress)\(meaning) for \(what) recorded; waiting for \(requirement.quorum - approval.signatures.count) more")
        }
        approvals[id] = approval
        return (result, effects)
    }

    /// An authorised person rejects; that ends the approval.
    public mutating func reject(_ id: String, by person: Person, reason: String, now: SimTime) -> (CommandResult, [ApprovalEffect]) {
        guard var approval = approvals[id] else { return (.refused("no approval \(id)"), []) }
        if let refusal = refusal(approval, person: person, now: now) { return (.refused(refusal), []) }
        let trimmed = reason.trimmingCharacters(in: .whitespaces)
        if approval.requirement.reasonRequired, trimmed.isEmpty {
            return (.refused("refused: rejecting \(id) needs a reason"), [])
        }
        approval.state = .rejected
        approval.decidedAt = now
        approval.decidedBy = person
        let what = "\(approval.proposal.action.rawValue) of \(approval.proposal.target)"
        approval.outcome = "rejected \(what) as \(person.role.rawValue)\(trimmed.isEmpty ? "" : ": \(trimmed)")"
        approvals[id] = approval
        return (.accepted("rejected \(what) as \(person.role.rawValue)"),
                [.record(.approvalRejected, actor: .person(person), change: ApprovalChange(approvalID: id, state: .rejected, detail: approval.outcome!, actor: person))])
    }

    /// Signatures and a decision given at another runtime's console, read from the shared store: each new signature
    /// and the end it brought (approved at quorum, or rejected) become this book's own steps, with their records. An
    /// approval that has ended here already takes nothing.
    public mutating func adopt(_ id: String, arrivals: [SharedArrival], now: SimTime) -> [ApprovalEffect] {
        guard var approval = approvals[id], approval.state == .pending else { return [] }
        let requirement = approval.requirement
        let what = "\(approval.proposal.action.rawValue) of \(approval.proposal.target)"
        var effects: [ApprovalEffect] = []
        for arrival in arrivals where approval.state == .pending {
            let person = arrival.person
            if let reason = arrival.rejection {
                approval.state = .rejected
                approval.decidedAt = now
                approval.decidedBy = person
                approval.outcome = "rejected \(what) as \(person.role.rawValue) at runtime \(arrival.runtime)\(reason.isEmpty ? "" : ": \(reason)")"
                effects.append(.record(.approvalRejected, actor: .person(person),
                                       change: ApprovalChange(approvalID: id, state: .rejected, detail: approval.outcome!, actor: person)))
                continue
            }
            approval.signatures.append(ApprovalSignature(person: person, at: now))
            let progress = "\(approval.signatures.count)/\(requirement.quorum)"
            effects.append(.record(.approvalSigned, actor: .person(person),
                                   change: ApprovalChange(approvalID: id, state: .pending,
                                                          detail: "approved by \(person.label) at runtime \(arrival.runtime), \(progress)", actor: person)))
            if approval.signatures.count >= requirement.quorum {
                approval.state = .approved
                approval.decidedAt = now
                approval.decidedBy = person
                approval.outcome = "approved \(what) as \(person.role.rawValue) at runtime \(arrival.runtime) (\(progress))"
                effects.append(.record(.approvalApproved, actor: .person(person),
                                       change: ApprovalChange(approvalID: id, state: .approved, detail: approval.outcome!, actor: person)))
                effects.append(.execute(approval.proposal))
            }
        }
        approvals[id] = approval
        return effects
    }

    /// The agent's condition cleared before anyone decided.
    public mutating func withdraw(key: String, now: SimTime) -> [ApprovalEffect] {
        guard let id = byKey[key], var approval = approvals[id], approval.state == .pending else { return [] }
        approval.state = .withdrawn
        approval.decidedAt = now
        approval.outcome = "withdrawn by \(approval.proposal.agentID): condition cleared"
        approvals[id] = approval
        return [.record(.approvalWithdrawn, actor: .agent(approval.proposal.agentID), change: ApprovalChange(approvalID: id, state: .withdrawn, detail: approval.outcome!))]
    }

    /// Applies deadlines and escalations due at `now`.
    public mutating func advance(to now: SimTime) -> [ApprovalEffect] {
        guard now >= nextDue else { return [] }
        var effects: [ApprovalEffect] = []
        // Approvals decided since the last walk (signed, rejected, withdrawn) leave the open list here.
        open.removeAll { approvals[$0]?.state != .pending }
        nextDue = .infinity
        for id in open {
            guard var approval = approvals[id] else { continue }
            let due = approval.due
            guard now >= due else {
                nextDue = min(nextDue, due)
                continue
            }
            let requirement = approval.requirement
            if now >= approval.deadline {
                approval.state = .expired
                approval.decidedAt = approval.deadline
                let runs = requirement.onTimeout == .approve
                approval.outcome = "expired at \(TimeText.clock(approval.deadline)) with \(approval.signatures.count)/\(requirement.quorum); timeout outcome: \(runs ? "runs" : "does not run")"
                effects.append(.record(.approvalExpired, actor: .system, change: ApprovalChange(approvalID: id, state: .expired, detail: approval.outcome!)))
                if runs { effects.append(.execute(approval.proposal)) }
            } else if let escalation = requirement.escalation, !approval.isEscalated, now >= approval.requestedAt + escalation.afterSeconds {
                approval.isEscalated = true
                if !approval.roles.contains(escalation.role) { approval.roles.append(escalation.role) }
                effects.append(.record(.approvalEscalated, actor: .system,
                                       change: ApprovalChange(approvalID: id, state: .pending, detail: "escalated to \(escalation.role.rawValue) after \(TimeText.duration(escalation.afterSeconds))")))
            }
            if approval.state == .pending { nextDue = min(nextDue, approval.due) }
            approvals[id] = approval
        }
        return effects
    }

    /// Drops decided approvals beyond the most recent `keep`, so a long run does not grow without bound. The book is
    /// walked only once it holds a quarter more than `keep`, so a long run pays for the walk now and then, not every time.
    public mutating func trim(keepDecided keep: Int) {
        guard order.count > keep + keep / 4 else { return }
        let decided = order.filter { approvals[$0]?.state.isFinal == true }
        guard decided.count > keep else { return }
        for id in decided.prefix(decided.count - keep) {
            if let key = approvals[id]?.proposal.idempotencyKey { byKey[key] = nil }
            approvals[id] = nil
        }
        order.removeAll { approvals[$0] == nil }
    }
}
