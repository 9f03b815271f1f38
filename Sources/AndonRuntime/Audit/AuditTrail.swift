import AndonCore

/// The runtime's side of the audit log: records wait here, in order, until the store has them, and what is
/// published about a record waits for that record.
///
/// Two ways in. The plant's own records (state changes, alarms, proposals, policy decisions, approval requests and
/// expiries, executed actions) are *staged* as they happen and committed together by ``commit(sync:)``. Anything a
/// person decides is an ``AuditTransaction``: ``commit(_:sync:)`` appends everything staged before it and then the
/// transaction's entries in one append, and only when that append succeeds does the caller let the decision take
/// effect. A transaction the store refuses leaves nothing behind; what was staged stays staged, in order, for the
/// next commit. No code path drops or reorders a staged entry.
///
/// Events follow their records: an event about a staged record is held until that record is committed, and an event
/// with no record of its own (a notice) waits behind the held ones, so front ends see events in order and never see
/// anything the record does not say yet.
final class AuditTrail {
    private let sink: (any AuditSink)?
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

    /// A trail over `sink`; without one (benchmarks, twin-only tests) every commit succeeds and nothing is kept.
    init(sink: (any AuditSink)?) {
        self.sink = sink
    }

    /// True when there is a store to write to.
    var isRecording: Bool { sink != nil }

    /// The store's health as the header shows it: the store's own, or the failure this trail saw last.
    var health: AuditHealth {
        guard let sink else { return .none }
        var health = sink.health
        if let problem {
            health.isHealthy = false
            health.problem = problem
        }
        return health
    }

    /// Stages a record of the plant's own, to be committed with the next commit; `event` is published after it is.
    func stage(_ entry: AuditEntry, announcing event: EventEnvelope? = nil) {
        if sink != nil { staged.append(entry) }
        if let event { announce(event) }
    }

    /// Publishes an event that has no record of its own, after any event still waiting for its record.
    func announce(_ event: EventEnvelope) {
        if held.isEmpty && staged.isEmpty {
            publish(event)
        } else {
            held.append(event)
        }
    }

    /// Commits everything staged (fsynced with `sync`); false when the store refused it, in which case it all stays staged.
    @discardableResult
    func commit(sync: Bool = false) -> Bool {
        commit(AuditTransaction(), sync: sync)
    }

    /// Commits everything staged and then `transaction`, in one append; false when the store refused it. On success
    /// the held events and then the transaction's are published; on failure the transaction is gone and the staged
    /// entries wait for the next commit.
    func commit(_ transaction: AuditTransaction, sync: Bool = true) -> Bool {
        guard let sink else {
            flush(transaction.events)
            return true
        }
        if staged.isEmpty && transaction.entries.isEmpty {
            // Nothing to write, so nothing proves the store is back.
            if problem == nil { flush(transaction.events) }
            return problem == nil
        }
        do {
            if transaction.entries.isEmpty {
                try sink.append(staged, sync: sync)
            } else {
                try sink.append(staged + transaction.entries, sync: sync)
            }
        } catch {
            if problem == nil { onProblemChange("\(error)") }
            problem = "\(error)"
            return false
        }
        staged.removeAll(keepingCapacity: true)
        if problem != nil {
            problem = nil
            onProblemChange(nil)
        }
        flush(transaction.events)
        return true
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

/// What one decision puts on record, and what is published once it is: built up by the caller, then handed to
/// ``AuditTrail/commit(_:sync:)``; the decision takes effect only if that returns true.
struct AuditTransaction {
    /// The records, in order.
    private(set) var entries: [AuditEntry] = []
    /// The events published after the commit, in order.
    private(set) var events: [EventEnvelope] = []

    /// Adds a record and, optionally, the event that announces it.
    mutating func record(_ entry: AuditEntry, announcing event: EventEnvelope? = nil) {
        entries.append(entry)
        if let event { events.append(event) }
    }

    /// Adds an event with no record of its own.
    mutating func announce(_ event: EventEnvelope) {
        events.append(event)
    }
}
