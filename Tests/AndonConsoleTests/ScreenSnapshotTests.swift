import AndonCore
import Testing
@testable import AndonConsole

@Suite struct ScreenSnapshotTests {
    static let sizes = [TerminalSize(columns: 80, rows: 24), TerminalSize(columns: 120, rows: 40), TerminalSize(columns: 200, rows: 60)]

    func state(_ person: Person = Fixtures.supervisor) -> ConsoleState {
        var state = ConsoleState(person: person)
        for event in Fixtures.events() { state.receive(event) }
        return state
    }

    @Test(arguments: sizes)
    func overview(size: TerminalSize) throws {
        let text = Screenshot.render(snapshot: Fixtures.smallPlant(), state: state(), size: size)
        try assertSnapshot(text, named: "overview-\(size.columns)x\(size.rows)")
    }

    @Test(arguments: sizes)
    func asciiOverview(size: TerminalSize) throws {
        var state = state()
        state.isASCII = true
        let text = Screenshot.render(snapshot: Fixtures.smallPlant(), state: state, size: size)
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        try assertSnapshot(text, named: "ascii-\(size.columns)x\(size.rows)")
    }

    @Test(arguments: sizes)
    func approvalDetail(size: TerminalSize) throws {
        var state = state()
        state.detail = .approval("p-1")
        try assertSnapshot(Screenshot.render(snapshot: Fixtures.smallPlant(), state: state, size: size),
                           named: "approval-detail-\(size.columns)x\(size.rows)")
    }

    @Test(arguments: sizes)
    func cellDetail(size: TerminalSize) throws {
        var state = state()
        state.detail = .cell("B2")
        try assertSnapshot(Screenshot.render(snapshot: Fixtures.smallPlant(), state: state, size: size),
                           named: "cell-detail-\(size.columns)x\(size.rows)")
    }

    @Test(arguments: sizes)
    func confirmationDialog(size: TerminalSize) throws {
        var state = state()
        _ = state.handle(.character("a"), at: 10, snapshot: Fixtures.smallPlant())
        try assertSnapshot(Screenshot.render(snapshot: Fixtures.smallPlant(), state: state, size: size),
                           named: "confirm-critical-\(size.columns)x\(size.rows)")
    }

    @Test func telemetryRejectsDetail() throws {
        var state = state()
        state.detail = .telemetryRejects
        let text = Screenshot.render(snapshot: Fixtures.plantWithRejects(), state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(text.contains("6 rejected") && text.contains("accepted 1482"))
        let duplicate = try #require(text.range(of: "duplicate  ")), unknown = try #require(text.range(of: "unknown_cell  "))
        let unit = try #require(text.range(of: "wrong_unit  "))
        #expect(duplicate.lowerBound < unknown.lowerBound && unknown.lowerBound < unit.lowerBound, "reasons by count, most first")
        try assertSnapshot(text, named: "telemetry-rejects-80x24")

        state.isASCII = true
        let ascii = Screenshot.render(snapshot: Fixtures.plantWithRejects(), state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(ascii.contains("Telemetry rejects"))
    }

    @Test func telemetryRejectsDetailWhenNoneWereRejected() {
        var plant = Fixtures.smallPlant()
        plant.telemetryRejects = 0
        var state = state()
        state.detail = .telemetryRejects
        let text = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(text.contains("no telemetry was rejected"))
        #expect(!text.contains("By reason"))
    }

    @Test func helpOverlayForObserver() throws {
        var state = state(Fixtures.observer)
        _ = state.handle(.character("?"), at: 0, snapshot: Fixtures.smallPlant())
        try assertSnapshot(Screenshot.render(snapshot: Fixtures.smallPlant(), state: state, size: TerminalSize(columns: 120, rows: 40)),
                           named: "help-observer-120x40")
    }

    @Test func killSwitchAndFailingAudit() throws {
        var plant = Fixtures.smallPlant()
        plant.isKillSwitchOn = true
        plant.audit = AuditHealth(isHealthy: false, records: 1234, location: "audit.db", problem: "disk full")
        try assertSnapshot(Screenshot.render(snapshot: plant, state: state(), size: TerminalSize(columns: 120, rows: 40)),
                           named: "banners-120x40")
    }

    @Test func tooSmall() {
        let text = Screenshot.render(snapshot: Fixtures.smallPlant(), state: state(), size: TerminalSize(columns: 39, rows: 10))
        #expect(text.hasPrefix("terminal too small: need 40×8, have"))
        let tiny = Screenshot.render(snapshot: Fixtures.smallPlant(), state: state(), size: TerminalSize(columns: 12, rows: 4))
        #expect(tiny.split(separator: "\n").joined(separator: " ").contains("need 40×8, have 12×4"), "wrapped to fit narrow terminals")
    }

    @Test func approvalsAreTheLastPaneKept() throws {
        let text = Screenshot.render(snapshot: Fixtures.smallPlant(), state: state(), size: TerminalSize(columns: 50, rows: 10))
        #expect(text.contains("Approvals 3 pending"))
        #expect(!text.contains("Cells") && !text.contains("Latency"))
        try assertSnapshot(text, named: "minimal-50x10")
    }

    @Test func helpFitsEightyByTwentyFour() throws {
        var state = state(Fixtures.observer)
        _ = state.handle(.character("?"), at: 0, snapshot: Fixtures.smallPlant())
        let text = Screenshot.render(snapshot: Fixtures.smallPlant(), state: state, size: TerminalSize(columns: 80, rows: 24))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.contains("┌") && $0.contains("Keys") && $0.hasSuffix("┐") }, "the top border is whole")
        #expect(lines.contains { $0.contains("└") && $0.contains("┘") }, "the bottom border is on screen")
        #expect(text.contains("(not for observer)") && text.contains("j/k scroll"))
        try assertSnapshot(text, named: "help-observer-80x24")
        _ = state.handle(.character("G"), at: 1, snapshot: Fixtures.smallPlant())
        let end = Screenshot.render(snapshot: Fixtures.smallPlant(), state: state, size: TerminalSize(columns: 80, rows: 24))
        #expect(end.contains(":reload") && end.contains("Esc or ? closes"), "\(end)")
    }
}
