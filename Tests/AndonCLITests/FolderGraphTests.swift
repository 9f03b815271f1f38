import AndonTesting
import Foundation
import Testing

/// The folders inside each target use each other one way only (docs/ARCHITECTURE.md, "Folders, one way").
struct FolderGraphTests {
    @Test func everyTargetsFolderGraphIsAcyclic() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "scripts/folder-graph.py", "--why"]
        process.currentDirectoryURL = Fixtures.root
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let cycles = text.split(separator: "\n").filter { $0.contains("CYCLE") }
        #expect(cycles.isEmpty, "folder cycles: \(cycles.joined(separator: "; "))\n\(text)")
        #expect(process.terminationStatus == 0, "scripts/folder-graph.py failed:\n\(text)")
        #expect(text.contains("AndonConsole:"), "the script printed no graph:\n\(text)")
    }
}
