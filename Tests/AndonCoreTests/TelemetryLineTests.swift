import AndonCore
import AndonTesting
import Foundation
import Testing

/// Reading a line straight against the plant (`validate(line:now:)`) is a shortcut only: for any line it gives the
/// message the parser and validator give, or nothing (and then they decide), and it remembers what they remember.
struct TelemetryLineTests {
    static let now = TelemetryValidationTests.now

    /// What a validated message says, to compare two of them.
    static func describe(_ message: ValidatedTelemetry) -> String {
        let readings = message.readings.map { "\($0.sensor)=\($0.value)" }.joined(separator: ",")
        let counters = message.counters.map { "\($0.produced)/\($0.scrap)" } ?? "-"
        return "\(message.cellIndex) [\(readings)] \(counters) \(message.state?.rawValue ?? "-") \(message.reason?.rawValue ?? "-") "
            + "\(message.timestamp) \(message.source) \(message.sequence)"
    }

    /// Runs `line` through the shortcut on one validator and through the parser and validator on another, which have
    /// seen the same lines before: the shortcut must agree or step aside, and both must remember the same.
    static func compare(_ line: String, fast: inout TelemetryValidator, slow: inout TelemetryValidator) -> (taken: Bool, accepted: Bool) {
        var text = line
        let shortcut = text.withUTF8 { fast.validate(line: $0, now: now) }
        let general = Result { () throws(TelemetryRejection) in try slow.validate(TelemetryParser.parse(line), now: now) }
        if let shortcut {
            switch general {
            case let .success(message): #expect(describe(shortcut) == describe(message), "\(line)")
            case let .failure(rejection): Issue.record("the shortcut accepted what the validator refuses (\(rejection.detail)): \(line)")
            }
        } else if case .success = general {
            // The shortcut stepped aside: the door then asks the validator, which remembers it on the shortcut's side too.
            _ = try? fast.validate(TelemetryParser.parse(line), now: now)
        }
        #expect(fast.highestSequences == slow.highestSequences, "\(line)")
        if case .success = general { return (shortcut != nil, true) }
        return (shortcut != nil, false)
    }

    @Test func theRecordedStreamIsReadTheSameWayAndAlmostAllByTheShortcut() throws {
        let plant = try Fixtures.demoPlant()
        var fast = TelemetryValidator(plant: plant), slow = TelemetryValidator(plant: plant)
        let text = try String(contentsOfFile: Fixtures.path("demo/telemetry/riverside-10m.jsonl"), encoding: .utf8)
        var taken = 0, lines = 0
        for line in text.split(separator: "\n") {
            let outcome = Self.compare(String(line), fast: &fast, slow: &slow)
            #expect(outcome.accepted)
            if outcome.taken { taken += 1 }
            lines += 1
        }
        #expect(lines == 10_711)
        #expect(taken == lines - 1, "every line but the first of its source")
    }

    /// Good lines in shapes the shortcut may or may not read, and bad ones.
    static let variants: [String] = {
        let good = TelemetryValidationTests.good
        return [
            good,
            good.replacingOccurrences(of: "\"seq\":1", with: "\"seq\":2"),
            #"  { "schema" : 1 , "source" : "plc" , "seq" : 3 , "ts" : 1767592802 , "cell" : "B2" , "readings" : { } }  "#,
            #"{"cell":"B1","readings":{"oil_temp":{"unit":"°C","value":46},"vibration":{"value":1.5,"unit":"mm/s"}},"ts":1767592803,"seq":4,"source":"plc","schema":1}"#,
            #"{"readings":{"vibration":{"value":1.5,"unit":"mm/s"}},"schema":1,"source":"plc","seq":5,"ts":1767592803,"cell":"B1"}"#,
            #"{"schema":1,"source":"plc","seq":6,"ts":1767592803,"cell":"B1","readings":{"vibration":{"value":1.5,"unit":"mm\/s"}}}"#,
            #"{"schema":1,"source":"plc","seq":7,"ts":1767592803,"cell":"B1","readings":{"oil_temp":{"value":45,"unit":"\u00b0C"}}}"#,
            #"{"schema":1,"source":"plc","seq":8,"ts":1767592803,"cell":"B1","extra":{"a":[1,2]}}"#,
            #"{"schema":1,"source":"plc","seq":9,"ts":1767592803,"cell":"B1","seq":10}"#,
            #"{"schema":1,"source":"plc","seq":11,"ts":1767592803,"cell":"B1","readings":{"vibration":{"value":1.5,"unit":"mm/s"},"vibration":{"value":9,"unit":"mm/s"}}}"#,
            #"{"schema":1,"source":"plc","seq":12,"ts":1767592803,"cell":"B1","state":"Held","reason":"fault"}"#,
            #"{"schema":1,"source":"plc","seq":13,"ts":1767592803.5,"cell":"B1","state":"Execute","produced":5,"scrap":1}"#,
            #"{"schema":1,"source":"plc","seq":13,"ts":1767592804,"cell":"B1"}"#,
            #"{"schema":1,"source":"plc","seq":12,"ts":1767592804,"cell":"B1"}"#,
            #"{"schema":1,"source":"plc","seq":14,"ts":1767592700,"cell":"B1"}"#,
            #"{"schema":1,"source":"other","seq":1,"ts":1767592805,"cell":"B3"}"#,
            #"{"schema":1,"source":"other","seq":2,"ts":1767592806,"cell":"B3"}"#,
            #"{"schema":1,"source":"plc","seq":15,"ts":1767592806,"cell":"B3","produced":1,"scrap":0}"#,
            #"{"schema":1,"source":"plc","seq":16,"ts":1767592806,"cell":"B4","state":"Suspended","reason":"starved","readings":{"motor_current":{"value":1e1,"unit":"A"}}}"#,
            #"{"schema":1,"source":"plc","seq":17,"ts":1767592806,"cell":"B1","readings":{"vibration":{"value":-0.0,"unit":"mm/s"}}}"#,
            #"{"schema":1,"source":"plc","seq":18,"ts":1767592806,"cell":"B1","readings":{"vibration":{"value":100.0000001,"unit":"mm/s"}}}"#,
            #"{"schema":1.0,"source":"plc","seq":19,"ts":1767592806,"cell":"B1"}"#,
            #"{"schema":1,"source":"plc","seq":20,"ts":1767592806,"cell":"B1","produced":3,"scrap":4}"#,
            #"{"schema":1,"source":"plc","seq":21,"ts":1767592806,"cell":"B1","scrap":0}"#,
            #"{"schema":1,"source":"plc","seq":22,"ts":1767592806,"cell":"B1"} x"#,
            #"{"schema":1,"source":"plc","seq":23,"ts":1767592806,"cell":"B1","state":"execute"}"#,
            #"{"schema":1,"source":"plc","seq":24,"ts":1767602806,"cell":"B1"}"#,
            #"{"schema":1,"source":"plc","seq":25,"ts":1767592807,"cell":"B1\u0031"}"#,
            #"{"schema":1,"source":"plc","seq":26,"ts":1767592807,"cell":""}"#,
            #"{"schema":1,"source":"plc","seq":27,"ts":1767592807}"#,
            #"{"schema":1,"source":"plc","seq":28,"ts":1767592807,"cell":"B1","readings":{"vibration":{"value":1.5}}}"#,
            #"{"schema":1,"source":"plc","seq":29,"ts":1767592807,"cell":"B1","readings":{"vibration":{"unit":"mm/s","value":1.5,"value":2}}}"#,
        ]
    }()

    @Test func otherShapesAreReadTheSameWayOrLeftToTheValidator() throws {
        let plant = try Fixtures.demoPlant()
        var fast = TelemetryValidator(plant: plant), slow = TelemetryValidator(plant: plant)
        var taken = 0
        for line in Self.variants where Self.compare(line, fast: &fast, slow: &slow).taken { taken += 1 }
        #expect(taken >= 8, "the shortcut read the common shapes: \(taken)")
    }

    @Test(arguments: TelemetryValidationTests.bad)
    func aBadLineIsNeverTakenByTheShortcut(_ line: String, _ reason: RejectReason) throws {
        // The source has sent before, so the shortcut would read the line if it were good.
        let plant = try Fixtures.demoPlant()
        var fast = TelemetryValidator(plant: plant), slow = TelemetryValidator(plant: plant)
        let earlier = #"{"schema":1,"source":"plc","seq":0,"ts":1767592800,"cell":"B6"}"#
        _ = Self.compare(earlier, fast: &fast, slow: &slow)
        let outcome = Self.compare(line, fast: &fast, slow: &slow)
        #expect(!outcome.accepted && !outcome.taken)
    }

    @Test func aMessageKeepsItsReadingsWhenTheNextLineIsRead() throws {
        var validator = TelemetryValidator(plant: try Fixtures.demoPlant())
        var first = TelemetryValidationTests.good
        _ = try validator.validate(TelemetryParser.parse(first), now: Self.now)
        first = first.replacingOccurrences(of: "\"seq\":1", with: "\"seq\":2")
        let kept = try #require(first.withUTF8 { validator.validate(line: $0, now: Self.now) })
        var second = #"{"schema":1,"source":"plc","seq":3,"ts":1767592802,"cell":"B2","readings":{"oil_temp":{"value":50,"unit":"°C"}}}"#
        let next = try #require(second.withUTF8 { validator.validate(line: $0, now: Self.now) })
        #expect(kept.readings.map(\.value) == [1.4, 45])
        #expect(next.readings.map(\.value) == [50])
    }
}
