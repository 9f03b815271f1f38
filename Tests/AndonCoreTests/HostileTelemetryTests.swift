import AndonCore
import Foundation
import AndonTesting
import Testing

/// Lines a hostile or careless publisher can send: each is refused with a reason, or read as it was meant; none stops the door.
struct HostileTelemetryTests {
    private static let now = 1_767_600_000.0

    private func verdict(_ validator: inout TelemetryValidator, _ line: String) -> TelemetryRejection? {
        do {
            _ = try validator.validate(try TelemetryParser.parse(line), now: Self.now)
            return nil
        } catch {
            return error
        }
    }

    private func line(seq: UInt64, ts: Double, source: String = "plc") -> String {
        TelemetryMessage(source: source, sequence: seq, timestamp: ts, cell: "B1").jsonLine()
    }

    @Test(arguments: ["1e19", "1e300", "9223372036854775807", "18446744073709551616"])
    func aTimestampFarInTheFutureIsRefusedNotATrap(_ ts: String) throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        let rejection = verdict(&validator, #"{"schema":1,"source":"x","seq":1,"ts":\#(ts),"cell":"B1"}"#)
        #expect(rejection?.reason == .futureTimestamp)
        #expect(rejection?.detail.contains("ahead of the clock") == true)
    }

    @Test(arguments: [("-1.0000000000000002", -1.0000000000000002), ("-1e23", -1e23), ("-20.12345678901234", -20.12345678901234),
                      ("-0.000000000000000000000001", -1e-24), ("-123456789012345678901234", -123456789012345678901234.0)])
    func negativeNumbersKeepTheirSignOnEveryPath(_ text: String, _ expected: Double) throws {
        let message = try TelemetryParser.parse(#"{"schema":1,"source":"s","seq":1,"ts":1,"cell":"B1","readings":{"oil_temp":{"value":\#(text),"unit":"°C"}}}"#)
        #expect(message.readings.first?.value == expected)
    }

    @Test(arguments: ["ts", "seq", "schema"])
    func aNumberBeyondDoubleIsNamedAsSuch(_ field: String) throws {
        var fields = ["schema": "1", "seq": "1", "ts": "1767592801"]
        fields[field] = "1e400"
        let text = #"{"schema":\#(fields["schema"]!),"source":"s","seq":\#(fields["seq"]!),"ts":\#(fields["ts"]!),"cell":"B1"}"#
        #expect(throws: TelemetryRejection.self) { try TelemetryParser.parse(text) }
        do {
            _ = try TelemetryParser.parse(text)
        } catch {
            #expect(error.reason == .wrongType)
            #expect(error.detail == "\(field) is beyond the range of numbers (±1.8e308)")
        }
    }

    /// A number beyond `Double` is refused wherever it stands, in a key the door does not read too: the line is not
    /// JSON that a general parser takes (Foundation refuses it), so it is not taken (found by `FuzzTelemetry`).
    @Test(arguments: [#"{"schema":1,"source":"s","seq":1,"ts":1,"cell":"B1","extra":1e400}"#,
                      #"{"schema":1,"source":"s","seq":1,"ts":1,"cell":"B1","readinos":{"load":{"value":55.991e30811,"unit":"%"}}}"#,
                      #"{"schema":1,"source":"s","seq":1,"ts":1,"cell":"B1","extra":[1,-1e309]}"#,
                      #"{"schema":1,"source":"s","seq":1,"ts":1,"cell":"B1","readings":{"oil_temp":{"value":1,"unit":"°C","note":1e400}}}"#])
    func aNumberBeyondDoubleInAnUnreadKeyIsRefused(_ text: String) throws {
        #expect((try? JSONSerialization.jsonObject(with: Data(text.utf8))) == nil, "Foundation refuses it too")
        do {
            _ = try TelemetryParser.parse(text)
            Issue.record("taken: \(text)")
        } catch {
            #expect(error.reason == .malformed)
            #expect(error.detail.contains("beyond the range of numbers"), "\(error.detail)")
        }
    }

    @Test(arguments: [#"{"schema":1,"source":"a","source":"b","seq":1,"ts":1,"cell":"B1"}"#,
                      #"{"schema":1,"source":"a","seq":1,"ts":1,"cell":"B1","cell":"B2"}"#,
                      #"{"schema":1,"source":"a","seq":1,"ts":1,"cell":"B1","readings":{"oil_temp":{"value":1,"unit":"°C","value":2}}}"#,
                      #"{"schema":1,"source":"a","seq":1,"ts":1,"cell":"B1","readings":{"oil_temp":{"value":1,"unit":"°C"},"oil_temp":{"value":2,"unit":"°C"}}}"#,
                      #"{"schema":1,"source":"a","seq":1,"ts":1,"cell":"B1","extra":1,"extra":2}"#])
    func aDuplicateKeyIsRefused(_ text: String) throws {
        #expect(throws: TelemetryRejection.self) { try TelemetryParser.parse(text) }
        do {
            _ = try TelemetryParser.parse(text)
        } catch {
            #expect(error.reason == .malformed)
            #expect(error.detail.contains("more than once"))
        }
    }

    @Test func aHugeSequenceNumberDoesNotBlockItsSource() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        #expect(verdict(&validator, line(seq: 1, ts: 1_767_592_801)) == nil)
        #expect(verdict(&validator, line(seq: UInt64(Int64.max), ts: 1_767_592_802)) == nil)
        #expect(verdict(&validator, line(seq: 2, ts: 1_767_592_803)) == nil, "a later message that counts from a sane number again is a restart")
        #expect(verdict(&validator, line(seq: 3, ts: 1_767_592_804)) == nil)
        #expect(validator.highestSequence(of: "plc") == 3)
        #expect(validator.restarts(of: "plc") == 1)
    }

    @Test func aRestartedPublisherIsRecognised() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        for seq in 1...100 { #expect(verdict(&validator, line(seq: UInt64(seq), ts: 1_767_592_800 + Double(seq))) == nil) }
        #expect(verdict(&validator, line(seq: 1, ts: 1_767_593_000)) == nil, "seq back to 1 with a newer timestamp: the publisher restarted")
        #expect(verdict(&validator, line(seq: 2, ts: 1_767_593_001)) == nil)
        #expect(verdict(&validator, line(seq: 2, ts: 1_767_593_001))?.reason == .duplicate, "after the restart, copies are still duplicates")
        #expect(verdict(&validator, line(seq: 60, ts: 1_767_592_860))?.reason == .outOfOrder, "the old session's late data is still late")
        #expect(validator.restarts(of: "plc") == 1)
        #expect(validator.highestSequence(of: "plc") == 2)
    }

    @Test func aCopyOfAnOldMessageIsNotARestart() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        for seq in 1...10 { #expect(verdict(&validator, line(seq: UInt64(seq), ts: 1_767_592_800 + Double(seq))) == nil) }
        #expect(verdict(&validator, line(seq: 1, ts: 1_767_592_801))?.reason == .duplicate)
        #expect(verdict(&validator, line(seq: 5, ts: 1_767_592_805))?.reason == .duplicate)
        #expect(validator.restarts(of: "plc") == 0)
    }
}
