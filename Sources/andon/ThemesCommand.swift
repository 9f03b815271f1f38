import AndonConsole
import AndonCore
import ArgumentParser
import Foundation

/// `andon themes`: list the themes the console can use, and check theme files.
struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List console themes, or check a theme file.",
        discussion: """
        Themes are looked up by name as NAME.yaml in $XDG_CONFIG_HOME/andon/themes (or ~/.config/andon/themes), \
        then ./themes, then themes/ in the package root above the andon executable; the bundled themes are also \
        built into the binary. See docs/themes.md.
        """,
        subcommands: [List.self, Check.self]
    )

    /// `andon themes list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every theme by name, with where it is read from.")

        func run() throws {
            let library = ThemeLibrary.standard()
            let entries = library.entries()
            let width = entries.map(\.name.count).max() ?? 0
            for entry in entries {
                let summary: String
                let source: String
                do {
                    let theme = try library.load(entry.name)
                    summary = theme.summary
                    source = entry.path ?? "built in"
                } catch {
                    summary = "BROKEN: \(error.errors.count == 1 ? "1 error" : "\(error.errors.count) errors") (andon themes check \(entry.path ?? entry.name))"
                    source = entry.path ?? "built in"
                }
                print(TerminalText.printable("\(entry.name.padding(toLength: width, withPad: " ", startingAt: 0))  \(summary)  [\(source)]"))
            }
            print("default: isa101; folders searched: \(library.folders.joined(separator: ", ")), then the built-in copies")
        }
    }

    /// `andon themes check FILE`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check theme files; print every problem with its line and column.")

        @Argument(help: "Theme files (.yaml), or names of themes to look up.")
        var files: [String]

        func run() throws {
            var failed = false
            for file in files {
                do {
                    let theme = try ThemeLibrary.standard().load(file)
                    print("\(file): ok: theme \(theme.name), \(theme.roles.count) roles\(theme.usesColor ? "" : ", no colour")")
                } catch {
                    FileHandle.standardError.write(Data((error.description + "\n").utf8))
                    failed = true
                }
            }
            if failed { throw ExitCode(2) }
        }
    }
}
