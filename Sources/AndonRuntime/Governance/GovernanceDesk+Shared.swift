import AndonCore
import Foundation

/// Approvals kept in a shared store (``ApprovalLedger``), when the audit sink is one: every approval this runtime asks
/// for is a row there too, each of its steps a conditional write in the transaction of the records that say why;
/// people at other runtimes' consoles may decide it there, and this runtime takes their decisions as they come (and
/// runs what they approve, once, through the outbox); and its own consoles may decide other runtimes' approvals.
extension GovernanceDesk {
    /// The shared store of approvals, when the audit sink is one.
    var ledger: (any ApprovalLedger)? { trail.ledger }

    /// The id of this runtime's approval `id` in the shared store: qualified by the runtime, since each runtime numbers
    /// its proposals on its own (`line-b/p-1-5`).
    func sharedID(_ id: String) -> String {
        "\(ledger?.runtimeID ?? "")/\(id)"
    }

    /// This runtime's own id of a shared approval, or nil when it is another runtime's.
    func localID(_ sharedID: String) -> String? {
        guard let ledger, sharedID.hasPrefix(ledger.runtimeID + "/") else { return nil }
        return String(sharedID.dropFirst(ledger.runtimeID.count + 1))
    }

    /// The shared write that goes with one approval step's record in `book`, with `known` (each approval's row as
    /// last seen) moved on as the write will move the row; nil without a ledger or for a step the row does not hold.
    func sharedWrite(_ kind: AuditKind, _ change: ApprovalChange, in book: ApprovalBook, known: inout [String: SharedApproval]) -> ApprovalWrite? {
        guard let ledger, let approval = book[change.approvalID] else { return nil }
        let id = change.approvalID
        if kind == .approvalRequested {
            let now = wallNow()
            let row = SharedApproval(id: sharedID(id), runtimeID: ledger.runtimeID,
                                     action: CanonicalJSON.string(ApprovalRequestRecord(proposal: approval.proposal, decision: approval.decision,
                                                                                        requestedAt: approval.requestedAt, deadline: approval.deadline,
                                                                                        change: change)),
                                     quorum: approval.requirement.quorum,
                                     deadline: Self.wallText(now.addingTimeInterval((approval.deadline - approval.requestedAt) / max(liveSpeed, 0.001))),
                                     requestedAt: Self.wallText(now))
            known[id] = row
            return .open(row)
        }
        guard var row = known[id] ?? (try? ledger.approvals(ids: [sharedID(id)]).first) else { return nil }
        let runtime = ledger.runtimeID
        switch kind {
        case .approvalSigned:
            guard let person = change.actor else { return nil }
            row.signatures.append(SharedApproval.Signature(name: person.name, role: person.role.rawValue, runtime: runtime))
            row.state = .pending
        case .approvalApproved: row.state = .approved
        case .approvalRejected:
            guard let person = change.actor else { return nil }
            row.signatures.append(SharedApproval.Signature(name: person.name, role: person.role.rawValue, runtime: runtime, rejection: change.detail))
            row.state = .rejected
        case .approvalExpired: row.state = .expired
        case .approvalWithdrawn: row.state = .withdrawn
        default: return nil
        }
        let write = ApprovalWrite.change(id: row.id, seenVersion: row.version, state: row.state, signatures: row.signatures, claim: row.state == .approved)
        row.version += 1
        known[id] = row
        return write
    }

    /// Reads this runtime's pending approvals from the shared store and takes what people at other runtimes' consoles
    /// did to them since (signatures, an approval at quorum, a rejection), staging their records; an approval they
    /// completed is claimed from the outbox in the same commit and runs after it. Nothing happens while the store is
    /// failing: the next call catches up.
    /// Every other runtime's pending approvals are read too, for this runtime's consoles.
    func takeSharedDecisions() {
        guard let ledger else { return }
        guard trail.problem == nil else {
            // Nothing can be decided while the store refuses commits: other runtimes' approvals are not offered.
            otherRuntimesApprovals = []
            return
        }
        guard ledger.takeApprovalNews(), let rows = try? ledger.pendingApprovals() else { return }
        var others: [ApprovalSnapshot] = []
        for row in rows {
            if row.runtimeID != ledger.runtimeID {
                if let view = view(ofOthers: row) { others.append(view) }
            } else if let id = localID(row.id), row.version > (sharedApprovals[id]?.version ?? 0) {
                take(row)
            }
        }
        otherRuntimesApprovals = others
        // One that was decided elsewhere is no longer pending there: read it by id.
        let listed = Set(rows.lazy.map(\.id))
        let open = book.pending.map(\.proposal.id).filter { !listed.contains(sharedID($0)) }
        guard !open.isEmpty, let decided = try? ledger.approvals(ids: open.map(sharedID)) else { return }
        for row in decided {
            guard let id = localID(row.id), row.version > (sharedApprovals[id]?.version ?? 0) else { continue }
            take(row)
        }
    }

    /// Another runtime's pending approval as this runtime's consoles draw it: its times on this runtime's clock.
    func view(ofOthers row: SharedApproval) -> ApprovalSnapshot? {
        guard let request = try? JSONDecoder().decode(ApprovalRequestRecord.self, from: Data(row.action.utf8)),
              let requested = Self.wallDate(row.requestedAt), let deadline = Self.wallDate(row.deadline) else { return nil }
        let now = wallNow()
        let pace = max(liveSpeed, 0.001)
        let requirement = request.decision.requirement ?? ApprovalRequirement(roles: [.supervisor], timeoutSeconds: 300)
        let signatures = row.signatures.filter { $0.rejection == nil }.map { signature in
            ApprovalSignature(person: Person(name: signature.name, role: Role(rawValue: signature.role) ?? .observer), at: twin.time)
        }
        var view = ApprovalSnapshot(id: row.id, proposal: request.proposal, decision: request.decision,
                                    requestedAt: twin.time - requested.distance(to: now) * pace, deadline: twin.time + now.distance(to: deadline) * pace,
                                    state: .pending, signatures: signatures, isEscalated: false, roles: requirement.roles, outcome: nil)
        view.runtime = row.runtimeID
        return view
    }

    /// Takes `row`, the shared approval as it stands after a change made elsewhere.
    func take(_ row: SharedApproval) {
        guard let ledger, let id = localID(row.id) else { return }
        sharedApprovals[id] = row
        guard let approval = book[id] else { return }
        if approval.state.isFinal, approval.state != .approved, row.state == .approved {
            // Approved elsewhere while it ended here (an expiry raced the last signature): the end here stands, and the
            // action is claimed so that it never runs later by surprise.
            trail.stage(write: .claim(id: row.id))
            trail.announce(events.stamp(cell: -1, .notice(kind: "approval", message: "approval \(row.id) was approved at another runtime after it had "
                                                                                     + "\(approval.state.rawValue) here; not executed")))
            return
        }
        let here = Set(approval.signatures.map(\.person.name))
        let arrivals = row.signatures.filter { $0.runtime != ledger.runtimeID && !here.contains($0.name) }.map { signature in
            SharedArrival(person: Person(name: signature.name, role: Role(rawValue: signature.role) ?? .observer), runtime: signature.runtime,
                          rejection: signature.rejection)
        }
        for effect in book.adopt(id, arrivals: arrivals, now: twin.time) {
            switch effect {
            case let .record(kind, actor, change):
                let (entry, event) = record(kind, actor, change)
                trail.stage(entry, announcing: event)
                noteEnded(change)
            case let .execute(proposal):
                // Claimed before it runs, in the commit of its records: a second claim (after a restart, or by the
                // runtime that took the line over) loses, so it runs once.
                trail.stage(write: .claim(id: row.id))
                readyToExecute.append(proposal)
            }
        }
    }

    /// A write of this runtime lost to a change made elsewhere: what was to run on it does not, and the approval is
    /// taken as it stands.
    func lostShared(_ lost: ApprovalWriteLost) {
        guard let id = localID(lost.approvalID) else { return }
        readyToExecute.removeAll { $0.id == id }
        sharedApprovals[id] = nil
        if let current = lost.current { take(current) }
    }

    /// A person at this runtime's console decides another runtime's approval, read from the shared store: checked
    /// against what its rule requires (roles, four-eyes, a signature, a reason, the deadline), put on record here and
    /// written to the shared row in one transaction only if nobody changed it since it was read. Its own runtime takes
    /// the decision from there and runs what it approves. Nil when there is no such approval in the shared store.
    func decideShared(_ command: OperatorCommand, id: String, by person: Person, signature: SignatureCheck?) -> CommandResult? {
        guard let ledger else { return nil }
        let found: SharedApproval?
        do {
            found = try ledger.approvals(ids: [id]).first
        } catch {
            return refuse(command, person, "not done: the shared approvals cannot be read (\(error))")
        }
        guard let row = found, row.runtimeID != ledger.runtimeID else { return nil }
        guard let request = try? JSONDecoder().decode(ApprovalRequestRecord.self, from: Data(row.action.utf8)) else {
            return refuse(command, person, "approval \(id) of runtime \(row.runtimeID) cannot be read here")
        }
        let requirement = request.decision.requirement ?? ApprovalRequirement(roles: [.supervisor], timeoutSeconds: 300)
        let what = "\(request.proposal.action.rawValue) of \(request.proposal.target)"
        guard row.state == .pending else {
            let names = row.signatures.map { "\($0.name) at \($0.runtime)" }.joined(separator: ", ")
            return refuse(command, person, "approval \(id) of runtime \(row.runtimeID) is \(row.state.rawValue) already\(names.isEmpty ? "" : " (\(names))")")
        }
        if let deadline = Self.wallDate(row.deadline), wallNow() >= deadline {
            return refuse(command, person, "approval \(id) of runtime \(row.runtimeID) expired at \(row.deadline); decisions are no longer accepted")
        }
        guard requirement.roles.contains(person.role) else {
            return refuse(command, person, "refused: \(person.role.rawValue)s may not decide this; it needs \(requirement.roles.map(\.rawValue).joined(separator: " or "))")
        }
        let here = ledger.runtimeID
        var signatures = row.signatures
        var transaction = AuditTransaction()
        let correlation = request.proposal.correlationID
        func add(_ kind: AuditKind, _ change: ApprovalChange) {
            transaction.record(entry(kind, .person(person), change, correlation: correlation),
                               announcing: events.stamp(cell: -1, .approval(change), correlation: correlation))
        }
        let state: SharedApproval.State
        let message: String
        switch command {
        case let .reject(_, reason):
            let trimmed = reason.trimmingCharacters(in: .whitespaces)
            if requirement.reasonRequired, trimmed.isEmpty { return refuse(command, person, "refused: rejecting \(id) needs a reason") }
            let detail = "rejected \(what) of runtime \(row.runtimeID) as \(person.role.rawValue)\(trimmed.isEmpty ? "" : ": \(trimmed)")"
            signatures.append(SharedApproval.Signature(name: person.name, role: person.role.rawValue, runtime: here, rejection: trimmed))
            add(.approvalRejected, ApprovalChange(approvalID: id, state: .rejected, detail: detail, actor: person))
            state = .rejected
            message = "rejected \(what) of runtime \(row.runtimeID) as \(person.role.rawValue)"
        case .approve, .sign:
            var signed = false
            if case .sign = command {
                if let refusal = signatureRefusal(command, by: person, signature) { return refusal }
                signed = true
            } else if requirement.signatureRequired {
                return refuse(command, person, "refused: approving \(id) needs \(person.name)'s signature (their signing passphrase)")
            }
            let sameHands = (consoleHandovers[person.name] ?? []).union([person.name])
            if requirement.distinct, let earlier = signatures.first(where: { sameHands.contains($0.name) }) {
                return refuse(command, person, earlier.name == person.name
                              ? "refused: \(person.name) has already approved \(id); four-eyes needs a different person"
                              : "refused: \(person.name) took over this console from \(earlier.name), who has already approved \(id); "
                                + "four-eyes needs a second person at a console of their own")
            }
            signatures.append(SharedApproval.Signature(name: person.name, role: person.role.rawValue, runtime: here))
            let approvals = signatures.filter { $0.rejection == nil }.count
            let progress = "\(approvals)/\(requirement.quorum)"
            let meaning = signed ? " (signed)" : ""
            add(.approvalSigned, ApprovalChange(approvalID: id, state: .pending,
                                                detail: "approved by \(person.label)\(signed ? ", signed" : "") for runtime \(row.runtimeID), \(progress)",
                                                actor: person))
            if approvals >= requirement.quorum {
                state = .approved
                add(.approvalApproved, ApprovalChange(approvalID: id, state: .approved,
                                                      detail: "approved \(what) as \(person.role.rawValue)\(meaning) (\(progress)); it runs at runtime \(row.runtimeID)",
                                                      actor: person))
                message = "approved \(what) as \(person.role.rawValue)\(meaning); it runs at runtime \(row.runtimeID)"
            } else {
                state = .pending
                message = "approval \(progress)\(meaning) for \(what) of runtime \(row.runtimeID) recorded; waiting for \(requirement.quorum - approvals) more"
            }
        default:
            return nil
        }
        transaction.write(.change(id: id, seenVersion: row.version, state: state, signatures: signatures, claim: false))
        return carryOut(command, by: person, outcome: message, transaction: transaction) {}
    }

    /// `date` as the shared store writes wall times (ISO 8601, UTC, milliseconds), which sort in time order.
    static func wallText(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// The instant a wall time in the shared store names.
    static func wallDate(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text)
    }
}

extension OperatorCommand {
    /// The approval an approval decision is about.
    var approvalID: String? {
        switch self {
        case let .approve(id), let .sign(id, _), let .reject(id, _): id
        default: nil
        }
    }
}
