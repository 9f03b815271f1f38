import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Testing
@testable import AndonRuntime

/// Alarms as ISA-18.2 wants them: what stays in view, who may do what to one alarm, shelves that run out,
/// suppression by design, on- and off-delays, chattering.
@Suite struct AlarmTests {
    let ana = Person(name: "ana", role: .supervisor)
    let ben = Person(name: "ben", role: .operator)
    let chen = Person(name: "chen", role: .engineer)
    let eve = Person(name: "eve", role: .observer)

    /// A twin of the two-cell plant; `sensor` replaces A's vibration sensor.
    func twin(sensor: String? = nil) throws -> Twin {
        var yaml = Fixtures.twoCellPlantYAML()
        if let sensor {
            yaml = yaml.replacingOccurrences(of: "- {id: vibration, kind: vibration, nominal: 1.2, noise: 0.02, limits: {high_warn: 2.8, high_alarm: 4.5, trip: 7.1}}",
                                             with: sensor)
        }
        return Twin(spec: try PlantSpec.parse(yaml), seed: 1)
    }

    /// Sets A's first reading to `value` one second later and runs its alarms.
    func read(_ value: Double, on twin: Twin, running: Bool = true) {
        twin.moveClock(by: 1)
        twin.cells[0].values[0] = value
        twin.evaluateAlarms(0, running: running)
    }

    func snapshot(_ twin: Twin) -> CellSnapshot { twin.cellSnapshot(0, staleAfter: 10) }

    func plan(_ command: OperatorCommand, by person: Person, on twin: Twin) -> Result<AlarmActPlan, AlarmActRefusal> {
        twin.planAlarmAct(command, by: person)
    }

    @Test func anAlarmThatReturnsUnacknowledgedStaysInViewUntilAcknowledged() throws {
        let twin = try twin()
        read(8, on: twin)
        #expect(snapshot(twin).topAlarm?.tag == "A.vibration.TRIP")
        read(1.2, on: twin)
        let cell = snapshot(twin)
        #expect(cell.topAlarm?.tag == "A.vibration.TRIP", "still in view: returned to normal, not acknowledged")
        #expect(cell.topAlarm?.state == .returnedUnacknowledged)
        #expect(cell.activeAlarms == 3, "row, detail and A agree on what is in view")
        #expect(twin.acknowledgeAlarms(0) == 3)
        #expect(snapshot(twin).topAlarm == nil)
        #expect(snapshot(twin).activeAlarms == 0)
    }

    @Test func oneAlarmIsAcknowledgedOnItsOwn() throws {
        let twin = try twin()
        read(5, on: twin)
        let plan = try plan(.acknowledgeAlarm(tag: "a.vibration.hihi"), by: ben, on: twin).get()
        #expect(plan.message == "acknowledged A.vibration.HIHI")
        #expect(plan.record["reason"] == nil && plan.record["alarm"] == "A.vibration.HIHI")
        #expect(twin.alarm(tag: "A.vibration.HIHI")?.state == .unacknowledged, "planned, not yet carried out")
        twin.carryOut(plan)
        #expect(twin.alarm(tag: "A.vibration.HIHI")?.state == .acknowledged)
        #expect(twin.alarm(tag: "A.vibration.HI")?.state == .unacknowledged, "the other alarm of the cell is untouched")
        if case let .failure(refusal) = self.plan(.acknowledgeAlarm(tag: "A.vibration.HIHI"), by: ben, on: twin) {
            #expect(refusal.message == "A.vibration.HIHI has nothing to acknowledge (ACK)")
        } else {
            Issue.record("acknowledged twice")
        }
    }

    @Test func whoMayDoWhatIsDecidedByRole() throws {
        let twin = try twin()
        read(5, on: twin)
        func refusal(_ command: OperatorCommand, _ person: Person) -> String? {
            if case let .failure(refusal) = plan(command, by: person, on: twin) { return refusal.message }
            return nil
        }
        #expect(refusal(.acknowledgeAlarm(tag: "A.vibration.HI"), eve) == "refused: only operator, supervisor, engineer may acknowledge alarms; eve is observer")
        #expect(refusal(.shelveAlarm(tag: "A.vibration.HI", seconds: 600, reason: "sensor swap"), chen)?.hasPrefix("refused: only operator, supervisor may shelve") == true)
        #expect(refusal(.setAlarmOutOfService(tag: "A.vibration.HI", isOutOfService: true, reason: "broken"), ben)?.hasPrefix("refused: only supervisor, engineer") == true)
        #expect(refusal(.shelveAlarm(tag: "A.vibration.HI", seconds: 600, reason: "  "), ben) == "a shelved alarm needs a reason")
        #expect(refusal(.shelveAlarm(tag: "A.vibration.HI", seconds: 9 * 3600, reason: "all night"), ben) == "shelve for more than 0 and at most 8h")
        #expect(refusal(.setAlarmOutOfService(tag: "A.vibration.HI", isOutOfService: true, reason: ""), chen) == "taking an alarm out of service needs a reason")
        #expect(refusal(.unshelveAlarm(tag: "A.vibration.HI"), ben) == "A.vibration.HI is not shelved")
        #expect(refusal(.acknowledgeAlarm(tag: "A.nothing.HI"), ben) == "no alarm A.nothing.HI")
        #expect(refusal(.setAlarmOutOfService(tag: "A.vibration.HI", isOutOfService: true, reason: "transmitter broken"), chen) == nil)
    }

    @Test func aShelfRunsOutAndTheAlarmComesBackUnacknowledged() throws {
        let twin = try twin()
        read(3, on: twin)
        twin.carryOut(try plan(.shelveAlarm(tag: "A.vibration.HI", seconds: 60, reason: "bearing being changed"), by: ben, on: twin).get())
        let shelved = try #require(twin.alarm(tag: "A.vibration.HI"))
        #expect(shelved.state == .shelved)
        #expect(shelved.shelvedUntil == twin.time + 60)
        #expect(shelved.note == "shelved by ben (operator): bearing being changed")
        #expect(snapshot(twin).topAlarm == nil, "a shelved alarm is out of the cell's view")
        #expect(snapshot(twin).alarms.map(\.state) == [.shelved], "but listed, with its time")
        twin.outbox.removeAll()
        for _ in 0..<59 { read(3, on: twin) }
        #expect(twin.alarm(tag: "A.vibration.HI")?.state == .shelved)
        read(3, on: twin)
        #expect(twin.alarm(tag: "A.vibration.HI")?.state == .unacknowledged, "still in alarm when the shelf ran out")
        #expect(twin.alarm(tag: "A.vibration.HI")?.note == nil)
        let told = twin.outbox.compactMap { if case let .alarm(change) = $0.body { change } else { nil } }
        #expect(told == [AlarmChange(tag: "A.vibration.HI", priority: 3, state: .unacknowledged, message: "vibration high: shelf time is up")])
    }

    @Test func outOfServiceAndBackAreDistinctStates() throws {
        let twin = try twin()
        read(3, on: twin)
        twin.carryOut(try plan(.setAlarmOutOfService(tag: "A.vibration.HI", isOutOfService: true, reason: "transmitter broken"), by: chen, on: twin).get())
        #expect(twin.alarm(tag: "A.vibration.HI")?.state == .outOfService)
        read(1.2, on: twin)
        read(3, on: twin)
        #expect(twin.alarm(tag: "A.vibration.HI")?.state == .outOfService, "readings do not bring it back")
        let back = try plan(.setAlarmOutOfService(tag: "A.vibration.HI", isOutOfService: false, reason: ""), by: ana, on: twin).get()
        #expect(back.message == "A.vibration.HI back in service (UNACK)")
        twin.carryOut(back)
        #expect(twin.alarm(tag: "A.vibration.HI")?.state == .unacknowledged)
    }

    @Test func aLowLimitIsSuppressedByDesignWhileTheCellIsNotRunning() throws {
        let twin = try twin(sensor: "- {id: seal_pressure, kind: pressure, nominal: 180, noise: 1, limits: {low_alarm: 150, high_warn: 205}}")
        read(100, on: twin, running: false)
        #expect(twin.alarm(tag: "A.seal_pressure.LO")?.state == .suppressed)
        #expect(snapshot(twin).alarms.map(\.state) == [.suppressed], "listed as suppressed, not as an alarm")
        #expect(snapshot(twin).topAlarm == nil)
        read(100, on: twin, running: true)
        #expect(twin.alarm(tag: "A.seal_pressure.LO")?.state == .unacknowledged)
    }

    @Test func onAndOffDelaysHoldAPointBackFromChattering() throws {
        let twin = try twin(sensor: "- {id: vibration, kind: vibration, nominal: 1.2, limits: {high_warn: 2.8}, deadband: 0.3, on_delay: 3s, off_delay: 5s}")
        read(3, on: twin)
        read(3, on: twin)
        read(3, on: twin)
        #expect(twin.alarm(tag: "A.vibration.HI")?.state == .normal, "three seconds over: not yet")
        read(3, on: twin)
        #expect(twin.alarm(tag: "A.vibration.HI")?.state == .unacknowledged)
        read(2.6, on: twin)
        #expect(twin.cells[0].alarms[0].point.conditionActive, "inside the deadband: still in alarm")
        for _ in 0..<5 { read(2.0, on: twin) }
        #expect(twin.cells[0].alarms[0].point.conditionActive, "the off-delay runs")
        read(2.0, on: twin)
        #expect(!twin.cells[0].alarms[0].point.conditionActive)
    }

    @Test func aPointInAndOutOfAlarmThreeTimesAMinuteIsChattering() throws {
        let twin = try twin()
        for value in [3.0, 2.0, 3.0, 2.0, 3.0] { read(value, on: twin) }
        let alarm = try #require(twin.alarm(tag: "A.vibration.HI"))
        #expect(alarm.isChattering)
        #expect(snapshot(twin).recentAlarmActivations == 3)
        for _ in 0..<60 { read(1.2, on: twin) }
        #expect(twin.alarm(tag: "A.vibration.HI")?.isChattering == false)
        #expect(snapshot(twin).recentAlarmActivations == 3, "still counted in the 10-minute rate")
        for _ in 0..<541 { read(1.2, on: twin) }
        #expect(snapshot(twin).recentAlarmActivations == 0)
    }

    @Test(arguments: [1, 7] as [UInt64])
    func theDemoChatteringPointsAreCalmedInThePlantDefinition(seed: UInt64) throws {
        let plant = try Fixtures.demoPlant()
        let engine = PlantEngine(plant: plant, scenario: try Fixtures.demoScenario(plant: plant), options: EngineOptions(seed: seed),
                                 judge: try PolicyEngine.load(path: Fixtures.path("demo/policies.yaml")))
        var activations: [String: [SimTime]] = [:]
        var previous: [String: AlarmState] = [:]
        engine.onEvent = { event in
            guard case let .alarm(change) = event.body else { return }
            if change.state == .unacknowledged, previous[change.tag] != .unacknowledged { activations[change.tag, default: []].append(event.time) }
            previous[change.tag] = change.state
        }
        engine.run(until: 2 * 2400)
        var chattering: [String] = []
        for (tag, times) in activations where times.indices.contains(where: { AlarmRate.isChattering(Array(times[...$0]), now: times[$0]) }) {
            chattering.append(tag)
        }
        #expect(chattering.sorted().isEmpty, "chattering points: \(chattering.sorted())")
    }

    @Test func everyActOnAnAlarmIsOnRecordWithWhoWhenAndWhy() throws {
        let audit = MemoryAuditSink()
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML())
        let engine = PlantEngine(plant: plant, options: EngineOptions(seed: 1), audit: audit)
        engine.twin.cells[0].values[0] = 3
        engine.twin.evaluateAlarms(0, running: true)
        let synced = audit.syncedAppends
        let result = engine.handle(.shelveAlarm(tag: "A.vibration.HI", seconds: 900, reason: "bearing being changed"), as: ben)
        #expect(result == .accepted("shelved A.vibration.HI for 15m: bearing being changed"))
        #expect(audit.syncedAppends == synced + 1, "committed and synced before it counts")
        let record = try #require(audit.records(.operatorCommand).last)
        #expect(record.actor == .person(ben))
        #expect(record.simTime == engine.time)
        for part in [#""command":"shelve""#, #""alarm":"A.vibration.HI""#, #""reason":"bearing being changed""#, #""for":"15m""#] {
            #expect(record.payload.contains(part), "\(record.payload)")
        }
        let refused = engine.handle(.setAlarmOutOfService(tag: "A.vibration.HI", isOutOfService: true, reason: "x"), as: ben)
        #expect(!refused.isAccepted)
        #expect(audit.records(.operatorCommand).count == 1, "not yet committed")
        engine.run(until: engine.time + 1)
        #expect(audit.records(.operatorCommand).last?.payload.contains("refused: only supervisor, engineer") == true, "refusals are on record too")
        engine.twin.cells[0].alarms[0].point.apply(.shelve(until: engine.time))
        audit.failure = "disk full"
        let failed = engine.handle(.unshelveAlarm(tag: "A.vibration.HI"), as: ben)
        #expect(!failed.isAccepted && failed.message.contains("disk full"))
        #expect(engine.twin.alarm(tag: "A.vibration.HI")?.state == .shelved, "not on record, so not done")
    }
}
