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
}
