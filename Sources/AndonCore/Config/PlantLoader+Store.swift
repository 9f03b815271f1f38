import Foundation

extension PlantReader {
    /// Reads the `store:` block: `url` (required), `password_file`, `runtime`, each a string. A password, as a key or
    /// in the URL, is refused at its place and never repeated; the URL must be a postgres:// one and the runtime a
    /// stream id. The URL's parameters and the password file are checked where the store is opened.
    func readStore(_ node: ConfigNode) -> StoreSpec? {
        let refused = ["password": ("a password is never written in the plant file",
                                    expected: "password_file: a file only its owner can read, or PGPASSWORD in the environment")]
        guard let map = node.mapping("'store'", keys: ["url", "password_file", "runtime"], required: ["url"], refused: refused) else { return nil }
        func setting(_ key: String, _ what: String) -> StoreSpec.Setting? {
            guard let value = map[key], let text = value.string(what) else { return nil }
            return StoreSpec.Setting(text, at: value.location)
        }
        let passwordFile = setting("password_file", "store password_file")
        var runtime = setting("runtime", "store runtime")
        if let id = runtime, !Self.isStreamID(id.value) {
            diagnostics.report(.impossibleValue, at: id.location, "store runtime '\(id.value)' is not a stream id",
                               expected: "1 to 64 letters, digits, '.', '_' or '-'")
            runtime = nil
        }
        guard let url = setting("url", "store url") else { return nil }
        if Self.carriesPassword(url.value) {
            diagnostics.report(.impossibleValue, at: url.location, "the store url carries a password, and a password is never written in the plant file",
                               expected: "postgres://user@host:port/database, with password_file or PGPASSWORD")
            return nil
        }
        guard url.value.hasPrefix("postgres://") || url.value.hasPrefix("postgresql://") else {
            diagnostics.report(.impossibleValue, at: url.location, "store url '\(url.value)' is not a postgres:// URL",
                               expected: "postgres://user@host:port/database (the embedded SQLite store needs no block)")
            return nil
        }
        return StoreSpec(url: url, passwordFile: passwordFile, runtime: runtime)
    }

    /// True when `url` has a password between `//user:` and `@`, however the rest of it is written.
    static func carriesPassword(_ url: String) -> Bool {
        if URLComponents(string: url)?.password != nil { return true }
        guard let scheme = url.range(of: "://"), let at = url.range(of: "@", range: scheme.upperBound..<url.endIndex) else { return false }
        return url[scheme.upperBound..<at.lowerBound].contains(":")
    }

    /// True for a stream id: 1 to 64 of letters, digits, `.`, `_`, `-`.
    static func isStreamID(_ text: String) -> Bool {
        (1...64).contains(text.count)
            && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)) }
    }
}
