import AndonCore
import Foundation
import PropertyBased
import Testing

/// The canonical JSON the audit hash chain is computed over: equal values give equal bytes, keys in order, and the
/// text reads back as the value.
struct CanonicalJSONProperties {
    struct Payload: Codable, Hashable, Sendable {
        var name: String
        var values: [String: Double]
        var tags: [String]
        var count: Int
    }

    /// Text with quotes, backslashes, slashes, control characters and characters beyond ASCII.
    static let text = Gen.unicodeScalar(in: "\u{0}"..."\u{2FF}").array(of: 0...12).map { String(String.UnicodeScalarView($0)) }

    static let payload = zip(text, zip(text, Gen.double(in: -1e12...1e12)).array(of: 0...8), text.array(of: 0...4), Gen<Int>.int())
        .map { name, pairs, tags, count in
            Payload(name: name, values: Dictionary(pairs, uniquingKeysWith: { first, _ in first }), tags: tags, count: count)
        }

    @Test func theTextReadsBackAsTheValue() async {
        await propertyCheck(count: 500, input: Self.payload) { payload in
            let text = CanonicalJSON.string(payload)
            let decoded = try JSONDecoder().decode(Payload.self, from: Data(text.utf8))
            #expect(decoded == payload, "\(text)")
        }
    }

    @Test func equalValuesGiveEqualBytes() async {
        await propertyCheck(count: 500, input: Self.payload) { payload in
            var reordered = payload
            reordered.values = [:]
            for (key, value) in payload.values.sorted(by: { $0.key > $1.key }) { reordered.values[key] = value }
            #expect(CanonicalJSON.string(reordered) == CanonicalJSON.string(payload))
        }
    }

    @Test func keysComeInOrder() async {
        await propertyCheck(count: 500, input: Self.payload) { payload in
            let text = CanonicalJSON.string(payload.values)
            // A key starts after `{` or `,`, so an escaped quote inside another key is never taken for it.
            let positions = payload.values.keys.sorted().map { key in
                let quoted = CanonicalJSON.string(key) + ":"
                let found = text.range(of: "{" + quoted) ?? text.range(of: "," + quoted)
                return found.map { text.distance(from: text.startIndex, to: $0.lowerBound) } ?? -1
            }
            #expect(!positions.contains(-1), "\(text)")
            #expect(positions == positions.sorted(), "\(text)")
        }
    }
}
