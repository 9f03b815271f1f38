import AndonCore
import Crypto
import Foundation

extension PolicySpec {
    /// Reads and checks a policy file, reporting every problem with its position.
    public static func load(path: String) throws(ConfigErrors) -> PolicySpec {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigErrors([ConfigError(.io, at: SourceLocation(file: path, line: 1, column: 1), "cannot read the file")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigErrors([ConfigError(.syntax, at: SourceLocation(file: path, line: 1, column: 1), "the file is not UTF-8 text")])
        }
        return try parse(text: text, file: path, hash: hexDigest(data))
    }

    /// Reads and checks policy text; `file` names it in messages.
    public static func parse(text: String, file: String) throws(ConfigErrors) -> PolicySpec {
        try parse(text: text, file: file, hash: hexDigest(Data(text.utf8)))
    }

    private static func parse(text: String, file: String, hash: String) throws(ConfigErrors) -> PolicySpec {
        let diagnostics = Diagnostics(file: file)
        guard let root = ConfigNode.parse(text, diagnostics: diagnostics) else { throw ConfigErrors(diagnostics.errors) }
        var reader = PolicyReader(diagnostics: diagnostics)
        let spec = reader.read(root, hash: hash)
        if let spec {
            PolicyChecks(rules: spec.rules, sites: reader.sites, ids: reader.ids, diagnostics: diagnostics).run()
        }
        try diagnostics.throwIfAny()
        guard let spec else { throw ConfigErrors(diagnostics.errors) }
        return spec
    }

    /// SHA-256 of `data` as lowercase hex.
    static func hexDigest(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }
}
