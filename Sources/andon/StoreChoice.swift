import AndonCore
import AndonStorePostgres
import Foundation

/// The store a run writes, from the command line and the plant file's `store:` block: `--store`,
/// `--store-password-file` and `--runtime` each win over their key, and a `--store` that is not a postgres:// URL
/// leaves the block unused. Problems in the block are configuration errors at their place in the file.
struct StoreChoice {
    /// A path, `:memory:` or a postgres:// URL; nil for the default store.
    var location: String?
    /// The file holding the PostgreSQL password, resolved (else `PGPASSWORD`).
    var passwordFile: String?
    /// This runtime's stream id, when one is named.
    var runtime: String?
    /// True when the plant file's block names the store.
    var usesBlock: Bool

    /// The choice for `options` and the plant they load.
    init(_ options: PlantOptions, plant: PlantSpec) {
        let block = plant.store
        usesBlock = block != nil && options.store.map(SharedStoreAddress.isShared) != false
        location = options.store ?? block?.url.value
        let fileFromBlock = usesBlock ? block?.passwordFile.map { Self.resolve($0.value, besidePlant: options.plant) } : nil
        passwordFile = options.storePasswordFile ?? fileFromBlock
        runtime = options.runtime ?? (usesBlock ? block?.runtime?.value : nil)
    }

    /// `path` with a leading `~/` taken from the home folder and a relative one from the plant file's folder.
    static func resolve(_ path: String, besidePlant plant: String) -> String {
        if path.hasPrefix("~/") {
            return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(String(path.dropFirst(2))).path
        }
        if path.hasPrefix("/") { return path }
        return URL(fileURLWithPath: plant).deletingLastPathComponent().appendingPathComponent(path).path
    }

    /// What the plant reader cannot check in the `store:` block, each at its place: the URL's parameters, and the
    /// password file (only when it is the one used: it exists and only its owner can read it). No message repeats a
    /// password.
    static func problems(_ options: PlantOptions, plant: PlantSpec) -> [ConfigError] {
        guard let block = plant.store else { return [] }
        var problems: [ConfigError] = []
        do {
            _ = try SharedStoreAddress(url: block.url.value)
        } catch {
            problems.append(ConfigError(.impossibleValue, at: block.url.location, "store url: \(error.description)",
                                        expected: "postgres://user@host:port/database?schema=…&runtime=…"))
        }
        let choice = StoreChoice(options, plant: plant)
        if let file = block.passwordFile, choice.usesBlock, options.storePasswordFile == nil {
            let path = resolve(file.value, besidePlant: options.plant)
            var status = stat()
            if stat(path, &status) != 0 || access(path, R_OK) != 0 {
                problems.append(ConfigError(.io, at: file.location, "the password file \(path) cannot be read",
                                            expected: "a file holding the password, readable by its owner only (mode 0600)"))
            } else if status.st_mode & 0o077 != 0 {
                problems.append(ConfigError(.impossibleValue, at: file.location,
                                            "the password file \(path) can be read by others (mode \(String(status.st_mode & 0o777, radix: 8)))",
                                            expected: "a file only its owner can read: chmod 600"))
            }
        }
        return problems
    }
}
