import AndonCore
import Foundation

/// The people who may use the console and their roles; anyone not on it is an observer.
public struct OperatorRoster: Sendable, Hashable {
    /// The people, in file order.
    public private(set) var people: [Person]
    /// True when the roster says identities are claimed (`identity: claimed`, a demo roster): a console may name its
    /// person (`--operator`, `andon attach --as`), and every record of such a session says so. Otherwise who a person
    /// is comes from the system (the login, the kernel).
    public var acceptsClaims: Bool
    /// The group whose members may attach to the served runtime (`group:`), if any.
    public var group: String?
    /// Demo signing passphrases by name (`passphrase:` on an operator, allowed only where identities are claimed).
    public var demoPassphrases: [String: String]
    /// How signing is guarded (`signing: {tries: 5, lockout: 15m}`).
    public var signing: SigningPolicy
    /// The demo signing passphrase of an unlisted login user the demo makes a supervisor (`login_passphrase:`, demo
    /// rosters only).
    public var loginPassphrase: String?

    /// Creates a roster.
    public init(people: [Person], acceptsClaims: Bool = false, group: String? = nil, demoPassphrases: [String: String] = [:],
                signing: SigningPolicy = SigningPolicy()) {
        self.people = people
        self.acceptsClaims = acceptsClaims
        self.group = group
        self.demoPassphrases = demoPassphrases
        self.signing = signing
    }

    /// True when `name` is on the roster.
    public func lists(_ name: String) -> Bool { people.contains { $0.name == name } }

    /// The person with this name, or an observer of that name when the roster does not list them.
    public func person(named name: String) -> Person {
        people.first { $0.name == name } ?? Person(name: name, role: .observer)
    }

    /// A copy in which `name` has `role`, replacing any entry of that name: for the demo's login user, who signs with
    /// the roster's `login_passphrase` if it has one.
    public func addingLoginUser(_ name: String, role: Role) -> OperatorRoster {
        var copy = self
        copy.people.removeAll { $0.name == name }
        copy.people.append(Person(name: name, role: role))
        if let loginPassphrase { copy.demoPassphrases[name] = loginPassphrase }
        return copy
    }

    /// How many listed people hold one of `roles`.
    public func count(holding roles: [Role]) -> Int {
        people.filter { roles.contains($0.role) }.count
    }

    /// Reads and checks a roster file.
    public static func load(path: String) throws(ConfigErrors) -> OperatorRoster {
        let diagnostics = Diagnostics(file: path)
        guard let root = ConfigNode.load(path: path, diagnostics: diagnostics) else { throw ConfigErrors(diagnostics.errors) }
        return try read(root, diagnostics)
    }

    /// Reads and checks roster text; `file` names it in messages.
    public static func parse(text: String, file: String) throws(ConfigErrors) -> OperatorRoster {
        let diagnostics = Diagnostics(file: file)
        guard let root = ConfigNode.parse(text, diagnostics: diagnostics) else { throw ConfigErrors(diagnostics.errors) }
        return try read(root, diagnostics)
    }

    private static func read(_ root: ConfigNode, _ diagnostics: Diagnostics) throws(ConfigErrors) -> OperatorRoster {
        var people: [Person] = []
        var firstLine: [String: Int] = [:]
        var acceptsClaims = false
        var group: String?
        var passphrases: [String: String] = [:]
        var passphraseNodes: [ConfigNode] = []
        var signing = SigningPolicy()
        var loginPassphrase: String?
        if let top = root.mapping("the roster file", keys: ["operators", "identity", "group", "signing", "login_passphrase"], required: ["operators"]) {
            if let node = top["login_passphrase"], let text = node.string("login_passphrase") {
                loginPassphrase = text
                passphraseNodes.append(node)
            }
            if let kind = top["identity"]?.named("identity", of: IdentityKind.self) { acceptsClaims = kind == .claimed }
            if let node = top["group"] { group = node.identifier("group name") }
            if let node = top["signing"], let map = node.mapping("'signing'", keys: ["tries", "lockout"]) {
                if let tries = map["tries"]?.integer("tries", in: 1...100) { signing.tries = tries }
                if let lockout = map["lockout"]?.duration("lockout") { signing.lockoutSeconds = lockout }
            }
            if let items = top["operators"]?.sequence("'operators'") {
                for item in items {
                    guard let map = item.mapping("an operator", keys: ["name", "role", "passphrase"], required: ["name", "role"]),
                          let nameNode = map["name"], let name = nameNode.identifier("operator name"),
                          let role = map["role"]?.named("role", of: Role.self) else { continue }
                    if let line = firstLine[name] {
                        diagnostics.report(.duplicateID, at: nameNode.location, "operator '\(name)' is listed twice (first at line \(line))",
                                           expected: "each name once")
                        continue
                    }
                    firstLine[name] = nameNode.location.line
                    people.append(Person(name: name, role: role))
                    if let node = map["passphrase"], let text = node.string("passphrase") {
                        passphrases[name] = text
                        passphraseNodes.append(node)
                    }
                }
            }
        }
        if !acceptsClaims {
            for node in passphraseNodes {
                diagnostics.report(.unknownKey, at: node.location, "a passphrase in the roster is for a demo roster only",
                                   expected: "identity: claimed at the top of a demo roster, or passphrases set with andon operator passphrase")
            }
        }
        try diagnostics.throwIfAny()
        var roster = OperatorRoster(people: people, acceptsClaims: acceptsClaims, group: group, demoPassphrases: passphrases, signing: signing)
        roster.loginPassphrase = loginPassphrase
        return roster
    }
}

/// How signing is guarded against guessing: after `tries` wrong passphrases in a row, a person's signing is locked for
/// `lockoutSeconds`.
public struct SigningPolicy: Sendable, Hashable {
    /// Wrong passphrases in a row that lock signing.
    public var tries: Int
    /// How long signing stays locked.
    public var lockoutSeconds: Double

    /// Five tries, then fifteen minutes.
    public init(tries: Int = 5, lockoutSeconds: Double = 900) {
        self.tries = tries
        self.lockoutSeconds = lockoutSeconds
    }
}

/// How a roster's people are known.
enum IdentityKind: String, CaseIterable {
    /// From the system: the login user, the kernel's word on a socket.
    case system
    /// Claimed by name (a demo roster): shown and recorded as claimed.
    case claimed
}
