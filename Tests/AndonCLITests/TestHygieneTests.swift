import AndonTesting
import Foundation
import Testing

/// Rules the tests themselves keep, because breaking them makes other tests fail at random.
struct TestHygieneTests {
    /// Tests run in parallel in one process. A variable set there with `setenv` is inherited by every `andon` another
    /// test starts meanwhile: a headless demo once signed its checkpoints with one test's key folder
    /// (`XDG_CONFIG_HOME`) and was verified with the default one ("checkpoint #2 was signed by key …, not the one
    /// given"). A test gives its variables to the processes it starts (`AndonProcess.start(_:environment:)`).
    @Test func noTestSetsAVariableForTheWholeProcess() throws {
        var offenders: [String] = []
        for folder in ["Tests", "Sources/AndonTesting"] {
            let base = Fixtures.root.appendingPathComponent(folder)
            let files = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
            #expect(!files.isEmpty, "\(folder) holds Swift files")
            for file in files where !file.hasSuffix("TestHygieneTests.swift") {
                let text = try String(contentsOf: base.appendingPathComponent(file), encoding: .utf8)
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                where line.contains("setenv(") || line.contains("putenv(") {
                    offenders.append("\(folder)/\(file):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
                }
            }
        }
        #expect(offenders.isEmpty, "set for this process only, through the environment of what is started:\n\(offenders.joined(separator: "\n"))")
    }
}
