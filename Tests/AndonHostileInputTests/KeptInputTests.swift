import AndonHostileInput
import Foundation
import Testing

/// Every input kept for the fuzz targets goes through its door again: the seed corpus, and each input that once broke
/// a door (`Fuzz/FailCases/<door>/`). A door that breaks again on one of them fails here, without a fuzzer.
struct KeptInputTests {
    static let fuzz = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    /// The files of `folder/door`, in name order.
    static func inputs(_ folder: String, _ door: HostileInput.Door) -> [URL] {
        let directory = fuzz.appendingPathComponent(folder).appendingPathComponent(door.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.sorted().map { directory.appendingPathComponent($0) }
    }

    @Test(arguments: HostileInput.Door.allCases)
    func everyFailCaseHolds(_ door: HostileInput.Door) throws {
        for file in Self.inputs("FailCases", door) {
            let violation = HostileInput.violation(at: door, try Data(contentsOf: file))
            #expect(violation == nil, "\(file.lastPathComponent): \(violation ?? "")")
        }
    }

    @Test(arguments: HostileInput.Door.allCases)
    func everySeedHolds(_ door: HostileInput.Door) throws {
        let seeds = Self.inputs("Corpus", door)
        #expect(!seeds.isEmpty, "no seed corpus for \(door.rawValue)")
        for file in seeds {
            let violation = HostileInput.violation(at: door, try Data(contentsOf: file))
            #expect(violation == nil, "\(file.lastPathComponent): \(violation ?? "")")
        }
    }
}
