import Foundation
import Testing

/// Compares `text` with `__Snapshots__/<name>.txt` beside this file; records it instead when `RECORD_SNAPSHOTS=1` or it is missing.
func assertSnapshot(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("__Snapshots__")
    let file = directory.appendingPathComponent(name + ".txt")
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    // In CI nothing is recorded: a missing snapshot, or an order to re-record, is a failure.
    if ProcessInfo.processInfo.environment["CI"] != nil, record || !FileManager.default.fileExists(atPath: file.path) {
        Issue.record("snapshot \(name) is missing or being re-recorded in CI", sourceLocation: sourceLocation)
        return
    }
    if record || !FileManager.default.fileExists(atPath: file.path) {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try (text + "\n").write(to: file, atomically: true, encoding: .utf8)
        if !record { Issue.record("recorded new snapshot \(name); run again to compare", sourceLocation: sourceLocation) }
        return
    }
    let expected = try String(contentsOf: file, encoding: .utf8)
    #expect(text + "\n" == expected, "screen \(name) differs from its snapshot (RECORD_SNAPSHOTS=1 re-records)", sourceLocation: sourceLocation)
}
