import AndonCore
import Foundation
import Testing

/// A sensor's history is a window onto readings appended and never written over: what a snapshot was shown stays
/// what it was, whatever the twin appends after it, and a copy of a cell's histories appends to storage of its own.
@Suite struct SensorHistoryTests {
    /// Reading set `n` of a cell with three sensors.
    func readings(_ n: Int) -> [Double] { [Double(n), Double(n) * 0.5 + 1000, -Double(n)] }

    @Test func everyWindowShowsTheLastReadingsAndNeverChanges() {
        var histories = SensorHistories(sensors: 3, length: 60)
        var held: [(window: SensorHistory, expected: [Float])] = []
        var written: [[Float]] = [[], [], []]
        for n in 0..<400 {
            histories.append(readings(n))
            for s in 0..<3 { written[s].append(Float(readings(n)[s])) }
            for s in 0..<3 {
                let expected = Array(written[s].suffix(60))
                let window = histories.history(s)
                #expect(Array(window) == expected, "sensor \(s) after \(n + 1) reading sets")
                if n % 13 == s { held.append((window, expected)) }
            }
        }
        // Windows taken along the way (before, across and after every change of store) still show what they did.
        #expect(held.count > 80)
        for (i, kept) in held.enumerated() where Array(kept.window) != kept.expected {
            Issue.record("window \(i) changed after it was taken")
        }
    }

    /// Histories given different phases show the same readings and change stores in different reading sets: a plant
    /// whose cells all read every second does not replace every store in the same second.
    @Test func phasedHistoriesShowTheSameAndChangeStoresApart() {
        let phases = SensorHistories(sensors: 3, length: 60).storesEvery
        #expect(phases == 31)
        var changes: [Int: [Int]] = [:]
        for phase in Array(0..<phases) + [phases, 4 * phases + 7, -1] {
            var histories = SensorHistories(sensors: 3, length: 60, phase: phase)
            var store = ObjectIdentifier(histories.storage)
            var written: [Float] = []
            for n in 0..<300 {
                histories.append(readings(n))
                written.append(Float(readings(n)[1]))
                #expect(Array(histories.history(1)) == Array(written.suffix(60)), "phase \(phase), after \(n + 1) reading sets")
                if ObjectIdentifier(histories.storage) != store {
                    store = ObjectIdentifier(histories.storage)
                    changes[phase, default: []].append(n)
                }
            }
        }
        // Every phase changes stores every 31 reading sets once the first is full, each in reading sets of its own.
        let firsts = (0..<phases).compactMap { changes[$0]?.first }
        #expect(Set(firsts).count == phases, "first changes: \(firsts)")
        for phase in 0..<phases {
            let at = changes[phase] ?? []
            #expect(zip(at, at.dropFirst()).allSatisfy { $1 - $0 == phases }, "phase \(phase): \(at)")
        }
        // A phase is taken modulo their number.
        #expect(changes[phases] == changes[0])
        #expect(changes[4 * phases + 7] == changes[7])
        #expect(changes[-1] == changes[phases - 1])
    }

    @Test func aWindowShownAgainMovesToTheReadingsNow() {
        var histories = SensorHistories(sensors: 3, length: 60)
        histories.append(readings(0))
        var window = histories.history(1)
        for n in 1..<250 {
            histories.append(readings(n))
            histories.show(1, in: &window)
            #expect(window == histories.history(1))
            #expect(window.last == Float(readings(n)[1]))
            #expect(window.count == min(n + 1, 60))
        }
    }

    @Test func aCopyThatAppendsAfterTheOtherDidWritesStorageOfItsOwn() {
        var first = SensorHistories(sensors: 3, length: 60)
        for n in 0..<10 { first.append(readings(n)) }
        var second = first
        let shown = first.history(0)
        first.append(readings(100))
        second.append(readings(200))
        #expect(first.history(0).last == 100)
        #expect(second.history(0).last == 200)
        #expect(Array(first.history(0).dropLast()) == Array(shown))
        #expect(Array(second.history(0).dropLast()) == Array(shown))
        #expect(Array(shown) == (0..<10).map { Float($0) })
        // Each goes on appending in its own storage.
        for n in 0..<100 {
            first.append(readings(300 + n))
            second.append(readings(500 + n))
        }
        #expect(Array(first.history(2)) == (340..<400).map { Float(-$0) })
        #expect(Array(second.history(2)) == (540..<600).map { Float(-$0) })
    }

    @Test func itIsWrittenAndReadAsAnArrayOfNumbers() throws {
        var histories = SensorHistories(sensors: 3, length: 60)
        for n in 0..<75 { histories.append(readings(n)) }
        let window = histories.history(1)
        let array = Array(window)
        let encoder = JSONEncoder()
        #expect(try encoder.encode(window) == encoder.encode(array))
        let decoded = try JSONDecoder().decode(SensorHistory.self, from: encoder.encode(array))
        #expect(decoded == window)
        #expect(decoded.hashValue == window.hashValue)
        #expect(SensorHistory(array) == window)
        #expect(SensorHistory([1, 2]) != window)
        let empty: SensorHistory = []
        #expect(empty.isEmpty)
        #expect(try encoder.encode(empty) == Data("[]".utf8))
    }
}
