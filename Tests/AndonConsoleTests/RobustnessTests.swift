import AndonCore
import Testing
@testable import AndonConsole

/// Any size, any plant size: never a crash, and only what is visible is built.
@Suite struct RobustnessTests {
    static let widths = [1, 2, 3, 10, 40, 59, 60, 79, 80, 119, 120, 160, 199, 200, 300]
    static let heights = [1, 2, 3, 5, 14, 15, 24, 31, 32, 40, 49, 50, 60, 100]

    static func states() -> [ConsoleState] {
        let plant = Fixtures.smallPlant()
        var base = ConsoleState(person: Fixtures.supervisor)
        for event in Fixtures.events() { base.receive(event) }
        var states = [base]
        var help = base; help.mode = .help; states.append(help)
        var confirm = base; confirm.mode = .confirm(.approving(plant.approvals[1])); states.append(confirm)
        var reject = base; reject.mode = .rejectReason(RejectPrompt(approvalID: "p-1", summary: "stop_cell on B2", isReasonRequired: true))
        states.append(reject)
        var cell = base; cell.detail = .cell("B2"); states.append(cell)
        var approval = base; approval.detail = .approval("p-1"); approval.detailScroll = 1000; states.append(approval)
        var ascii = base; ascii.isASCII = true; ascii.focus = .events; states.append(ascii)
        return states
    }

    @Test(arguments: widths)
    func everySizeComposes(width: Int) {
        let plant = Fixtures.smallPlant()
        for height in Self.heights {
            for state in Self.states() {
                let size = TerminalSize(columns: width, rows: height)
                let frame = ScreenComposer.compose(snapshot: plant, state: state, size: size)
                let lines = TextRenderer.render(frame.canvas).split(separator: "\n", omittingEmptySubsequences: false)
                #expect(lines.count == height)
                #expect(lines.allSatisfy { DisplayWidth.of($0) <= width })
            }
        }
    }

    @Test func noSnapshotYet() {
        let text = Screenshot.render(snapshot: nil, state: ConsoleState(person: Fixtures.supervisor), size: TerminalSize(columns: 80, rows: 24))
        #expect(text.hasPrefix("Andon: waiting for the first plant snapshot"))
    }

    @Test func tenThousandCellsComposeOnlyTheVisibleRows() {
        let plant = Fixtures.largePlant()
        #expect(plant.cells.count == 10_000)
        var state = ConsoleState(person: Fixtures.supervisor)
        let text = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 200, rows: 60))
        #expect(text.contains("L0.0 "))
        #expect(!text.contains("L1.0 "), "only the first screenful of rows is built")
        let rows = CellRows(snapshot: plant, filter: "", sort: .flow)
        #expect(rows.count == 10_100)
        guard case let .cell(cell) = rows.row(at: 5_052) else { Issue.record("row 5052 should be a cell"); return }
        #expect(cell.id == "L50.1")
        // Jumping to the end scrolls without building the rows in between.
        state.paneHeights[.cells] = 55
        _ = state.handle(.character("G"), at: 0, snapshot: plant)
        #expect(state.selectedCell(in: plant)?.id == "L99.99")
        let end = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 200, rows: 60))
        #expect(end.contains(">L99.99"))
    }

    @Test func emptyPlant() {
        var plant = Fixtures.smallPlant()
        plant.cells = []
        plant.lines = []
        plant.approvals = []
        plant.queues = []
        plant.agents = []
        var state = ConsoleState(person: Fixtures.supervisor)
        for key in [Key.character("j"), .enter, .tab, .character("a"), .character("r"), .character("G")] {
            _ = state.handle(key, at: 0, snapshot: plant)
        }
        let text = Screenshot.render(snapshot: plant, state: state, size: TerminalSize(columns: 120, rows: 40))
        #expect(text.contains("no cells") && text.contains("no approvals pending"))
    }
}
