import AndonCore
import Foundation
import Testing
@testable import AndonConsole

/// Theme lookup: user folder, ./themes, the package root, then the built-in copies; paths read as they are.
@Suite struct ThemeLibraryTests {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("andon-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func standardFoldersInOrder() {
        let library = ThemeLibrary.standard(environment: ["XDG_CONFIG_HOME": "/cfg", "HOME": "/home/ana"], workingDirectory: "/plant",
                                            executablePath: nil)
        #expect(library.folders == ["/cfg/andon/themes", "/plant/themes"])
        let home = ThemeLibrary.standard(environment: ["HOME": "/home/ana"], workingDirectory: "/plant", executablePath: nil)
        #expect(home.folders == ["/home/ana/.config/andon/themes", "/plant/themes"])
    }

    @Test func packageRootAboveTheExecutable() {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        #expect(ThemeLibrary.packageRoot(above: root.path + "/.build/debug/andon") == root.path)
        #expect(ThemeLibrary.packageRoot(above: "/usr/bin/andon") == nil)
    }

    @Test func userThemesComeFirstAndBuiltInsLast() throws {
        let user = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: user) }
        try "name: night\nbase: mono\nroles:\n  text: {attrs: [bold]}\n".write(to: user.appendingPathComponent("night.yaml"), atomically: true, encoding: .utf8)
        try "name: dark\nbase: isa101\nroles:\n  text: {fg: 15}\n".write(to: user.appendingPathComponent("dark.yaml"), atomically: true, encoding: .utf8)
        let library = ThemeLibrary(folders: [user.path, "/nonexistent"])
        #expect(try library.load("night").roles["text"]?.attributes == .bold)
        #expect(try library.load("dark").roles["text"]?.foreground == .basic(15), "a user file shadows the bundled theme")
        #expect(try library.load("colorblind") == Theme.named("colorblind"), "built-in copies when no folder has the file")
        let entries = library.entries()
        #expect(entries.map(\.name) == ["isa101", "dark", "light", "high-contrast", "colorblind", "mono", "night"])
        #expect(entries.first { $0.name == "dark" }?.path == user.path + "/dark.yaml")
        #expect(entries.first { $0.name == "isa101" }?.path == nil)
    }

    @Test func pathsAndBrokenFiles() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("broken.yaml").path
        try "name: broken\nbase: isa101\nroles:\n  txet: {fg: 1}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let library = ThemeLibrary(folders: [folder.path])
        #expect(ThemeLibrary.isPath(path) && !ThemeLibrary.isPath("dark"))
        do {
            _ = try library.load(path)
            Issue.record("a broken theme must not load")
        } catch {
            #expect(error.description.hasPrefix("\(path):4:3: error: unknown role 'txet'; did you mean 'text'?"), "\(error)")
        }
        #expect(throws: ConfigErrors.self) { try library.load("broken") }
        do {
            _ = try library.load("solarized")
            Issue.record("an unknown theme must not load")
        } catch {
            #expect(error.description.contains("no theme called 'solarized'") && error.description.contains("isa101"))
        }
    }
}
