@testable import AndonCore
@testable import AndonRuntime
import Foundation
import Testing

/// A state change's record writes its own canonical JSON; the bytes must be `JSONEncoder`'s, since the audit chain's
/// hashes are computed over them.
struct StateChangePayloadTests {
    static let cells: [String?] = [nil, "B1", "L12/C3", "quo\"te", "back\\slash", "tab\there", "ümlaut", "", "~ ok {}:,"]

    static func encoded(_ value: CellStateChange) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    @Test(arguments: cells)
    func theWrittenTextIsTheEncodersText(cell: String?) {
        for from in PackMLState.allCases {
            for to in PackMLState.allCases {
                for reason in [StateReason.none, .starved, .blocked, .fault, .qualityHold, .interlock, .recalibration, .breakdown,
                               .maintenance, .command] {
                    let change = CellStateChange(cell: cell, change: StateChange(from: from, to: to, reason: reason))
                    #expect(CanonicalJSON.string(change) == Self.encoded(change))
                }
            }
        }
    }

    @Test func aTextItCannotWriteIsLeftToTheEncoder() {
        let change = CellStateChange(cell: "tab\there", change: StateChange(from: .execute, to: .held, reason: .fault))
        #expect(change.canonicalJSON == nil)
        #expect(CanonicalJSON.string(change) == #"{"cell":"tab\there","from":"Execute","reason":"fault","to":"Held"}"#)
    }

    /// An action's record writes its own text too, the encoder's byte for byte (or leaves it to the encoder).
    @Test(arguments: cells.compactMap { $0 })
    func anActionsRecordIsTheEncodersText(detail: String) {
        for applied in [true, false] {
            for action in ActionKind.allCases {
                let record = ActionRecord(execution: ActionExecution(proposalID: "p-1-\(detail.count)", action: action, target: detail,
                                                                     idempotencyKey: "B2.maint/\(action.rawValue)/t78", applied: applied),
                                          detail: detail)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                let encoded = String(decoding: try! encoder.encode(record), as: UTF8.self)
                if let text = record.canonicalJSON { #expect(text == encoded) }
                #expect(CanonicalJSON.string(record) == encoded)
            }
        }
        #expect(detail.contains("\t") == (ActionRecord(execution: ActionExecution(proposalID: "p", action: .holdCell, target: "B1",
                                                                                     idempotencyKey: "k", applied: true), detail: detail).canonicalJSON == nil))
    }
}
