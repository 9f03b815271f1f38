/// Collects configuration errors while a file is read, so that all of them are reported at once.
///
/// A reader keeps going after a problem, skipping only the value at fault.
public final class Diagnostics {
    /// The file being read, as it appears in messages.
    public let file: String
    /// The problems found so far.
    public private(set) var errors: [ConfigError] = []

    /// Starts collecting for one file.
    public init(file: String) {
        self.file = file
    }

    /// Records a problem.
    public func report(_ kind: ConfigError.Kind, at location: SourceLocation, _ message: String, expected: String? = nil) {
        errors.append(ConfigError(kind, at: location, message, expected: expected))
    }

    /// Records a problem found elsewhere.
    public func append(contentsOf other: [ConfigError]) {
        errors.append(contentsOf: other)
    }

    /// True when nothing is wrong so far.
    public var isClean: Bool { errors.isEmpty }

    /// Throws every problem found, if there is one.
    public func throwIfAny() throws(ConfigErrors) {
        if !errors.isEmpty { throw ConfigErrors(errors) }
    }
}
