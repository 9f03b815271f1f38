import AndonCore
import Testing
@testable import AndonConsole

/// The events pane's lines are written once per event and kept: what is kept must be what would be written now.
@Suite struct EventLineTests {
    @Test func aKeptLineIsTheEventsOwnWhateverSharesItsNumber() {
        let memo = SnapshotMemo()
        let first = EventEnvelope(sequence: 7, time: 3600, cell: "B2", correlationID: CorrelationID("c-1"),
                                  body: .notice(kind: "note", message: "first runtime's seventh event"))
        // A plant-wide console's other runtime numbers its events on its own: the same number, another event.
        let other = EventEnvelope(sequence: 7, time: 3601, cell: "B2", correlationID: CorrelationID("c-1"),
                                  body: .notice(kind: "note", message: "second runtime's seventh event"))
        for _ in 0..<2 {
            for event in [first, other, first] {
                let kept = memo.eventLine(event, glyphs: .unicode, write: EventText.segments)
                #expect(kept == EventText.segments(event, glyphs: .unicode))
            }
        }
        #expect(memo.eventLine(other, glyphs: .unicode, write: EventText.segments).map(\.text).joined().contains("second runtime"))
        // Another glyph set writes the lines anew.
        let change = EventEnvelope(sequence: 8, time: 3602, cell: "B2", correlationID: CorrelationID("c-2"),
                                   body: .stateChanged(StateChange(from: .execute, to: .suspending, reason: .starved)))
        #expect(memo.eventLine(change, glyphs: .unicode, write: EventText.segments) == EventText.segments(change, glyphs: .unicode))
        #expect(memo.eventLine(change, glyphs: .ascii, write: EventText.segments) == EventText.segments(change, glyphs: .ascii))
        // More events than are kept: each still comes back as its own.
        for n in 0..<1_200 {
            let event = EventEnvelope(sequence: UInt64(100 + n), time: Double(n), cell: nil, correlationID: CorrelationID("c-\(n)"),
                                      body: .notice(kind: "note", message: "event \(n)"))
            #expect(memo.eventLine(event, glyphs: .unicode, write: EventText.segments) == EventText.segments(event, glyphs: .unicode))
        }
    }
}
