extension PlantReader {
    /// Reads the `store:` block: `url` (required), `password_file`, `runtime`, each a string. A `password` key is
    /// refused by name and its value never repeated; what the values mean is checked where the store is opened.
    func readStore(_ node: ConfigNode) -> StoreSpec? {
        let refused = ["password": ("a password is never written in the plant file",
                                    expected: "password_file: a file only its owner can read, or PGPASSWORD in the environment")]
        guard let map = node.mapping("'store'", keys: ["url", "password_file", "runtime"], required: ["url"], refused: refused) else { return nil }
        func setting(_ key: String, _ what: String) -> StoreSpec.Setting? {
            guard let value = map[key], let text = value.string(what) else { return nil }
            return StoreSpec.Setting(text, at: value.location)
        }
        let passwordFile = setting("password_file", "store password_file")
        let runtime = setting("runtime", "store runtime")
        guard let url = setting("url", "store url") else { return nil }
        return StoreSpec(url: url, passwordFile: passwordFile, runtime: runtime)
    }
}
