/// A plant file's `store:` block: the PostgreSQL store the plant's runtime writes, as the file gives it. The password is
/// never in it; `password_file` names a file that holds it (else `PGPASSWORD`). The command line's `--store`,
/// `--store-password-file` and `--runtime` each win over their key.
public struct StoreSpec: Sendable, Hashable {
    /// One value of the block and where the file gives it, so a bad one is reported at its place.
    public struct Setting: Sendable, Hashable {
        /// The value as written.
        public var value: String
        /// Where it is written.
        public var location: SourceLocation

        /// Creates a setting.
        public init(_ value: String, at location: SourceLocation) {
            self.value = value
            self.location = location
        }
    }

    /// `url`: the `postgres://user@host:port/database?…` URL, without a password.
    public var url: Setting
    /// `password_file`: the file holding the password, as written (resolved against the plant file's folder).
    public var passwordFile: Setting?
    /// `runtime`: this runtime's stream id.
    public var runtime: Setting?

    /// Creates a block.
    public init(url: Setting, passwordFile: Setting? = nil, runtime: Setting? = nil) {
        self.url = url
        self.passwordFile = passwordFile
        self.runtime = runtime
    }
}
