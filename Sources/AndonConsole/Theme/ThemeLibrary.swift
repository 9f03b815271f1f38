import AndonCore
import Foundation

/// Where themes are found: user folders first, then the bundled folder, then the copies built into the binary.
///
/// A name `NAME` is looked up as `NAME.yaml` in each folder in turn: `$XDG_CONFIG_HOME/andon/themes` (or
/// `~/.config/andon/themes`), `./themes`, then `themes/` in the package root above the executable; the first file found
/// is used, and a broken file is an error rather than a reason to look further. Last come the bundled themes built into
/// the binary. An argument containing `/` or ending in `.yaml` is a path and is read as it is.
public struct ThemeLibrary: Sendable, Hashable {
    /// Folders searched, in order.
    public var folders: [String]

    /// A library over `folders`, then the built-in themes.
    public init(folders: [String]) {
        self.folders = folders
    }

    /// The standard folders for this process: user, working directory, package root of the executable.
    public static func standard(environment: [String: String] = ProcessInfo.processInfo.environment,
                                workingDirectory: String = FileManager.default.currentDirectoryPath,
                                executablePath: String? = Bundle.main.executablePath) -> ThemeLibrary {
        var folders: [String] = []
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            folders.append(config + "/andon/themes")
        } else if let home = environment["HOME"], !home.isEmpty {
            folders.append(home + "/.config/andon/themes")
        }
        folders.append(workingDirectory + "/themes")
        if let root = executablePath.flatMap(packageRoot(above:)) { folders.append(root + "/themes") }
        var seen: Set<String> = []
        return ThemeLibrary(folders: folders.map { URL(fileURLWithPath: $0).standardizedFileURL.path }.filter { seen.insert($0).inserted })
    }

    /// The nearest folder above `executable` (symlinks resolved) holding both `Package.swift` and `themes/`.
    static func packageRoot(above executable: String) -> String? {
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        while folder.path != "/" && !folder.path.isEmpty {
            let manager = FileManager.default
            if manager.fileExists(atPath: folder.appendingPathComponent("Package.swift").path),
               manager.fileExists(atPath: folder.appendingPathComponent("themes").path) {
                return folder.path
            }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// The file named by the error for a theme name found nowhere (there is no file to point at).
    public static let lookupFile = "--theme"

    /// What went wrong, for one line: `file:line:column: message`, or just the message when no file was involved.
    public static func summary(of error: ConfigError) -> String {
        error.location.file == lookupFile ? error.message : "\(error.location): \(error.message)"
    }

    /// True when `argument` names a file rather than a theme.
    public static func isPath(_ argument: String) -> Bool {
        argument.contains("/") || argument.hasSuffix(".yaml") || argument.hasSuffix(".yml")
    }

    /// Loads the theme named (or at the path) `argument`; every problem in a file found is thrown with its position.
    public func load(_ argument: String) throws(ConfigErrors) -> Theme {
        if Self.isPath(argument) { return try ThemeFile.load(path: argument) }
        let name = argument.lowercased()
        if let path = file(named: name) { return try ThemeFile.load(path: path) }
        if let theme = Theme.named(name) { return theme }
        let location = SourceLocation(file: Self.lookupFile, line: 1, column: 1)
        throw ConfigErrors([ConfigError(.danglingReference, at: location, "no theme called '\(argument)'",
                                        expected: "one of \(entries().map(\.name).joined(separator: ", ")), or a path to a .yaml file")])
    }

    /// The first `NAME.yaml` in the folders, if any.
    func file(named name: String) -> String? {
        for folder in folders {
            let path = folder + "/" + name + ".yaml"
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        return nil
    }

    /// One theme the library can load: its name and where it comes from (a path, or nil when built in).
    public struct Entry: Sendable, Hashable {
        /// The name to pass to `--theme` or `:theme`.
        public var name: String
        /// The file it is read from; nil for a built-in copy.
        public var path: String?
    }

    /// Every theme by name, first-found wins: user and folder files, then the built-in themes not shadowed by a file.
    public func entries() -> [Entry] {
        var found: [Entry] = []
        var names: Set<String> = []
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for file in files.sorted() where file.hasSuffix(".yaml") {
                let name = String(file.dropLast(5)).lowercased()
                if names.insert(name).inserted { found.append(Entry(name: name, path: folder + "/" + file)) }
            }
        }
        for theme in Theme.bundled where names.insert(theme.name).inserted { found.append(Entry(name: theme.name, path: nil)) }
        let bundledOrder = Theme.bundled.map(\.name)
        return found.sorted { (bundledOrder.firstIndex(of: $0.name) ?? .max, $0.name) < (bundledOrder.firstIndex(of: $1.name) ?? .max, $1.name) }
    }
}
