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
}
