import AndonCore
import Foundation
import Testing

/// A log line's time stamp is written without `ISO8601DateFormatter` (which loads calendar and time-zone data), and
/// must read as the formatter's would.
struct UTCStampTests {
    @Test(arguments: [0, -1, 59.999, 951_782_400, 1_709_164_800, 1_767_225_599.5, 2_147_483_648, 4_102_444_800, -2_208_988_800,
                      253_402_300_799])
    func aStampIsTheFormattersStamp(_ seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(TimeText.utcStamp(date) == ISO8601DateFormatter().string(from: date))
    }

    @Test func everyHourOfFourHundredYearsIsTheFormattersStamp() {
        // Through leap days, the Gregorian century rules and the seconds in between, a stamp every 1,009,777 s or so.
        let formatter = ISO8601DateFormatter()
        var seconds = -2_208_988_800.0 // 1900-01-01
        var checked = 0
        while seconds < 10_413_792_000 { // 2300-01-01
            let date = Date(timeIntervalSince1970: seconds)
            #expect(TimeText.utcStamp(date) == formatter.string(from: date))
            seconds += 1_009_777.25
            checked += 1
        }
        #expect(checked > 12_000)
    }
}
