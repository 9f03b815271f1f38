import AndonCore
import Foundation

/// The rule for telemetry: every line is taken or refused (by the parser or the validator) with a reason and a detail;
/// a taken line reads back the same from its own encoding and is JSON that Foundation reads with the same source and cell.
enum TelemetryDoor {
    /// The clock the validator is checked against (2026-01-05, a little after the recorded stream).
    static let now = 1_767_600_000.0

    static func violation(_ bytes: UnsafeRawBufferPointer) -> String? {
        var validator = TelemetryValidator(plant: DemoFiles.plant, maxClockSkewSeconds: 300)
        let all = bytes.bindMemory(to: UInt8.self)
        var start = 0
        var number = 0
        while start <= all.count {
            let end = all[start...].firstIndex(of: 0x0A) ?? all.count
            number += 1
            if let problem = check(UnsafeBufferPointer(rebasing: all[start..<end]), &validator) { return "line \(number): \(problem)" }
            start = end + 1
        }
        return nil
    }

    private static func check(_ line: UnsafeBufferPointer<UInt8>, _ validator: inout TelemetryValidator) -> String? {
        let message: TelemetryMessage
        do {
            message = try TelemetryParser.parse(line)
            _ = try validator.validate(message, now: now)
        } catch {
            return error.detail.isEmpty ? "refused as \(error.reason.rawValue) without a detail" : nil
        }
        let encoded = message.jsonLine()
        guard let again = try? TelemetryParser.parse(encoded), again == message else {
            return "taken, but its encoding \(encoded.debugDescription) does not read back the same"
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any] else {
            return "taken, but it is not a JSON object to Foundation"
        }
        guard object["source"] as? String == message.source, object["cell"] as? String == message.cell else {
            return "taken with source \(message.source.debugDescription) and cell \(message.cell.debugDescription); Foundation reads otherwise"
        }
        return nil
    }
}
