import AndonCore
import AndonTesting
import Testing

/// The contract's door: every kind of bad message is refused with its reason.
struct TelemetryValidationTests {
    static let now = 1_767_600_000.0
    static let good = #"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","state":"Execute","produced":3,"scrap":0,"readings":{"vibration":{"value":1.4,"unit":"mm/s"},"oil_temp":{"value":45,"unit":"°C"}}}"#

    static func check(_ line: String, validator: inout TelemetryValidator) -> Result<ValidatedTelemetry, TelemetryRejection> {
        Result { () throws(TelemetryRejection) in try validator.validate(TelemetryParser.parse(line), now: now) }
    }

    @Test func goodMessagePasses() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        let validated = try Self.check(Self.good, validator: &validator).get()
        #expect(validated.cellIndex == 0)
        #expect(validated.readings.map(\.sensor) == [0, 1])
        #expect(validated.readings.map(\.value) == [1.4, 45])
        #expect(validated.state == .execute)
        #expect(validated.counters?.produced == 3)
    }

    static let bad: [(String, RejectReason)] = [
        ("not json", .malformed),
        ("[1,2,3]", .malformed),
        (#"{"schema":1,"source":"plc","seq":1"#, .malformed),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1"} trailing"#, .malformed),
        (#"{"schema":1,"source":"plc","seq":01,"ts":1767592801,"cell":"B1"}"#, .malformed),
        (#"{"schema":1,"source":"plc\u0001","seq":1,"ts":1767592801,"cell":"B1",}"#, .malformed),
        (#"{"schema":2,"source":"plc","seq":1,"ts":1767592801,"cell":"B1"}"#, .unsupportedVersion),
        (#"{"source":"plc","seq":1,"ts":1767592801,"cell":"B1"}"#, .missingField),
        (#"{"schema":1,"seq":1,"ts":1767592801,"cell":"B1"}"#, .missingField),
        (#"{"schema":1,"source":"plc","ts":1767592801,"cell":"B1"}"#, .missingField),
        (#"{"schema":1,"source":"plc","seq":1,"cell":"B1"}"#, .missingField),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801}"#, .missingField),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","readings":{"vibration":{"value":1.4}}}"#, .missingField),
        (#"{"schema":1,"source":"plc","seq":"1","ts":1767592801,"cell":"B1"}"#, .wrongType),
        (#"{"schema":1,"source":"plc","seq":1.5,"ts":1767592801,"cell":"B1"}"#, .wrongType),
        (#"{"schema":1,"source":"plc","seq":-4,"ts":1767592801,"cell":"B1"}"#, .wrongType),
        (#"{"schema":1,"source":"plc","seq":1,"ts":"2026-01-05T06:00:01Z","cell":"B1"}"#, .wrongType),
        (#"{"schema":1,"source":42,"seq":1,"ts":1767592801,"cell":"B1"}"#, .wrongType),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","readings":{"vibration":{"value":"1.4","unit":"mm/s"}}}"#, .wrongType),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","readings":[1.4]}"#, .wrongType),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","produced":2.5,"scrap":0}"#, .wrongType),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"Z9"}"#, .unknownCell),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","readings":{"spindle":{"value":1.4,"unit":"mm/s"}}}"#, .unknownSensor),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","readings":{"vibration":{"value":1.4,"unit":"in/s"}}}"#, .wrongUnit),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","readings":{"oil_temp":{"value":45,"unit":"C"}}}"#, .wrongUnit),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","readings":{"vibration":{"value":250,"unit":"mm/s"}}}"#, .outOfRange),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","readings":{"oil_temp":{"value":-80,"unit":"°C"}}}"#, .outOfRange),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","readings":{"vibration":{"value":1e400,"unit":"mm/s"}}}"#, .outOfRange),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","state":"Running"}"#, .unknownState),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","state":"execute"}"#, .unknownState),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","state":"Held","reason":"lunch"}"#, .unknownState),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","produced":3,"scrap":5}"#, .invalidCounter),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","produced":-1,"scrap":0}"#, .invalidCounter),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767592801,"cell":"B1","produced":3}"#, .invalidCounter),
        (#"{"schema":1,"source":"plc","seq":1,"ts":1767603601,"cell":"B1"}"#, .futureTimestamp),
    ]

    @Test(arguments: bad)
    func badMessageIsRefused(_ line: String, _ reason: RejectReason) throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        switch Self.check(line, validator: &validator) {
        case .success: Issue.record("accepted: \(line)")
        case let .failure(rejection):
            #expect(rejection.reason == reason, "\(rejection.detail)")
            #expect(!rejection.detail.isEmpty)
        }
        #expect(validator.highestSequences.isEmpty, "a refused message must leave no trace")
    }

    @Test func everyReasonButDuplicateOrderAndLengthIsInTheTable() {
        let covered = Set(Self.bad.map(\.1))
        let rest = Set(RejectReason.allCases).subtracting(covered)
        #expect(rest == [.duplicate, .outOfOrder, .tooLong])
    }

    @Test func unknownFieldsAreSkipped() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        let line = #"{"gateway":{"id":"gw-1","tags":[1,true,null,{"x":"\"q\""}]},"schema":1,"source":"plc","seq":9,"ts":1767592801.25,"cell":"B1"}"#
        let validated = try Self.check(line, validator: &validator).get()
        #expect(validated.timestamp == 1_767_592_801.25)
        #expect(validated.sequence == 9)
    }
}
