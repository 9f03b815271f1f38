import AndonCore
import AndonService
import AndonWire
import Foundation
import Testing
@testable import AndonConsole

/// A plant-wide console: two runtimes' snapshots made into one plant (grouped by runtime, ids qualified, approvals
/// ordered by deadline on one clock, a runtime down shown as such) and each command sent to the runtime that owns it.
@Suite struct PlantWideTests {
    /// Two runtimes serving the same small plant (so every id collides); paint's clock runs 100 s behind body's.
    static func parts(paint link: RuntimeLinkState = .connected) -> [RuntimePart] {
        var paint = Fixtures.smallPlant()
        paint.plantName = "Paint shop"
        paint.time -= 100
        for index in paint.approvals.indices { paint.approvals[index].deadline -= 100 }
        // paint's p-3 is due in 10 s: sooner than anything on body.
        paint.approvals[0].deadline = paint.time + 10
        paint.isKillSwitchOn = true
        var body = Fixtures.smallPlant()
        body.plantName = "Body shop"
        return [RuntimePart(name: "body", socket: "/run/andon/body.sock", snapshot: body, link: .connected, person: Fixtures.supervisor),
                RuntimePart(name: "paint", socket: "/run/andon/paint.sock", snapshot: paint, link: link,
                            problem: link == .connected ? nil : "the connection to the runtime was lost; 14 s ago, retrying",
                            person: Person(name: "ana", role: .operator))]
    }

    static func merged(paint link: RuntimeLinkState = .connected) throws -> PlantSnapshot {
        try #require(PlantMerge.merge(parts(paint: link), plantName: "Riverside"))
    }

    @Test func idsAreQualifiedByRuntimeAndNeverCollide() throws {
        let plant = try Self.merged()
        #expect(plant.cells.count == 36 && Set(plant.cells.map(\.id)).count == 36)
        #expect(plant.cells.first?.id == "body/A1" && plant.cells.last?.id == "paint/C6")
        #expect(Set(plant.approvals.map(\.id)).count == 6)
        let b2 = try #require(plant.cells.first { $0.id == "paint/B2" })
        #expect(b2.line == "paint/B" && b2.topAlarm?.tag == "paint/B2.vibration.HI" && b2.topAlarm?.cell == "paint/B2")
        #expect(plant.agents.map(\.id).contains("paint/B2.maint") && plant.queues.map(\.id).contains("paint/B1→B2"))
        let stop = try #require(plant.approvals.first { $0.id == "paint/p-1" })
        #expect(stop.proposal.target == "paint/B2" && stop.proposal.line == "paint/B")
    }

    @Test func cellsAreGroupedUnderAHeadingPerRuntime() throws {
        let plant = try Self.merged()
        #expect(plant.lines.map(\.id) == ["body/", "body/A", "body/B", "body/C", "paint/", "paint/A", "paint/B", "paint/C"])
        #expect(plant.lines[0].cells.isEmpty && plant.lines[4].name == "Paint shop")
        #expect(plant.runtimes?.map(\.headingLineID) == ["body/", "paint/"])
        let rows = CellRows(snapshot: plant, filter: "", sort: .flow)
        #expect(rows.count == 2 + 6 + 36)
    }

    @Test func approvalsOfAllRuntimesAreOrderedByTimeLeftOnOneClock() throws {
        let plant = try Self.merged()
        #expect(plant.time == Fixtures.now)
        let pending = ConsoleState(person: Fixtures.supervisor).memo.pendingApprovals(of: plant)
        // body: p-2 in 25 s, p-1 in 161 s, p-3 in 250 s; paint (its clock 100 s behind, moved onto body's): p-3 in 10 s.
        #expect(pending.map(\.id) == ["paint/p-3", "body/p-2", "paint/p-2", "body/p-1", "paint/p-1", "body/p-3"])
        #expect(pending.map { $0.deadline - plant.time } == [10, 25, 25, 161, 161, 250])
    }

    @Test func eachRuntimesHealthIsSummed() throws {
        let plant = try Self.merged()
        let runtimes = try #require(plant.runtimes)
        #expect(runtimes.map(\.name) == ["body", "paint"])
        #expect(runtimes[0].alarmsInView == 3 && runtimes[0].pendingApprovals == 3 && runtimes[0].cellsDown == 2 && !runtimes[0].isKillSwitchOn)
        #expect(runtimes[1].isKillSwitchOn && runtimes[1].person == "ana (operator)")
        // The kill switch is on for the plant only when it is on for every runtime.
        #expect(!plant.isKillSwitchOn)
    }

    @Test func aRuntimeDownIsShownAndItsCellsAreStale() throws {
        let plant = try Self.merged(paint: .down)
        #expect(plant.runtimes?.map(\.link) == [.connected, .down])
        #expect(plant.cells.filter { $0.id.hasPrefix("paint/") }.allSatisfy { $0.isStale })
        #expect(plant.cells.filter { $0.id.hasPrefix("body/") }.count { $0.isStale } == 1)
        let screen = Screenshot.render(snapshot: plant, state: ConsoleState(person: Fixtures.supervisor), size: TerminalSize(columns: 120, rows: 40))
        #expect(screen.contains("paint DOWN: the connection to the runtime was lost"))
        #expect(screen.contains("body ok paint DOWN"))
    }

    @Test func aRuntimeNeverReachedIsAHeadingWithNothingUnderIt() throws {
        var parts = Self.parts()
        parts[1].snapshot = nil
        parts[1].link = .down
        parts[1].problem = "no runtime serves /run/andon/paint.sock"
        let plant = try #require(PlantMerge.merge(parts, plantName: "Riverside"))
        #expect(plant.lines.map(\.id).last == "paint/" && plant.cells.allSatisfy { $0.id.hasPrefix("body/") })
        #expect(PlantMerge.merge([parts[1]], plantName: "Riverside") == nil)
    }

    @Test(arguments: [TerminalSize(columns: 80, rows: 24), TerminalSize(columns: 120, rows: 40), TerminalSize(columns: 200, rows: 60)])
    func screen(size: TerminalSize) throws {
        var state = ConsoleState(person: Fixtures.supervisor)
        for event in Fixtures.events() { state.receive(event) }
        try assertSnapshot(Screenshot.render(snapshot: try Self.merged(paint: .down), state: state, size: size),
                           named: "plant-wide-\(size.columns)x\(size.rows)")
    }

    @Test func approvingTheFirstRowSendsItsQualifiedIDAndTheRouteGoesToItsRuntime() throws {
        let plant = try Self.merged()
        var state = ConsoleState(person: Fixtures.supervisor)
        state.focus = .approvals
        _ = state.handle(.character("a"), at: 0, snapshot: plant)
        _ = state.handle(.tab, at: 0.5, snapshot: plant)
        let effects = state.handle(.enter, at: 1, snapshot: plant)
        #expect(effects == [.send(.approve(approvalID: "paint/p-3"))])
        #expect(PlantRoute.of(.approve(approvalID: "paint/p-3"), runtimes: ["body", "paint"]) == .one(runtime: "paint", command: .approve(approvalID: "p-3")))
    }

    @Test func commandsGoToTheRuntimeThatOwnsTheirItem() {
        let names = ["body", "paint"]
        #expect(PlantRoute.of(.reject(approvalID: "body/p-1", reason: "no"), runtimes: names) == .one(runtime: "body", command: .reject(approvalID: "p-1", reason: "no")))
        #expect(PlantRoute.of(.acknowledgeAlarms(cell: "paint/B2"), runtimes: names) == .one(runtime: "paint", command: .acknowledgeAlarms(cell: "B2")))
        #expect(PlantRoute.of(.shelveAlarm(tag: "paint/B2.vibration.HI", seconds: 60, reason: "r"), runtimes: names)
            == .one(runtime: "paint", command: .shelveAlarm(tag: "B2.vibration.HI", seconds: 60, reason: "r")))
        #expect(PlantRoute.of(.killSwitch(on: true, agentID: "body/B2.maint"), runtimes: names) == .one(runtime: "body", command: .killSwitch(on: true, agentID: "B2.maint")))
        #expect(PlantRoute.of(.killSwitch(on: true, agentID: nil), runtimes: names) == .every(.killSwitch(on: true, agentID: nil)))
        #expect(PlantRoute.of(.setPaused(true), runtimes: names) == .every(.setPaused(true)))
        guard case let .refused(unqualified) = PlantRoute.of(.acknowledgeAlarms(cell: "B2"), runtimes: names),
              case let .refused(unknown) = PlantRoute.of(.approve(approvalID: "press/p-1"), runtimes: names),
              case .refused = PlantRoute.of(.takeOver(from: "ana"), runtimes: names) else {
            Issue.record("an id without a known runtime was routed")
            return
        }
        #expect(unqualified.contains("body/B2") && unknown.contains("no runtime 'press'"))
    }

    @Test func aCommandForARuntimeThatIsDownIsRefusedAtOnce() async {
        let link = PlantRuntimes(members: [PlantRuntimes.Member(name: "body", socket: "/nonexistent/body.sock"),
                                           PlantRuntimes.Member(name: "paint", socket: "/nonexistent/paint.sock")],
                                 hello: Hello(client: .console, program: "test", session: "s"), plantName: "Riverside")
        let welcomes = await link.connect()
        #expect(welcomes.values.allSatisfy { (try? $0.get()) == nil })
        let result = await link.send(.approve(approvalID: "paint/p-1"), as: Fixtures.supervisor)
        #expect(!result.isAccepted)
        #expect(result.message == "paint is down: approve not sent; nothing is done there until it is back")
        let every = await link.send(.killSwitch(on: true, agentID: nil), as: Fixtures.supervisor)
        #expect(!every.isAccepted && every.message.contains("body is down") && every.message.contains("paint is down"))
    }

    @Test func socketsNameTheirRuntimes() throws {
        let members = try PlantFile.members(sockets: ["/run/andon/body.sock", "paint=/tmp/p.sock"])
        #expect(members == [PlantRuntimes.Member(name: "body", socket: "/run/andon/body.sock"), PlantRuntimes.Member(name: "paint", socket: "/tmp/p.sock")])
        #expect(throws: ServiceError.self) { try PlantFile.members(sockets: ["/a/body.sock", "/b/body.sock"]) }
    }
}

extension PlantWideTests {
    @Test func anApprovalOfARuntimeThatIsDownIsRefusedBeforeTheDialog() throws {
        let plant = try Self.merged(paint: .reconnecting)
        var state = ConsoleState(person: Fixtures.supervisor)
        state.focus = .approvals
        state.selectedApprovalID = "paint/p-3"
        #expect(state.handle(.character("a"), at: 0, snapshot: plant).isEmpty)
        #expect(state.mode == .normal)
        #expect(state.message?.text == "refused: paint is reconnecting; nothing can be decided there until it is back")
        state.selectedApprovalID = "body/p-3"
        _ = state.handle(.character("a"), at: 1, snapshot: plant)
        guard case .confirm = state.mode else {
            Issue.record("body's approval opens its dialog while paint is out of reach")
            return
        }
    }
}

extension PlantWideTests {
    @Test func aPlantFileNamesItsRuntimesAndItsSocketsFromItsFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plant-file-\(getpid())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let good = dir.appendingPathComponent("plant-runtimes.yaml").path
        try "plant: Riverside\nruntimes:\n  - {name: body, socket: /run/andon/body.sock}\n  - {name: paint, socket: run/paint.sock}\n"
            .write(toFile: good, atomically: true, encoding: .utf8)
        let file = try PlantFile.load(path: good)
        #expect(file.title == "Riverside")
        #expect(file.members == [PlantRuntimes.Member(name: "body", socket: "/run/andon/body.sock"),
                                 PlantRuntimes.Member(name: "paint", socket: dir.appendingPathComponent("run/paint.sock").standardizedFileURL.path)])

        let bad = dir.appendingPathComponent("bad.yaml").path
        try "runtimes:\n  - {name: body, socket: /a.sock}\n  - {name: body, socket: /b.sock}\n  - {name: 'p/x', socket: /c.sock}\n  - {name: q, sokket: /d.sock}\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        do {
            _ = try PlantFile.load(path: bad)
            Issue.record("a bad plant file was read")
        } catch {
            let text = error.description
            #expect(text.contains("bad.yaml:3:") && text.contains("runtime 'body' is listed twice"), "\(text)")
            #expect(text.contains("bad.yaml:4:") && text.contains("is not an identifier"), "\(text)")
            #expect(text.contains("bad.yaml:5:") && text.contains("unknown key 'sokket'"), "\(text)")
        }
    }
}

extension PlantWideTests {
    @Test func anApprovalOfferedForAnotherRuntimeOfTheConsoleIsShownOnceWhileThatOneIsConnected() throws {
        var parts = Self.parts()
        parts[0].snapshot?.sharedRuntimeID = "line-body"
        parts[1].snapshot?.sharedRuntimeID = "line-paint"
        // paint offers body's p-1, read from the shared store.
        var offered = try #require(parts[0].snapshot?.approvals.first { $0.id == "p-1" })
        offered.runtime = "line-body"
        offered.id = "line-body/p-1"
        parts[1].snapshot?.approvals.append(offered)
        let plant = try #require(PlantMerge.merge(parts, plantName: "Riverside"))
        #expect(plant.approvals.count == 6 && !plant.approvals.contains { $0.runtime != nil })
        #expect(PlantRoute.of(.approve(approvalID: "paint/line-body/p-1"), runtimes: ["body", "paint"])
            == .one(runtime: "paint", command: .approve(approvalID: "line-body/p-1")))
        parts[0].link = .down
        let withBodyDown = try #require(PlantMerge.merge(parts, plantName: "Riverside"))
        #expect(withBodyDown.approvals.contains { $0.id == "paint/line-body/p-1" && $0.runtime == "line-body" }, "decidable through paint while body is down")
    }
}
