import AndonCore

/// The runtime's side of the audit log: records wait here, in order, until the store has them, and what is
/// published about a record waits for that record.
///
/// Two ways in. The plant's own records (state changes, alarms, proposals, policy decisions, approval requests and
/// expiries, executed actions) are *staged* as they happen and committed together by ``commit(sync:force:)``. Anything
/// a person decides is an ``AuditTransaction``: ``commit(_:sync:)`` appends everything staged before it and then the
/// transaction's entries in one append, and only when that append succeeds does the caller let the decision take
/// effect. A transaction the store refuses leaves nothing behind; what was staged stays staged, in order, for the
/// next commit. No code path drops or reorders a staged entry.
///
/// Events follow their records: an event about a staged record is held until that record is committed, and an event
/// with no record of its own (a notice) waits behind the held ones, so front ends see events in order and never see
/// anything the record does not say yet.
///
/// When the store refuses commits (the store-down mode, `docs/audit.md`): the plant's own commits are retried with a
/// backoff (50 ms doubling to 5 s) rather than every step; a person's transaction is always tried at once. The staged
/// backlog is bounded by ``backlogLimit``: at it the trail is *saturated* and the engine stops taking work (the plant
/// clock and the telemetry door wait) rather than drop a record. A safety hold that runs meanwhile has everything
/// staged up to it written to the ``FallbackJournal`` first.
final class AuditTrail {
    private let sink: (any AuditSink)?
    /// The sink as a ledger of shared approvals, when it is one: approval writes go with the records.
    let ledger: (any ApprovalLedger)?
    /// Approval writes staged with the entries, committed with them.
    @exclusivity(unchecked) private(set) var stagedWrites: [ApprovalWrite] = []
    /// Called when an approval write found its approval changed elsewhere first; the write is gone, its records stay.
    var onApprovalLost: (ApprovalWriteLost) -> Void = { _ in }
    /// The approval write that made the last commit of a transaction fail, if one did.
    private(set) var lastLost: ApprovalWriteLost?
    /// Entries staged and not yet committed, oldest first.
    @exclusivity(unchecked) private(set) var staged: [AuditEntry] = []
    /// Events waiting for the staged entries before them.
    @exclusivity(unchecked) private var held: [EventEnvelope] = []
    /// Why the store refused the last commit; nil while it takes them.
    private(set) var problem: String?
    /// Called with every event once the records it is about are committed.
    var publish: (EventEnvelope) -> Void = { _ in }
    /// Called when the store starts failing (with the reason) and when it takes commits again (nil).
    var onProblemChange: (String?) -> Void = { _ in }
    /// The runtime's recovery state as of now, saved with a checkpoint every ``stateCheckpointEvery`` records.
    var recoveryState: () -> String = { "{}" }
    /// Most entries staged while the store refuses them; at it the engine stops taking work.
    let backlogLimit: Int
    /// Records committed between two checkpoints that save the recovery state.
    let stateCheckpointEvery: Int
    /// Where a safety hold's records go when the store refuses them.
    let journal: FallbackJournal?
    private let clock: () -> UInt64
    private var retryAt: UInt64 = 0
    private var backoff: UInt64 = 0
    private var sinceStateCheckpoint = 0
    private var journaled = 0
    /// What the trail went through, for the report.
    private(set) var figures = AuditTrailFigures()

    /// A trail over `sink`; without one (benchmarks, twin-only tests) every commit succeeds and nothing is kept.
    init(sink: (any AuditSink)?, backlogLimit: Int = 100_000, stateCheckpointEvery: Int = 5000, journal: FallbackJournal? = nil,
         clock: @escaping () -> UInt64 = Monotonic.now) {
        self.sink = sink
        ledger = sink?.approvalLedger
        self.backlogLimit = max(1, backlogLimit)
        self.stateCheckpointEvery = max(1, stateCheckpointEvery)
        self.journal = journal
        self.clock = clock
    }

    /// True when there is a store to write to.
    var isRecording: Bool { sink != nil }

    /// True when the staged backlog has reached its limit: no more work may be taken until the store takes it.
    var isSaturated: Bool { staged.count >= backlogLimit }

    /// The store's health as the header shows it: the store's own, or the failure this trail saw last.
    var health: AuditHealth {
        guard let sink else { return .none }
        var health = sink.health
        if let problem {
            health.isHealthy = false
            health.problem = problem
        }
        health.unwritten = staged.count
        return health
    }

    /// Stages a record of the plant's own, to be committed with the next commit; `event` is published after it is.
    func stage(_ entry: AuditEntry, announcing event: EventEnvelope? = nil) {
        if sink != nil { staged.append(entry) }
        if let event { announce(event) }
    }

    /// Stages a change of a shared approval, committed with the entries staged with it.
    func stage(write: ApprovalWrite) {
        if ledger != nil { stagedWrites.append(write) }
    }

    /// Publishes an event that has no record of its own, after any event still waiting for its record.
    func announce(_ event: EventEnvelope) {
        if held.isEmpty && staged.isEmpty {
            publish(event)
        } else {
            held.append(event)
        }
    }

    /// Commits everything staged (fsynced with `sync`); false when the store refused it, in which case it all stays
    /// staged. While the store is failing, a commit before the backoff has passed is not tried (false) unless `force`.
    @discardableResult
    func commit(sync: Bool = false, force: Bool = false) -> Bool {
        if problem != nil, !force, clock() < retryAt { return false }
        return commit(AuditTransaction(), sync: sync)
    }

    /// Commits everything staged and then `transaction`, in one append; false when the store refused it. On success
    /// the held events and then the transaction's are published; on failure the transaction is gone and the staged
    /// entries wait for the next commit.
    func commit(_ transaction: AuditTransaction, sync: Bool = true) -> Bool {
        guard let sink else {
            flush(transaction.events)
            return true
        }
        lastLost = nil
        if staged.isEmpty && transaction.entries.isEmpty && stagedWrites.isEmpty && transaction.writes.isEmpty {
            // Nothing to write, so nothing proves the store is back.
            if problem == nil { flush(transaction.events) }
            return problem == nil
        }
        let count = staged.count + transaction.entries.count
        do {
            if let ledger, !stagedWrites.isEmpty || !transaction.writes.isEmpty {
                try ledger.append(staged + transaction.entries, sync: sync, approvals: stagedWrites + transaction.writes)
            } else if transaction.entries.isEmpty {
                try sink.append(staged, sync: sync)
            } else {
                try sink.append(staged + transaction.entries, sync: sync)
            }
        } catch let lost as ApprovalWriteLost {
            // Not a failing store: another runtime's decision on that approval came first. The write goes (the
            // records staged with it stay: they say what this runtime did), the desk takes the approval as it stands,
            // and the rest is committed again; a transaction that held the write is refused.
            lastLost = lost
            stagedWrites.removeAll { $0.approvalID == lost.approvalID }
            onApprovalLost(lost)
            if transaction.writes.contains(where: { $0.approvalID == lost.approvalID }) { return false }
            return commit(transaction, sync: sync)
        } catch {
            figures.failedCommits += 1
            if problem == nil {
                figures.firstProblem = figures.firstProblem ?? "\(error)"
                onProblemChange("\(error)")
            }
            problem = "\(error)"
            backoff = min(max(backoff * 2, 50_000_000), 5_000_000_000)
            retryAt = clock() + backoff
            return false
        }
        figures.committed += count
        sinceStateCheckpoint += count
        staged.removeAll(keepingCapacity: true)
        stagedWrites.removeAll()
        if journaled > 0 {
            // Everything the journal held is in the store now.
            journal?.clear()
            journaled = 0
        }
        backoff = 0
        if problem != nil {
            problem = nil
            onProblemChange(nil)
        }
        flush(transaction.events)
        return true
    }

    /// Writes everything staged and not yet journaled to the fallback journal (a safety hold runs while the store is
    /// down); false, with the reason in ``figures``, when even the journal cannot be written.
    @discardableResult
    func journalStaged() -> Bool {
        guard let journal, journaled < staged.count else { return journal != nil }
        do {
            try journal.append(staged[journaled...])
            journaled = staged.count
            return true
        } catch {
            figures.journalProblem = "\(error)"
            return false
        }
    }

    /// Saves the recovery state with a signed checkpoint once enough has been committed since the last one. Call it
    /// when nothing is staged and no decision waits to take effect, so the state matches the head it is saved at.
    func checkpointIfDue() {
        guard sinceStateCheckpoint >= stateCheckpointEvery else { return }
        checkpoint(closing: false)
    }

    /// Saves the recovery state with a signed checkpoint now; `closing` marks a clean close. Nothing is saved while
    /// records are still staged (the state would run ahead of the log).
    @discardableResult
    func checkpoint(closing: Bool) -> Bool {
        guard let sink, staged.isEmpty, problem == nil, journaled == 0 else { return false }
        do {
            try sink.checkpoint(recoveryState: recoveryState(), closing: closing)
            sinceStateCheckpoint = 0
            figures.checkpoints += 1
            return true
        } catch {
            figures.failedCommits += 1
            problem = "\(error)"
            onProblemChange(problem)
            return false
        }
    }

    /// Lets the store go (after a closing checkpoint, or as a crash would).
    func close() {
        sink?.close()
    }

    private func flush(_ events: [EventEnvelope]) {
        if !held.isEmpty {
            let waiting = held
            held.removeAll(keepingCapacity: true)
            for event in waiting { publish(event) }
        }
        for event in events { publish(event) }
    }
}

/// What the audit trail of a run went through, for the report and the exit status.
public struct AuditFigures: Sendable, Codable {
    /// Records committed in this run.
    public var committed: Int
    /// Records staged and never written (the store refused them to the end).
    public var unwritten: Int
    /// Commits the store refused.
    public var failedCommits: Int
    /// Why the store refuses commits now, if it does.
    public var problem: String?
    /// The first reason it gave.
    public var firstProblem: String?
    /// Checkpoints that saved the recovery state.
    public var checkpoints: Int
    /// Safety holds that ran while their records could not be committed.
    public var safetyHoldsUnrecorded: Int
    /// Why the fallback journal could not be written, if it could not.
    public var journalProblem: String?

    /// True when every record reached the store.
    public var isComplete: Bool { unwritten == 0 && problem == nil }
}

/// What the audit trail went through in a run.
struct AuditTrailFigures {
    /// Records committed.
    var committed = 0
    /// Commits the store refused.
    var failedCommits = 0
    /// Checkpoints with a saved recovery state.
    var checkpoints = 0
    /// The first reason the store gave for refusing a commit.
    var firstProblem: String?
    /// Why the fallback journal could not be written, if it could not.
    var journalProblem: String?
}

/// What one decision puts on record, and what is published once it is: built up by the caller, then handed to
/// ``AuditTrail/commit(_:sync:)``; the decision takes effect only if that returns true.
struct AuditTransaction {
    /// The records, in order.
    private(set) var entries: [AuditEntry] = []
    /// The events published after the commit, in order.
    private(set) var events: [EventEnvelope] = []
    /// Changes of shared approvals made with the records, or not at all.
    private(set) var writes: [ApprovalWrite] = []

    /// Adds a record and, optionally, the event that announces it.
    mutating func record(_ entry: AuditEntry, announcing event: EventEnvelope? = nil) {
        entries.append(entry)
        if let event { events.append(event) }
    }

    /// Adds a change of a shared approval.
    mutating func write(_ write: ApprovalWrite) {
        writes.append(write)
    }

    /// Adds an event with no record of its own.
    mutating func announce(_ event: EventEnvelope) {
        events.append(event)
    }
}
