/// A signing passphrase on its way to the runtime's check: never shown (its description is redacted), never logged,
/// never put on record, and let go as soon as it has been checked.
public struct Passphrase: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The UTF-8 bytes.
    public let bytes: [UInt8]

    /// A passphrase of `text`.
    public init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// A passphrase of these bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// True when nothing has been typed.
    public var isEmpty: Bool { bytes.isEmpty }

    /// Never the passphrase itself.
    public var description: String { "(passphrase)" }
    /// Never the passphrase itself, in a dump either.
    public var debugDescription: String { "(passphrase)" }
}
