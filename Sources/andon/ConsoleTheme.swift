import AndonConsole
import ArgumentParser

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
