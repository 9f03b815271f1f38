import AndonCore
import Foundation
import PropertyBased
import Testing

/// The telemetry reader's numbers agree with Foundation's JSON reader on every number JSON can write.
struct NumberScannerProperties {
    /// A JSON number as text: sign, integer digits (no leading zero), maybe a fraction, maybe an exponent.
    static let numberText = zip(Gen.bool, Gen.number.string(of: 1...24), Gen.number.string(of: 0...24), Gen<Int>.int(in: -400...400), Gen.bool)
        .map { negative, digits, fraction, exponent, hasExponent in
            let integer = digits.drop { $0 == "0" }
            var text = (negative ? "-" : "") + (integer.isEmpty ? "0" : String(integer))
            if !fraction.isEmpty { text += "." + fraction }
            if hasExponent { text += "e\(exponent)" }
            return text
        }

    private func oracle(_ text: String) throws -> NSNumber? {
        (try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [Any])?.first as? NSNumber
    }

    /// Foundation's reader is the oracle for what a number is; it rounds long mantissas a little differently (it reads
    /// `5.8372816635546619` one unit in the last place low), so it must agree to 1e-14 relative, with the same sign and
    /// the same finiteness, and the exact value comes from the correctly rounded `Double(String)`.
    @Test func valuesMatchFoundation() async {
        await propertyCheck(count: 2000, input: Self.numberText) { text in
            let line = #"{"schema":1,"source":"s","seq":1,"ts":1,"cell":"B1","readings":{"oil_temp":{"value":\#(text),"unit":"°C"}}}"#
            guard let expected = try oracle(text)?.doubleValue, let exact = Double(text) else {
                Issue.record("Foundation does not read \(text)")
                return
            }
            do throws(TelemetryRejection) {
                let value = try TelemetryParser.parse(line).readings[0].value
                #expect(value.bitPattern == exact.bitPattern, "\(text): \(value), correctly rounded \(exact)")
                #expect(value.sign == expected.sign || value == 0, "\(text): \(value) vs Foundation's \(expected)")
                let close = value == expected || abs(value - expected) <= 1e-14 * abs(expected) || abs(value - expected) < 1e-300
                #expect(close, "\(text): \(value) vs Foundation's \(expected)")
            } catch {
                #expect(!expected.isFinite && !exact.isFinite, "\(text) refused (\(error.detail)) but Foundation reads \(expected)")
            }
        }
    }

    @Test func integersMatchFoundation() async {
        await propertyCheck(count: 1000, input: Gen<Int64>.int64(in: 0 ... .max)) { n in
            let line = #"{"schema":1,"source":"s","seq":\#(n),"ts":1,"cell":"B1"}"#
            let expected = try oracle(String(n))?.int64Value
            let sequence = try TelemetryParser.parse(line).sequence
            #expect(sequence == expected.map { UInt64($0) })
        }
    }
}
