import Foundation
import Testing

/// `andon themes list|check` and `andon demo --theme`, run as a user would.
@Suite(.enabled(if: AndonBinary.path != nil, "needs the built andon binary"))
struct ThemeCommandTests {
    @Test func listShowsEveryBundledTheme() throws {
        let (status, output, _) = try AndonBinary.run(["themes", "list"], environment: ["XDG_CONFIG_HOME": "/nonexistent"])
        #expect(status == 0)
        for name in ["isa101", "dark", "light", "high-contrast", "colorblind", "mono"] {
            #expect(output.split(separator: "\n").contains { $0.hasPrefix(name + " ") }, "\(name) missing from:\n\(output)")
        }
        #expect(output.contains("themes/isa101.yaml"), "read from the repository's themes folder:\n\(output)")
    }

    @Test func checkAcceptsTheBundledFiles() throws {
        let files = ["isa101", "dark", "light", "high-contrast", "colorblind", "mono"].map { "themes/\($0).yaml" }
        let (status, output, errors) = try AndonBinary.run(["themes", "check"] + files)
        #expect(status == 0, "\(errors)")
        #expect(output.split(separator: "\n").count == files.count && output.contains("themes/mono.yaml: ok"))
    }

    @Test func checkNamesFileLineAndColumn() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("andon-bad-theme-\(UUID().uuidString).yaml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "name: bad\nroles:\n  text: {fg: \"#zz0000\"}\n  alarm.5: {fg: red}\n".write(toFile: path, atomically: true, encoding: .utf8)
        let (status, _, errors) = try AndonBinary.run(["themes", "check", path])
        #expect(status == 2)
        #expect(errors.contains("\(path):3:14: error: text fg '#zz0000' is not a colour"), "\(errors)")
        #expect(errors.contains("\(path):4:3: error: unknown role 'alarm.5'; did you mean 'alarm.1'?"), "\(errors)")
        #expect(errors.contains("\(path):2:1: error: roles is missing"), "the roles key, not the first role under it: \(errors)")
    }

    @Test func aBadThemeNeverStartsTheConsole() throws {
        let (status, output, errors) = try AndonBinary.run(["demo", "--store", ":memory:", "--theme", "no-such-theme"])
        #expect(status == 2)
        #expect(output.isEmpty)
        #expect(errors.contains("no theme called 'no-such-theme'") && errors.contains("isa101"), "\(errors)")
    }

    @Test(arguments: [["demo", "--store", ":memory:"], ["run", "--telemetry", "/dev/null", "--store", ":memory:"]])
    func bothConsolesRefuseABadThemeOrFrameRate(command: [String]) throws {
        let theme = try AndonBinary.run(command + ["--theme", "no-such-theme"])
        #expect(theme.status == 2)
        #expect(theme.errors.contains("error: --theme no-such-theme: no theme called 'no-such-theme'"), "\(theme.errors)")
        for fps in ["0", "61"] {
            let rate = try AndonBinary.run(command + ["--fps", fps])
            #expect(rate.status == 2)
            #expect(rate.output.isEmpty)
            #expect(rate.errors.contains("error: --fps \(fps) is out of range (expected 1 to 60)"), "\(rate.errors)")
        }
    }
}
