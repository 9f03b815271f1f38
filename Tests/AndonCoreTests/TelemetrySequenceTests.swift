import AndonCore
import AndonTesting
import Testing

/// Duplicates are applied once; late data is refused by the stated rule, never mixed in.
struct TelemetrySequenceTests {
    private func message(source: String = "plc", seq: UInt64, ts: Double = 1_767_592_801, cell: String = "B1") -> TelemetryMessage {
        TelemetryMessage(source: source, sequence: seq, timestamp: ts, cell: cell)
    }

    private func verdict(_ validator: inout TelemetryValidator, _ message: TelemetryMessage) -> RejectReason? {
        do {
            _ = try validator.validate(message, now: 1_767_600_000)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func repeatedSequenceIsADuplicate() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        #expect(verdict(&validator, message(seq: 1)) == nil)
        #expect(verdict(&validator, message(seq: 2)) == nil)
        #expect(verdict(&validator, message(seq: 2)) == .duplicate)
        #expect(verdict(&validator, message(seq: 1)) == .duplicate)
        #expect(verdict(&validator, message(seq: 3)) == nil)
    }

    @Test func lowerUnseenSequenceIsLate() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        #expect(verdict(&validator, message(seq: 5)) == nil)
        #expect(verdict(&validator, message(seq: 3)) == .outOfOrder)
        #expect(verdict(&validator, message(seq: 6)) == nil)
        #expect(verdict(&validator, message(seq: 500)) == nil)
        #expect(verdict(&validator, message(seq: 6)) == .outOfOrder, "beyond the 64-number window nothing is remembered: late, not duplicate")
        #expect(validator.highestSequence(of: "plc") == 500)
    }

    @Test func sequencesCountPerSource() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        #expect(verdict(&validator, message(source: "a", seq: 10, cell: "B1")) == nil)
        #expect(verdict(&validator, message(source: "b", seq: 1, cell: "B2")) == nil)
        #expect(verdict(&validator, message(source: "b", seq: 1, cell: "B2")) == .duplicate)
    }

    @Test func aCellsTimestampsDoNotGoBackAcrossSources() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        #expect(verdict(&validator, message(source: "a", seq: 1, ts: 1_767_592_810)) == nil)
        #expect(verdict(&validator, message(source: "b", seq: 1, ts: 1_767_592_805)) == .outOfOrder)
        #expect(verdict(&validator, message(source: "b", seq: 2, ts: 1_767_592_810)) == nil, "the same instant is not late")
    }

    @Test func aRefusedMessageDoesNotUseUpItsSequence() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        #expect(verdict(&validator, message(seq: 1)) == nil)
        #expect(verdict(&validator, message(seq: 2, cell: "nope")) == .unknownCell)
        #expect(verdict(&validator, message(seq: 2)) == nil)
    }

    @Test func rejectLogKeepsTheNewestUpToItsBound() {
        var log = RejectLog(capacity: 3)
        for n in 1...5 { log.record(RejectedLine(line: n, reason: n.isMultiple(of: 2) ? .duplicate : .malformed, detail: "d", original: "x")) }
        #expect(log.total == 5)
        #expect(log.recent.map(\.line) == [3, 4, 5])
        #expect(log.countsByName == ["duplicate": 2, "malformed": 3])
        #expect(RejectLog.keptText(String(repeating: "é", count: 600)).hasSuffix("…"))
    }
}
