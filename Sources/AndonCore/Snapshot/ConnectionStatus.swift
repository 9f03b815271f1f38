/// A console's link to a served runtime, as its header shows it: which runtime, who the console is, and whether the
/// link is up. While it is down nothing is decidable.
public struct ConnectionStatus: Sendable, Hashable, Codable {
    /// Which runtime (plant name and socket).
    public var runtime: String
    /// The person acting through the console (`ana (supervisor)`).
    public var person: String
    /// How the runtime knows them (`ana (uid 1001)`, or a claimed identity in a demo).
    public var identity: String
    /// True when the identity is claimed (a demo roster), not the kernel's.
    public var isClaimed: Bool
    /// True while the link is up.
    public var isConnected: Bool
    /// What is wrong while it is down.
    public var problem: String?

    /// A status.
    public init(runtime: String, person: String, identity: String, isClaimed: Bool, isConnected: Bool, problem: String?) {
        self.runtime = runtime
        self.person = person
        self.identity = identity
        self.isClaimed = isClaimed
        self.isConnected = isConnected
        self.problem = problem
    }
}
