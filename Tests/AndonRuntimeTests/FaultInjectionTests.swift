import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// The store fails at each commit of a scripted shift in turn: whatever the point, the events published, the approval
/// book, the actions executed and the audit log tell one story, and nothing unrecorded was executed (a safety hold
/// excepted) or shown as decided.
struct FaultInjectionTests {
    static let ana = Person(name: "ana", role: .supervisor)
    static let dana = Person(name: "dana", role: .supervisor)
    static let ben = Person(name: "ben", role: .operator)

    /// The shift: vibration on A climbs through its alarm limits (maintenance asks; an operator may not decide, a
    /// supervisor rejects), then past its trip while the kill switch is on (the interlock holds A); after the release
    /// it climbs again, maintenance asks again and a supervisor approves. People acknowledge, pause, and hand the console over in between.
    private static let incidents = [
        Incident(at: 10, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 1.2, duration: 240)),
        Incident(at: 300, target: "B", kind: .breakdown(repair: 120)),
        Incident(at: 450, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 4, duration: 200)),
        Incident(at: 1000, target: "A", kind: .sensorDrift(sensor: "vibration", perMinute: 1.2, duration: 240)),
    ]
    private static let script = [
        ScriptedCommand(at: 260, operatorName: "ben", action: .reject(target: "A", action: nil, reason: "not now")),
        ScriptedCommand(at: 270, operatorName: "dana", action: .reject(target: "A", action: nil, reason: "inspect first")),
        ScriptedCommand(at: 400, operatorName: "ana", action: .killSwitch(on: true)),
        ScriptedCommand(at: 900, operatorName: "ana", action: .killSwitch(on: false)),
        ScriptedCommand(at: 1350, operatorName: "ana", action: .approve(target: "A", action: nil)),
    ]
    private static let people: [SimTime: (OperatorCommand, Person)] = [
        320: (.acknowledgeAlarms(cell: "A"), ana),
        350: (.setPaused(true), ben),
        351: (.setPaused(false), ben),
        500: (.takeOver(from: "ana"), dana),
        950: (.acknowledgeAlarms(cell: "A"), dana),
    ]
    private static let end: SimTime = 1800

    private struct Run {
        var engine: PlantEngine
        var audit: MemoryAuditSink
        var published: [EventEnvelope]
        var shownBeforeRecorded: [String]
    }

    private func shift(failingAt call: Int?) throws -> Run {
        let audit = MemoryAuditSink()
        if let call { audit.failCalls([call]) }
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Fixtures.twoCellPolicyYAML, file: "policy.yaml"))
        let roster: @Sendable (String) -> Person = { name in [Self.ana, Self.dana, Self.ben].first { $0.name == name } ?? Person(name: name, role: .observer) }
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "shift", incidents: Self.incidents, commands: Self.script),
                                 options: EngineOptions(seed: 5), judge: policy, audit: audit, roster: roster)
        var published: [EventEnvelope] = []
        var early: [String] = []
        engine.onEvent = { event in
            published.append(event)
            // At the moment it is published, what the event reports must already be on record.
            if let key = Self.key(of: event), !audit.records.contains(where: { Self.key(of: $0) == key }) {
                early.append(key)
            }
        }
        engine.start(recovering: Recovery())
        while engine.time < Self.end {
            engine.tick()
            if let (command, person) = Self.people[engine.time] { _ = engine.handle(command, as: person) }
        }
        engine.commitAudit()
        return Run(engine: engine, audit: audit, published: published, shownBeforeRecorded: early)
    }

    /// What an event and a record have in common when the event reports the record.
    private static func key(of event: EventEnvelope) -> String? {
        switch event.body {
        case let .proposal(proposal): "proposal \(proposal.id)"
        case let .decision(decision): "decision \(decision.proposalID)"
        case let .approval(change): "approval \(change.approvalID) \(change.state.rawValue) \(change.detail)"
        case let .action(execution): "action \(execution.idempotencyKey) \(execution.applied)"
        case let .operatorCommand(person, command, outcome): "command \(person.name) \(command) \(outcome)"
        case let .stateChanged(change): "state \(event.cell ?? "") \(change.from.rawValue) \(change.to.rawValue)"
        case let .alarm(change): "alarm \(change.tag) \(change.state.rawValue)"
        case .telemetry, .notice: nil
        }
    }

    private static func key(of record: AuditRecord) -> String? {
        let data = Data(record.payload.utf8)
        let decoder = JSONDecoder()
        switch record.kind {
        case .proposal: return (try? decoder.decode(Proposal.self, from: data)).map { "proposal \($0.id)" }
        case .decision: return (try? decoder.decode(Decision.self, from: data)).map { "decision \($0.proposalID)" }
        case .approvalRequested:
            return (try? decoder.decode(ApprovalRequestRecord.self, from: data)).map { "approval \($0.change.approvalID) \($0.change.state.rawValue) \($0.change.detail)" }
        case .approvalSigned, .approvalApproved, .approvalRejected, .approvalExpired, .approvalWithdrawn, .approvalEscalated:
            return (try? decoder.decode(ApprovalChange.self, from: data)).map { "approval \($0.approvalID) \($0.state.rawValue) \($0.detail)" }
        case .actionExecuted:
            return (try? decoder.decode(ActionRecord.self, from: data)).map { "action \($0.execution.idempotencyKey) \($0.execution.applied)" }
        case .operatorCommand:
            guard let fields = try? decoder.decode([String: String].self, from: data), let command = fields["command"], let outcome = fields["outcome"] else { return nil }
            return "command \(record.actor.name) \(command) \(outcome)"
        case .stateChange:
            return (try? decoder.decode(CellStateChange.self, from: data)).map { "state \($0.cell ?? "") \($0.from.rawValue) \($0.to.rawValue)" }
        case .alarm: return (try? decoder.decode(AlarmChange.self, from: data)).map { "alarm \($0.tag) \($0.state.rawValue)" }
        case .modeChange, .policyReload, .runStarted, .checkpoint, .agentRequest: return nil
        }
    }

    /// The story the log tells, checked against what the engine did and showed.
    private func expectOneStory(_ run: Run, _ label: String) throws {
        let records = run.audit.records
        #expect(run.shownBeforeRecorded.isEmpty, "\(label): published before its record: \(run.shownBeforeRecorded.prefix(3))")

        // Every event that reports a record has its record, and every record that has an event was published, once.
        let recorded = records.compactMap(Self.key(of:))
        let shown = run.published.compactMap(Self.key(of:))
        #expect(Set(shown) == Set(recorded), "\(label): events and records differ: \(Set(shown).symmetricDifference(Set(recorded)).prefix(4))")

        // The book says what the log says: every approval's last recorded state is its state in the book.
        var lastState: [String: ApprovalState] = [:]
        for record in records {
            switch record.kind {
            case .approvalRequested:
                let request = try JSONDecoder().decode(ApprovalRequestRecord.self, from: Data(record.payload.utf8))
                lastState[request.change.approvalID] = request.change.state
            case .approvalApproved, .approvalRejected, .approvalExpired, .approvalWithdrawn:
                let change = try JSONDecoder().decode(ApprovalChange.self, from: Data(record.payload.utf8))
                lastState[change.approvalID] = change.state
            default:
                break
            }
        }
        let book = Dictionary(uniqueKeysWithValues: run.engine.approvals.map { ($0.proposal.id, $0.state) })
        #expect(book == lastState, "\(label): book \(book) but log \(lastState)")
        #expect(try Recovery.replay(records).pending.map(\.proposal.id).sorted() == run.engine.pendingApprovals.map(\.proposal.id).sorted())

        // Each action ran at most once, only after the record that authorised it, and every run is on record.
        let executions = records.filter { $0.kind == .actionExecuted && $0.payload.contains("\"applied\":true") }
        #expect(executions.count == run.engine.desk.tally.executed, "\(label): \(run.engine.desk.tally.executed) ran, \(executions.count) on record")
        var keys = Set<String>()
        for execution in executions {
            let action = try JSONDecoder().decode(ActionRecord.self, from: Data(execution.payload.utf8))
            #expect(keys.insert(action.execution.idempotencyKey).inserted, "\(label): \(action.execution.idempotencyKey) ran twice")
            let authorised = records.contains { record in
                record.sequence < execution.sequence && record.correlationID == execution.correlationID
                    && (record.kind == .approvalApproved || (record.kind == .decision && record.payload.contains("\"outcome\":\"allow\"")))
            }
            let isSafetyHold = action.execution.action == .holdCell
            #expect(authorised || isSafetyHold, "\(label): \(action.execution.idempotencyKey) ran without an authorising record before it")
        }

        // The kill switch is what the log says it is.
        #expect(try Recovery.replay(records).isKillSwitchOn == run.engine.desk.isKillSwitchOn)
    }

    @Test func everyCommitPointOfAShiftFailingInTurnLeavesOneStory() throws {
        let clean = try shift(failingAt: nil)
        try expectOneStory(clean, "no failure")
        let calls = clean.audit.appendCalls
        #expect(calls > 50, "the shift commits often enough to be worth failing: \(calls) commits")
        #expect(clean.audit.records(.actionExecuted).contains { $0.payload.contains("hold_cell") }, "the shift reaches the interlock")
        #expect(clean.audit.records(.approvalApproved).count >= 1, "the shift reaches a human approval")
        var refusedSomething = false
        for call in 1...calls {
            let run = try shift(failingAt: call)
            try expectOneStory(run, "failure at commit \(call) of \(calls)")
            if run.audit.records(.operatorCommand).contains(where: { $0.payload.contains("not recorded, so not done") }) { refusedSomething = true }
        }
        #expect(refusedSomething, "some failure fell on a person's command, which was refused and the refusal recorded")
    }
}
