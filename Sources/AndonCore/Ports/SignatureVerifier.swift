/// What checking a signature found.
public enum SignatureCheck: Sendable, Hashable {
    /// The passphrase is the person's.
    case valid
    /// It is not; `triesLeft` more before signing is locked.
    case wrong(triesLeft: Int)
    /// It is not, and that was the last try allowed: signing is locked for `seconds` from now.
    case wrongAndLocked(seconds: Double)
    /// Too many wrong tries: signing is locked for `seconds` more.
    case locked(seconds: Double)
    /// The person has no signing passphrase set.
    case notSet
}

/// Checks a person's signing passphrase: the second component of a signature, beside the identity the system vouches
/// for. Implementations keep only a memory-hard hash of each passphrase, readable by the runtime alone, and lock a
/// person's signing after repeated wrong tries.
public protocol SignatureVerifier: Sendable {
    /// Checks `passphrase` for the person named `name`; counts wrong tries and locks after too many.
    func check(name: String, passphrase: Passphrase) -> SignatureCheck
    /// A passphrase to sign scripted commands with (demo rosters only, which ship known passphrases); nil elsewhere.
    func scriptedPassphrase(for name: String) -> Passphrase?
}
