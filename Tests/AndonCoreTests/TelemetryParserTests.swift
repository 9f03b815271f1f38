import AndonCore
import Testing

/// The hand-written reader agrees with JSON where the contract needs it.
struct TelemetryParserTests {
    @Test(arguments: [("1.42", 1.42), ("0", 0.0), ("-0.5", -0.5), ("1e2", 100.0), ("2.5E-3", 0.0025), ("45.000", 45.0),
                      ("123456789012345678901234", 123456789012345678901234.0), ("0.1234567890123456789", 0.1234567890123456789),
                      ("1767592801.25", 1767592801.25)])
    func numbersReadExactly(_ text: String, _ expected: Double) throws {
        let message = try TelemetryParser.parse(#"{"schema":1,"source":"s","seq":1,"cell":"B1","ts":\#(text)}"#)
        #expect(message.timestamp == expected)
    }

    @Test func escapesAreDecoded() throws {
        let message = try TelemetryParser.parse(#"{"schema":1,"source":"line \"7\" \u00e9\ud83d\ude00\/\\","seq":1,"ts":1,"cell":"B1"}"#)
        #expect(message.source == "line \"7\" é😀/\\")
    }

    @Test func recordedLineRoundTrips() throws {
        let message = TelemetryMessage(source: "sim \"x\"", sequence: 42, timestamp: 1_767_592_801.5, cell: "B1",
                                       readings: [TelemetryReading(sensor: "oil_temp", value: 45.1234, unit: "°C")],
                                       produced: 10, scrap: 1, state: "Held", reason: "fault")
        #expect(try TelemetryParser.parse(message.jsonLine()) == message)
    }

    @Test func whitespaceAroundTokensIsAllowed() throws {
        let message = try TelemetryParser.parse(" { \"schema\" : 1 , \"source\" : \"s\" , \"seq\" : 3 , \"ts\" : 5 , \"cell\" : \"B1\" , \"readings\" : { } } ")
        #expect(message.sequence == 3)
        #expect(message.readings.isEmpty)
    }
}
