import AndonCore
import Testing
@testable import AndonConsole

/// A snapshot that comes with its cells' unchanging texts (a runtime's own) is filtered from them; what the filter
/// finds must be what reading every cell finds.
@Suite struct CellTextsFilterTests {
    /// A plant of 6 lines × 8 cells with names, statuses and top alarms that differ, some of them not ASCII.
    func plant() -> PlantSnapshot {
        var plant = Fixtures.largePlant(lines: 6, cellsPerLine: 8)
        let statuses = CellStatus.allCases
        plant.cells = plant.cells.enumerated().map { index, cell in
            var cell = cell
            cell.name = index % 11 == 0 ? "Presse Nº\(index) Über" : "Press \(index) Welder"
            cell.status = statuses[index % statuses.count]
            cell.topAlarm = index % 5 == 0 ? Fixtures.alarm("\(cell.id).t", index % 4 + 1, index % 10 == 0 ? "Hot spindle" : "Öl low") : nil
            cell.activeAlarms = cell.topAlarm == nil ? 0 : 1
            return cell
        }
        return plant
    }

    func withTexts(_ plant: PlantSnapshot) -> PlantSnapshot {
        var copy = plant
        copy.cellTexts = CellTexts(cells: plant.cells.map { (id: $0.id, name: $0.name, line: $0.line) }, lines: plant.lines.map(\.id))
        return copy
    }

    @Test func theTextsFindWhatReadingEveryCellFinds() {
        let plain = plant()
        let texted = withTexts(plain)
        #expect(texted.currentCellTexts != nil)
        // Ids, names, lines, statuses, alarm messages, text across the join of two fields or two cells, case, not ASCII.
        let needles = ["", "l3", "L3", " l3 ", "L3.7", ".7", "press 1", "welder", "exec", "STARVED", "hot", "spindle", "öl", "über",
                       "nº", "7press", "weldel", "l2.7l2", "3.7press", "l0.0", "zzz", "e", "5 w", "presse"]
        for sort in CellSort.allCases {
            for needle in needles {
                let reading = CellRows(snapshot: plain, filter: needle, sort: sort)
                for memo in [nil, SnapshotMemo()] {
                    for _ in 0..<2 {
                        let fromTexts = CellRows(snapshot: texted, filter: needle, sort: sort, memo: memo)
                        #expect(fromTexts.count == reading.count, "\(needle) \(sort)")
                        #expect((0..<min(fromTexts.count, reading.count)).allSatisfy { fromTexts.row(at: $0).id == reading.row(at: $0).id },
                                "\(needle) \(sort)")
                    }
                }
            }
        }
    }

    @Test func textsAreLetGoWhenTheCellsOrLinesAreSet() {
        var texted = withTexts(plant())
        texted.cells.removeLast()
        #expect(texted.cellTexts == nil)
        texted = withTexts(plant())
        texted.lines.removeLast()
        #expect(texted.cellTexts == nil)
        // Texts for other cells are not taken for these.
        var other = plant()
        other.cellTexts = CellTexts(cells: [(id: "A", name: "a", line: "L0")], lines: ["L0"])
        #expect(other.currentCellTexts == nil)
    }

    @Test func theTextsMatchNoFieldAcrossItsBounds() {
        let texts = CellTexts(cells: [(id: "AB", name: "CD", line: "L1"), (id: "EF", name: "GH", line: "L1")], lines: ["L1"])
        #expect(texts.cellsHolding(Array("bc".utf8)) == [false, false], "the id's end and the name's start are apart")
        #expect(texts.cellsHolding(Array("l1ef".utf8)) == [false, false], "one cell's end and the next's start are apart")
        #expect(texts.cellsHolding(Array("gh".utf8)) == [false, true])
        #expect(texts.cellsHolding(Array("l1".utf8)) == [true, true])
        #expect(texts.linePositions == [0, 0])
    }

    /// The running count of alarms over the rows, worked out line by line in flow order, is the one row by row.
    @Test func alarmsAboveAndBelowInFlowOrder() {
        var plain = plant()
        plain.lines[2].cells = []
        plain.cells.removeAll { $0.line == "L2" }
        for (index, cell) in plain.cells.enumerated() where index % 3 == 0 { plain.cells[index].activeAlarms = cell.activeAlarms + index % 4 }
        let rows = CellRows(snapshot: plain, filter: "", sort: .flow)
        let prefix = rows.alarmPrefix()
        var expected = [0]
        for row in 0..<rows.count {
            let alarms = rows.cellIndex(atRow: row).map { plain.cells[$0].activeAlarms } ?? 0
            expected.append(expected[row] + alarms)
        }
        #expect(prefix.running == expected)
        #expect(prefix.total == plain.cells.reduce(0) { $0 + $1.activeAlarms })
    }
}
