import Foundation

extension AuditStore {
    /// Where a plant's log lives by default: `$XDG_STATE_HOME/andon/<plant-id>.sqlite`, or
    /// `$HOME/.local/state/andon/<plant-id>.sqlite` when `XDG_STATE_HOME` is unset, empty or relative (as the XDG
    /// base directory spec asks). Slashes in the plant id become underscores. The directory is made on open.
    public static func defaultPath(plantID: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let fileName = plantID.replacingOccurrences(of: "/", with: "_") + ".sqlite"
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return (state as NSString).appendingPathComponent("andon/\(fileName)")
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/state/andon/\(fileName)")
    }

    /// The default signing key of a plant's store: `$XDG_CONFIG_HOME/andon/keys/<plant-id>.ed25519`, else under
    /// `~/.config/andon/keys/` (outside the store's folder, readable by the runtime's user only).
    public static func defaultSigningKeyPath(plantID: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        configPath("keys/" + plantID.replacingOccurrences(of: "/", with: "_") + ".ed25519", environment: environment)
    }

    /// The default fallback journal of a plant: `$XDG_CONFIG_HOME/andon/journal/<plant-id>.jsonl`, else under
    /// `~/.config/andon/journal/` (elsewhere than the store, whose disk may be the one that failed).
    public static func defaultJournalPath(plantID: String, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        configPath("journal/" + plantID.replacingOccurrences(of: "/", with: "_") + ".jsonl", environment: environment)
    }

    private static func configPath(_ relative: String, environment: [String: String]) -> String {
        if let config = environment["XDG_CONFIG_HOME"], config.hasPrefix("/") {
            return (config as NSString).appendingPathComponent("andon/" + relative)
        }
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".config/andon/" + relative)
    }
}
