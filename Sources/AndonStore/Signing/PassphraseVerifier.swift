import AndonCore
import Foundation
import Synchronization

/// Checks signing passphrases against the plant's credentials file (read afresh at each check, so a passphrase set
/// while the runtime runs counts at once) or a demo roster's known passphrases, and locks a person's signing after
/// too many wrong tries in a row.
public final class PassphraseVerifier: SignatureVerifier {
    /// Where the passphrases come from.
    public enum Source: Sendable {
        /// The plant's credentials file (hashes only).
        case file(String)
        /// A demo roster's passphrases, known to anyone who reads it; also signs scripted commands.
        case demo([String: String])
    }

    private struct Tries {
        var wrong = 0
        var lockedUntil: Double?
    }

    private let source: Source
    private let tries: Int
    private let lockoutSeconds: Double
    private let now: @Sendable () -> Double
    private let state = Mutex<[String: Tries]>([:])

    /// A verifier; `now` is a monotonic clock in seconds (tests pass their own).
    public init(source: Source, tries: Int = 5, lockoutSeconds: Double = 900,
                now: @escaping @Sendable () -> Double = { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }) {
        self.source = source
        self.tries = max(1, tries)
        self.lockoutSeconds = lockoutSeconds
        self.now = now
    }

    public func check(name: String, passphrase: Passphrase) -> SignatureCheck {
        let start = now()
        let locked: Double? = state.withLock { people in
            guard let until = people[name]?.lockedUntil else { return nil }
            if start >= until {
                people[name] = nil  // the lockout is over: a fresh count
                return nil
            }
            return until - start
        }
        if let locked { return .locked(seconds: locked) }
        guard let matches = matches(name: name, passphrase: passphrase) else { return .notSet }
        return state.withLock { people in
            if matches {
                people[name] = nil
                return .valid
            }
            var entry = people[name] ?? Tries()
            entry.wrong += 1
            defer { people[name] = entry }
            if entry.wrong >= tries {
                entry.lockedUntil = now() + lockoutSeconds
                return .wrongAndLocked(seconds: lockoutSeconds)
            }
            return .wrong(triesLeft: tries - entry.wrong)
        }
    }

    public func scriptedPassphrase(for name: String) -> Passphrase? {
        guard case let .demo(known) = source, let text = known[name] else { return nil }
        return Passphrase(text)
    }

    /// Nil when the person has no passphrase (or the credentials cannot be read: then nobody can sign, and says so).
    private func matches(name: String, passphrase: Passphrase) -> Bool? {
        switch source {
        case let .file(path):
            guard let credentials = try? SigningCredentials.load(path: path) else { return nil }
            return credentials.matches(passphrase, for: name)
        case let .demo(known):
            guard let text = known[name] else { return nil }
            return SigningCredentials.constantTimeEqual(Array(text.utf8), passphrase.bytes)
        }
    }
}
