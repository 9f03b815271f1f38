import AndonCore

extension OutsideAgents {
    /// Every outside agent as the governance desk knows agents (kind external), in plant order.
    var agentSpecs: [AgentSpec] { order.compactMap { byID[$0]?.spec.agentSpec } }
}

extension PlantEngine {
    /// Why outside agent `id` may not attach (undeclared, or off), or nil when it may.
    public func outsideRefusal(_ id: String?) -> String? {
        guard let id, !id.isEmpty else { return "an agent says which declared agent it is (agentID in its hello)" }
        guard let agent = outside.byID[id] else {
            let shown = TerminalText.printable(String(id.prefix(60)))
            let declared = outside.order.isEmpty ? "the plant declares none" : "the plant declares \(outside.order.joined(separator: ", "))"
            return "no outside agent '\(shown)' is declared in plant \(plant.id) (\(declared))"
        }
        guard agent.spec.mode != .off else { return "agent \(id) is off in the plant definition" }
        return nil
    }

    /// Answers one request of outside agent `id` (attached, so declared); proposals are judged, committed and, when
    /// allowed, executed before the answer is made.
    public func answer(_ request: AgentRequest, from id: String) -> AgentAnswer {
        guard let agent = outside.byID[id] else { return .refused(reason: outsideRefusal(id) ?? "unknown agent") }
        switch request {
        case .plant:
            return .plant(brief: brief(of: agent))
        case .cells:
            let number = read(by: id, cells: Array(twin.cells.indices))
            return .cells(read: number, cells: twin.cells.indices.map { CellView(twin.cellSnapshot($0, staleAfter: plant.staleAfterSeconds), detailed: false) })
        case let .cell(cell):
            guard let i = twin.cellIndex[cell] else { return .refused(reason: "no cell '\(TerminalText.printable(String(cell.prefix(60))))' in plant \(plant.id)") }
            let number = read(by: id, cells: [i])
            return .cell(read: number, cell: CellView(twin.cellSnapshot(i, staleAfter: plant.staleAfterSeconds), detailed: true))
        case .proposals:
            return .proposals(proposals: agent.keyOrder.suffix(50).reversed().compactMap { agent.keys[$0].map { outcome(of: $0, isReplay: false) } })
        case let .proposal(which):
            if let use = keyUse(which, of: agent) { return .outcome(outcome: outcome(of: use, isReplay: false)) }
            // Not made in this run: an approval the restart recovered, or a key an earlier run spent.
            if let approval = desk.book.approval(forKey: "\(id)/\(which)") ?? desk.book[which], approval.proposal.agentID == id {
                return .outcome(outcome: restored(approval))
            }
            if desk.appliedKeys.contains("\(id)/\(which)") {
                return .outcome(outcome: OutsideOutcome(proposalID: nil, idempotencyKey: which, action: "", target: "", state: .executed,
                                                        message: "this key was applied in an earlier run; the audit log holds its proposal"))
            }
            return .refused(reason: unknownProposal(which, of: id))
        case .approvals:
            let mine = desk.book.pending.filter { $0.proposal.agentID == id }
            return .proposals(proposals: mine.compactMap { approval in agent.keys[approval.proposal.idempotencyKey].map { outcome(of: $0, isReplay: false) } ?? restored(approval) })
        case .events:
            return .refused(reason: "events are answered by the service")
        case let .propose(sent):
            return .outcome(outcome: propose(sent, by: id))
        case let .withdraw(which):
            return withdraw(which, by: id)
        }
    }

    /// Counts how long an answer to a proposal took (request read to answer written), against the agent's budget.
    public func noteOutsideLatency(_ id: String, nanos: UInt64) {
        outside.byID[id]?.latency.record(nanos: nanos)
    }

    /// Puts on record something about an outside agent that is not a proposal (refused at hello, dropped, withdrew).
    public func noteOutside(_ id: String, request: String, outcome: String, details: [String: String] = [:]) {
        var payload = details
        payload["request"] = request
        payload["outcome"] = outcome
        let correlation = events.nextCommandCorrelation
        trail.stage(desk.entry(.agentRequest, .agent(id), payload, correlation: correlation),
                    announcing: events.stamp(cell: -1, .notice(kind: "agent", message: "outside agent \(TerminalText.printable(String(id.prefix(60)))): \(outcome)"),
                                             correlation: correlation))
        trail.commit()
    }

    /// Latency figures of the outside agents, in plant order (kind external, cell: the cell or line they act on).
    var outsideAgentSnapshots: [AgentSnapshot] {
        outside.order.compactMap { id in
            guard var agent = outside.byID[id] else { return nil }
            let p = agent.latency.percentiles()
            let recent = agent.latency.sharedRecentP99()
            outside.byID[id] = agent
            let spec = agent.spec.agentSpec
            return AgentSnapshot(id: id, cell: spec.cell, kind: .external, version: spec.version, mode: desk.effectiveMode(of: spec, mode: spec.mode),
                                 budgetSeconds: spec.budgetSeconds, p50: p.p50, p90: p.p90, p99: p.p99, max: p.max, breaches: agent.latency.breaches,
                                 decisions: agent.latency.decisions, proposals: agent.proposals, recentP99: recent, isSimulated: false)
        }
    }

    /// Closes a latency interval for every outside agent (with the built-in agents').
    func rollOutsideIntervals() {
        for id in outside.order { outside.byID[id]?.latency.rollInterval() }
    }

    // MARK: Proposals

    private func propose(_ sent: OutsideProposal, by id: String) -> OutsideOutcome {
        guard var agent = outside.byID[id] else { return refusedOutcome(sent, "unknown agent") }
        defer { outside.byID[id] = agent }
        guard agent.bucket.take(now: Monotonic.now()) else {
            agent.throttled += 1
            let reason = "throttled: agent \(id) may propose \(agent.spec.rate.text) (burst \(agent.spec.rate.burst)); proposals past it are refused, not queued"
            if !agent.isThrottled {
                agent.isThrottled = true
                noteOutside(id, request: "propose", outcome: "refused: \(reason)", details: ["key": sent.idempotencyKey])
            }
            return refusedOutcome(sent, reason)
        }
        agent.isThrottled = false
        let draft: ProposalDraft
        switch ProposalCheck(spec: agent.spec, plant: plant).draft(sent) {
        case let .success(checked): draft = checked
        case let .failure(refusal):
            agent.refused += 1
            noteOutside(id, request: "propose", outcome: "refused: \(refusal.reason)", details: ["key": String(sent.idempotencyKey.prefix(200)), "action": String(sent.action.prefix(60))])
            return refusedOutcome(sent, refusal.reason)
        }
        let key = "\(id)/\(draft.idempotencyKey)"
        let fingerprint = sent.fingerprint
        // The same key has effect once: a retry gets the first proposal's fate; other content under it is refused.
        if let use = agent.keys[key] {
            guard use.fingerprint == fingerprint else { return reusedKey(sent, by: id, agent: &agent, first: use.proposal) }
            agent.replays += 1
            return outcome(of: use, isReplay: true)
        }
        if let approval = desk.book.approval(forKey: key) {
            guard approval.proposal.outsideFingerprint == fingerprint else { return reusedKey(sent, by: id, agent: &agent, first: approval.proposal) }
            agent.replays += 1
            return restored(approval, isReplay: true)
        }
        if desk.appliedKeys.contains(key) {
            agent.replays += 1
            return OutsideOutcome(proposalID: nil, idempotencyKey: sent.idempotencyKey, action: sent.action, target: sent.target, state: .executed,
                                  message: "this key was applied before (an earlier run): nothing runs again", isReplay: true)
        }
        var proposal = makeProposal(draft, key: key, agent: agent.spec, read: sent.basedOnRead)
        agent.proposals += 1
        proposal.isShadow = desk.isShadow(proposal.action, from: agent.spec.agentSpec, mode: agent.spec.mode)
        desk.seenDataAge = sent.basedOnRead.flatMap { agent.reads[$0] }.map { seenAge(of: proposal.target, in: $0) }
        if let number = sent.basedOnRead, agent.reads[number] == nil {
            // A read this runtime did not serve (or has forgotten): the data's age now is all it knows.
            desk.seenDataAge = nil
        }
        desk.decide(proposal)
        desk.seenDataAge = nil
        var use = KeyUse(fingerprint: fingerprint, proposal: proposal, decision: desk.lastDecision)
        if let decision = use.decision, decision.outcome == .approve, !proposal.isShadow, desk.book[proposal.id] == nil {
            let other = desk.book.pending.first { $0.proposal.target == proposal.target && $0.proposal.action == proposal.action }
            use.notOpened = "an approval of \(proposal.action.rawValue) on \(proposal.target) is already pending\(other.map { " (\($0.proposal.id), by \($0.proposal.agentID))" } ?? ""): it was not asked again"
        }
        let isAllowed = use.decision?.outcome == .allow && !proposal.isShadow
        desk.commitAndExecute()
        if !isAllowed { trail.commit(force: true) }
        use.isExecuted = isAllowed && desk.appliedKeys.contains(key) && !desk.readyToExecute.contains { $0.id == proposal.id } && trail.problem == nil
        agent.remember(use, key: key)
        return outcome(of: use, isReplay: false)
    }

    private func makeProposal(_ draft: ProposalDraft, key: String, agent spec: OutsideAgentSpec, read: UInt64?) -> Proposal {
        proposalCount += 1
        let line = twin.cellIndex[draft.target].map { twin.lines[twin.cells[$0].lineIndex].spec.id } ?? draft.target
        let correlation = read.map { CorrelationID("read-\($0)") } ?? CorrelationID(key)
        return Proposal(id: "p-\(options.runNumber)-\(proposalCount)", action: draft.action, parameters: draft.parameters, target: draft.target, line: line,
                        rationale: draft.rationale, evidence: draft.evidence, risk: draft.risk, idempotencyKey: key, agentID: spec.id, agentKind: .external,
                        agentVersion: spec.version, correlationID: correlation, createdAt: twin.time)
    }

    private func reusedKey(_ sent: OutsideProposal, by id: String, agent: inout OutsideAgentState, first: Proposal) -> OutsideOutcome {
        agent.refused += 1
        let reason = "idempotency key '\(TerminalText.printable(sent.idempotencyKey))' was used for \(first.id) (\(first.action.rawValue) of \(first.target)) "
            + "with different content: a key names one proposal; use a new key for a new one"
        noteOutside(id, request: "propose", outcome: "refused: \(reason)", details: ["key": sent.idempotencyKey, "first": first.id, "sent": sent.fingerprint])
        return refusedOutcome(sent, reason)
    }

    private func refusedOutcome(_ sent: OutsideProposal, _ reason: String) -> OutsideOutcome {
        OutsideOutcome(proposalID: nil, idempotencyKey: String(sent.idempotencyKey.prefix(200)), action: String(sent.action.prefix(60)),
                       target: String(sent.target.prefix(60)), state: .refused, message: "refused: \(reason)")
    }

    /// The data age the agent saw, as old now as it has become since: the target cell's, or a line's oldest.
    private func seenAge(of target: String, in read: AgentRead) -> Double {
        let elapsed = max(0, twin.time - read.time)
        if twin.cellIndex[target] != nil { return (read.dataAges[target] ?? dataAge(of: target) - elapsed) + elapsed }
        guard let l = twin.lineIndex[target] else { return 0 }
        return twin.lines[l].cells.map { i in (read.dataAges[twin.cells[i].spec.id] ?? twin.dataAge(i) - elapsed) + elapsed }.max() ?? 0
    }

    private func read(by id: String, cells: [Int]) -> UInt64 {
        outside.reads += 1
        let number = outside.reads
        var ages: [String: Double] = [:]
        for i in cells { ages[twin.cells[i].spec.id] = twin.dataAge(i) }
        outside.byID[id]?.remember(read: number, AgentRead(time: twin.time, dataAges: ages))
        return number
    }

    // MARK: Withdrawal

    private func withdraw(_ which: String, by id: String) -> AgentAnswer {
        guard let agent = outside.byID[id] else { return .refused(reason: "unknown agent") }
        let use = keyUse(which, of: agent)
        let key = use?.proposal.idempotencyKey ?? "\(id)/\(which)"
        guard let approval = desk.book.approval(forKey: key) ?? desk.book[which], approval.proposal.agentID == id else {
            return .refused(reason: unknownProposal(which, of: id))
        }
        guard approval.state == .pending else {
            return .refused(reason: "\(approval.proposal.id) is \(approval.state.rawValue), not pending: only a pending proposal can be withdrawn")
        }
        desk.withdraw(key: approval.proposal.idempotencyKey)
        noteOutside(id, request: "withdraw", outcome: "withdrew \(approval.proposal.id) (\(approval.proposal.action.rawValue) of \(approval.proposal.target))",
                    details: ["proposal": approval.proposal.id])
        trail.commit(force: true)
        if let use { return .outcome(outcome: outcome(of: use, isReplay: false)) }
        return .outcome(outcome: restored(desk.book[approval.proposal.id] ?? approval))
    }

    // MARK: Outcomes

    private func keyUse(_ which: String, of agent: OutsideAgentState) -> KeyUse? {
        if let use = agent.keys["\(agent.spec.id)/\(which)"] { return use }
        return agent.keys.values.first { $0.proposal.id == which }
    }

    private func unknownProposal(_ which: String, of id: String) -> String {
        "agent \(id) has no proposal '\(TerminalText.printable(String(which.prefix(60))))' in this run (by id or idempotency key); "
            + "the audit log holds earlier runs'"
    }

    /// Where a proposal stands now.
    func outcome(of use: KeyUse, isReplay: Bool) -> OutsideOutcome {
        let p = use.proposal
        let key = String(p.idempotencyKey.dropFirst(p.agentID.count + 1))
        var result = OutsideOutcome(proposalID: p.id, idempotencyKey: key, action: p.action.rawValue, target: p.target, state: .undecided,
                                    message: "recorded; no policy is in force, so nothing is decided or executed", isReplay: isReplay)
        guard let decision = use.decision else { return result }
        result.rules = decision.ruleIDs
        result.reasons = decision.reasons
        let because = decision.ruleIDs.isEmpty ? "no rule allows it (default deny)" : zip(decision.ruleIDs, decision.reasons).map { "\($0): \($1)" }.joined(separator: "; ")
        if p.isShadow {
            result.state = .shadow
            let would = decision.outcome == .allow ? "allowed it" : decision.outcome == .deny ? "denied it" : "asked for approval"
            result.message = "judged in shadow (the agent is in shadow or the kill switch is on): the policy would have \(would) (\(because)); it never runs"
            return result
        }
        switch decision.outcome {
        case .deny:
            result.state = .denied
            result.message = "denied: \(because)"
        case .allow:
            result.state = use.isExecuted ? .executed : .notExecuted
            result.message = use.isExecuted ? "allowed (\(because)) and executed after its decision was committed"
                : "allowed (\(because)) but not executed: the audit store refused the commit, so nothing ran"
        case .approve:
            if let notOpened = use.notOpened {
                result.state = .refused
                result.message = "needs approval (\(because)), but \(notOpened)"
            } else if let approval = desk.book[p.id] {
                return describe(approval, into: result, because: because)
            } else {
                result.state = .pending
                result.message = "needed approval (\(because)); its approval is no longer held in memory: see the audit log"
            }
        }
        return result
    }

    private func restored(_ approval: Approval, isReplay: Bool = false) -> OutsideOutcome {
        let p = approval.proposal
        let key = String(p.idempotencyKey.dropFirst(p.agentID.count + 1))
        var result = OutsideOutcome(proposalID: p.id, idempotencyKey: key, action: p.action.rawValue, target: p.target, state: .pending, message: "",
                                    rules: approval.decision.ruleIDs, reasons: approval.decision.reasons, isReplay: isReplay)
        let because = zip(approval.decision.ruleIDs, approval.decision.reasons).map { "\($0): \($1)" }.joined(separator: "; ")
        result = describe(approval, into: result, because: because)
        return result
    }

    private func describe(_ approval: Approval, into result: OutsideOutcome, because: String) -> OutsideOutcome {
        var result = result
        result.approvalID = approval.proposal.id
        result.approvers = approval.roles.map(\.rawValue)
        result.deadline = approval.deadline
        result.deadlineClock = TimeText.clock(approval.deadline)
        let quorum = approval.decision.requirement?.quorum ?? 1
        switch approval.state {
        case .pending:
            result.state = .pending
            result.message = "pending approval \(approval.proposal.id) (\(because)): it runs only if \(quorum == 1 ? "a person" : "\(quorum) different people") "
                + "(\(result.approvers!.joined(separator: " or "))) approve\(quorum == 1 ? "s" : "") it by \(TimeText.clock(approval.deadline)) plant time; "
                + "nothing happens until then. Ask again for its outcome; do not propose it again"
        case .approved:
            result.state = .approved
            result.message = "approved and executed: \(approval.outcome ?? "approved")"
        case .rejected:
            result.state = .rejected
            result.message = "rejected: \(approval.outcome ?? "rejected")"
        case .expired:
            result.state = .expired
            result.message = "expired: \(approval.outcome ?? "nobody decided by the deadline")"
        case .withdrawn:
            result.state = .withdrawn
            result.message = "withdrawn: \(approval.outcome ?? "withdrawn")"
        }
        return result
    }

    private func brief(of agent: OutsideAgentState) -> PlantBrief {
        let spec = agent.spec
        let mode = desk.effectiveMode(of: spec.agentSpec, mode: spec.mode)
        return PlantBrief(id: plant.id, name: plant.name, time: twin.time, clock: TimeText.clock(twin.time),
                          lines: plant.lines.map { LineBrief(id: $0.id, name: $0.name, cells: $0.cells.map(\.id)) }, isKillSwitchOn: desk.isKillSwitchOn,
                          policyVersion: desk.policyVersion, staleAfterSeconds: plant.staleAfterSeconds,
                          agent: OutsideAgentBrief(id: spec.id, version: spec.version, mode: mode, scope: spec.scope.description, actions: spec.actions,
                                                   rateLimit: spec.rate.text, burst: spec.rate.burst, budgetSeconds: spec.budgetSeconds,
                                                   proposals: agent.proposals, refused: agent.refused, throttled: agent.throttled))
    }
}
