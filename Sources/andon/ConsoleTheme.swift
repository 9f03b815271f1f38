import AndonConsole
import ArgumentParser

/// The console's options, the same for `andon demo` and `andon run`.
struct ConsoleFlags: ParsableArguments {
    @Option(help: "Most frames drawn per second (console).")
    var fps = 4

    @Option(help: "Colour theme: a name (isa101, dark, light, high-contrast, colorblind, mono; see andon themes list) or a path to a .yaml file.")
    var theme = "isa101"

    @Flag(help: "Draw with ASCII only.")
    var ascii = false

    /// Exits 2 when `--fps` is out of range.
    func checkFrameRate() throws {
        guard fps >= 1, fps <= 60 else {
            printError("error: --fps \(fps) is out of range (expected 1 to 60)")
            throw ExitCode(2)
        }
    }

    /// The console's options with the theme loaded (exit 2 with the theme's problems); `--fps` is checked already.
    func options() throws -> ConsoleOptions {
        let (themes, consoleTheme) = try loadConsoleTheme(theme)
        return ConsoleOptions(framesPerSecond: fps, theme: consoleTheme, themes: themes, isASCII: ascii)
    }
}

/// Loads the `--theme NAME|PATH` the console will start with, or exits 2 with the theme's problems:
/// a bad theme never starts the console half-styled.
func loadConsoleTheme(_ name: String) throws -> (ThemeLibrary, Theme) {
    let themes = ThemeLibrary.standard()
    do {
        return (themes, try themes.load(name))
    } catch {
        if let miss = error.errors.first, error.errors.count == 1, miss.location.file == ThemeLibrary.lookupFile {
            printError("error: --theme \(name): \(miss.message)" + (miss.expected.map { " (expected \($0))" } ?? ""))
            throw ExitCode(2)
        }
        throw failConfiguration(error)
    }
}
