import AndonCore
import Testing
@testable import AndonRuntime

/// The approval lifecycle as a pure state machine, driven by simulated time.
struct ApprovalBookTests {
    static let ana = Person(name: "ana", role: .supervisor)
    static let dana = Person(name: "dana", role: .supervisor)
    static let ben = Person(name: "ben", role: .operator)
    static let eve = Person(name: "eve", role: .observer)

    private func proposal(_ id: String = "p-1", key: String = "k-1", target: String = "B2") -> Proposal {
        Proposal(id: id, action: .stopCell, target: target, line: "body", rationale: "near the hard limit", evidence: [],
                 risk: .critical, idempotencyKey: key, agentID: "B2.maint", agentKind: .maintenance, agentVersion: "1",
                 correlationID: CorrelationID("c-9"), createdAt: 0)
    }

    private func decision(quorum: Int = 2, distinct: Bool = true, timeout: Double = 300, onTimeout: TimeoutOutcome = .reject,
                          escalation: Escalation? = nil, reasonRequired: Bool = false) -> Decision {
        Decision(proposalID: "p-1", outcome: .approve, ruleIDs: ["stop-cell-two-person"], reasons: ["critical"],
                 requirement: ApprovalRequirement(roles: [.supervisor, .engineer], quorum: quorum, distinct: distinct, timeoutSeconds: timeout,
                                                  onTimeout: onTimeout, escalation: escalation, reasonRequired: reasonRequired),
                 policyVersion: "1", policyHash: "h")
    }

    private func executes(_ effects: [ApprovalEffect]) -> Bool {
        effects.contains { if case .execute = $0 { true } else { false } }
    }

    @Test func fourEyesRefusesWhoeverTookOverTheConsoleFromTheFirstSigner() {
        var book = ApprovalBook()
        _ = book.request(proposal(), decision: decision(), now: 0)
        _ = book.approve("p-1", by: Self.ana, now: 10)
        let (taken, takenEffects) = book.approve("p-1", by: Self.dana, now: 11, sameHandsAs: ["ana"])
        #expect(!taken.isAccepted)
        #expect(taken.message == "refused: dana took over this console from ana, who has already approved p-1; four-eyes needs a second person at a console of their own")
        #expect(takenEffects.isEmpty)
        #expect(book["p-1"]?.signatures.count == 1)
        let (other, otherEffects) = book.approve("p-1", by: Self.dana, now: 12, sameHandsAs: ["ben"])
        #expect(other.isAccepted)
        #expect(executes(otherEffects))
    }

    @Test func fourEyesNeedsTwoDifferentPeople() {
        var book = ApprovalBook()
        _ = book.request(proposal(), decision: decision(), now: 0)
        let (first, firstEffects) = book.approve("p-1", by: Self.ana, now: 10)
        #expect(first.isAccepted)
        #expect(!executes(firstEffects))
        let (again, againEffects) = book.approve("p-1", by: Self.ana, now: 11)
        #expect(!again.isAccepted)
        #expect(again.message.contains("four-eyes"))
        #expect(againEffects.isEmpty)
        let (second, secondEffects) = book.approve("p-1", by: Self.dana, now: 12)
        #expect(second.isAccepted)
        #expect(executes(secondEffects))
        #expect(book["p-1"]?.state == .approved)
    }

    @Test func withoutFourEyesTheSamePersonMayCountTwice() {
        var book = ApprovalBook()
        _ = book.request(proposal(), decision: decision(distinct: false), now: 0)
        _ = book.approve("p-1", by: Self.ana, now: 1)
        let (_, effects) = book.approve("p-1", by: Self.ana, now: 2)
        #expect(executes(effects))
    }

    @Test func aDecidedApprovalCannotBeDecidedAgainAndNothingRunsTwice() {
        var book = ApprovalBook()
        _ = book.request(proposal(), decision: decision(quorum: 1), now: 0)
        let (_, effects) = book.approve("p-1", by: Self.ana, now: 65)
        #expect(executes(effects))
        let (late, lateEffects) = book.approve("p-1", by: Self.dana, now: 70)
        #expect(!late.isAccepted)
        #expect(late.message == "already approved by ana at 00:01:05")
        #expect(lateEffects.isEmpty)
        let (reject, rejectEffects) = book.reject("p-1", by: Self.dana, reason: "no", now: 71)
        #expect(reject.message.hasPrefix("already approved by ana"))
        #expect(rejectEffects.isEmpty)
    }

    @Test func anyAuthorisedRejectionEndsIt() {
        var book = ApprovalBook()
        _ = book.request(proposal(), decision: decision(), now: 0)
        _ = book.approve("p-1", by: Self.ana, now: 1)
        let (result, effects) = book.reject("p-1", by: Self.dana, reason: "cell is mid-batch", now: 2)
        #expect(result.isAccepted)
        #expect(!executes(effects))
        #expect(book["p-1"]?.state == .rejected)
        #expect(book.approve("p-1", by: Self.ana, now: 3).0.message.hasPrefix("already rejected by dana"))
    }

    @Test func rolesAreCheckedHere() {
        var book = ApprovalBook()
        _ = book.request(proposal(), decision: decision(), now: 0)
        #expect(book.approve("p-1", by: Self.ben, now: 1).0.message.contains("operators may not decide"))
        #expect(book.approve("p-1", by: Self.eve, now: 1).0.message.contains("observers may not decide"))
        #expect(book.reject("p-1", by: Self.eve, reason: "x", now: 1).1.isEmpty)
    }

    @Test func reasonIsRequiredWherePolicySaysSo() {
        var book = ApprovalBook()
        _ = book.request(proposal(), decision: decision(reasonRequired: true), now: 0)
        let (refused, _) = book.reject("p-1", by: Self.ana, reason: "  ", now: 1)
        #expect(!refused.isAccepted)
        #expect(refused.message.contains("needs a reason"))
        #expect(book.reject("p-1", by: Self.ana, reason: "batch in progress", now: 2).0.isAccepted)
    }

    @Test func theDeadlineExpiresItNeverAsARejection() {
        var book = ApprovalBook()
        _ = book.request(proposal(), decision: decision(timeout: 300), now: 0)
        #expect(book.advance(to: 299).isEmpty)
        let effects = book.advance(to: 300)
        #expect(book["p-1"]?.state == .expired)
        #expect(!executes(effects))
        #expect(effects.contains { if case let .record(kind, _, _) = $0 { kind == .approvalExpired } else { false } })
        let (late, _) = book.approve("p-1", by: Self.ana, now: 301)
        #expect(late.message.contains("expired at 00:05:00"))
    }

    @Test func timeoutOutcomeApproveRunsTheActionButIsStillExpired() {
        var book = ApprovalBook()
        _ = book.request(proposal(), decision: decision(timeout: 60, onTimeout: .approve), now: 0)
        let effects = book.advance(to: 60)
        #expect(executes(effects))
        #expect(book["p-1"]?.state == .expired)
    }

    @Test func escalationRaisesAndNamesTheNewRole() {
        var book = ApprovalBook()
        var d = decision(quorum: 1, timeout: 300, escalation: Escalation(afterSeconds: 120, role: .operator))
        d.requirement?.roles = [.engineer]
        _ = book.request(proposal(), decision: d, now: 0)
        #expect(book.approve("p-1", by: Self.ben, now: 60).0.isAccepted == false)
        let effects = book.advance(to: 120)
        #expect(book["p-1"]?.isEscalated == true)
        #expect(book["p-1"]?.roles.contains(.operator) == true)
        #expect(effects.contains { if case let .record(kind, _, change) = $0 { kind == .approvalEscalated && change.detail.contains("operator") } else { false } })
        #expect(book.advance(to: 130).isEmpty)
        #expect(book.approve("p-1", by: Self.ben, now: 140).0.isAccepted)
    }

    /// A tick looks at the approvals only once one is due; each still expires and escalates in the second it is due,
    /// whatever was requested, restored, decided or escalated in between, and however far time jumps.
    @Test func everyDeadlineAndEscalationFallsInItsSecondWhateverCameBetween() {
        var book = ApprovalBook()
        var expected: [String: (escalates: SimTime?, expires: SimTime)] = [:]
        var seen: [String: (escalated: SimTime?, expired: SimTime?)] = [:]
        for n in 0..<40 {
            let requested = SimTime(n * 7 % 50)
            let timeout = SimTime(30 + n * 13 % 90)
            let escalation = n % 3 == 0 ? Escalation(afterSeconds: SimTime(5 + n % 20), role: .operator) : nil
            let id = "p-\(n)"
            let decided = n % 5 == 4
            expected[id] = decided ? nil : (escalation.map { requested + $0.afterSeconds }.flatMap { $0 < requested + timeout ? $0 : nil }, requested + timeout)
            var d = decision(quorum: 1, timeout: timeout, escalation: escalation)
            d.requirement?.roles = [.engineer]
            let p = proposal(id, key: "k-\(n)")
            if n % 4 == 1 {
                // Restored from an earlier run, as recovery does.
                book.restore(Approval(proposal: p, decision: d, requestedAt: requested, deadline: requested + timeout, roles: [.engineer]))
            } else {
                _ = book.request(p, decision: d, now: requested)
            }
            if decided { _ = book.reject(id, by: Person(name: "erin", role: .engineer), reason: "no", now: requested) }
        }
        // Mostly one second at a time, now and then a jump (a paused plant, a reported clock that leaps).
        var visits: [SimTime] = []
        var now: SimTime = 0
        while now < 200 {
            visits.append(now)
            now += now.truncatingRemainder(dividingBy: 37) == 36 ? 9 : 1
        }
        for now in visits {
            for effect in book.advance(to: now) {
                guard case let .record(kind, _, change) = effect else { continue }
                if kind == .approvalEscalated { seen[change.approvalID, default: (nil, nil)].escalated = now }
                if kind == .approvalExpired { seen[change.approvalID, default: (nil, nil)].expired = now }
            }
        }
        // Each falls in the first tick at or after it is due; an escalation due in a jump that also passes the
        // deadline gives way to the expiry.
        func firstVisit(_ t: SimTime) -> SimTime? { visits.first { $0 >= t } }
        for (id, due) in expected {
            let expires = firstVisit(due.expires)
            let escalates = due.escalates.flatMap(firstVisit).flatMap { $0 < expires ?? .infinity ? $0 : nil }
            #expect(seen[id]?.expired == expires, "\(id): expired at \(String(describing: seen[id]?.expired)), due \(due.expires)")
            #expect(seen[id]?.escalated == escalates, "\(id): escalated at \(String(describing: seen[id]?.escalated)), due \(String(describing: due.escalates))")
            #expect(book[id]?.state == .expired)
        }
        for n in stride(from: 4, to: 40, by: 5) { #expect(seen["p-\(n)"] == nil, "p-\(n) was decided and must not move") }

        // Alone in its book, with nothing else to wake it: it escalates, then expires, each in its second.
        var lone = ApprovalBook()
        var d = decision(quorum: 1, timeout: 50, escalation: Escalation(afterSeconds: 10, role: .operator))
        d.requirement?.roles = [.engineer]
        _ = lone.request(proposal(), decision: d, now: 0)
        var moments: [SimTime: AuditKind] = [:]
        for t in 0...60 {
            for case let .record(kind, _, _) in lone.advance(to: SimTime(t)) { moments[SimTime(t)] = kind }
        }
        #expect(moments == [10: .approvalEscalated, 50: .approvalExpired])
    }

    @Test func withdrawalWhenTheConditionClears() {
        var book = ApprovalBook()
        _ = book.request(proposal(key: "B2.maint/stop_cell/t100"), decision: decision(), now: 0)
        let effects = book.withdraw(key: "B2.maint/stop_cell/t100", now: 50)
        #expect(book["p-1"]?.state == .withdrawn)
        #expect(effects.count == 1)
        #expect(book.withdraw(key: "B2.maint/stop_cell/t100", now: 51).isEmpty)
        #expect(book.approve("p-1", by: Self.ana, now: 52).0.message.hasPrefix("already withdrawn"))
    }
}
