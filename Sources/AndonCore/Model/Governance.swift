/// What a person may do, from least to most.
public enum Role: String, Sendable, Hashable, CaseIterable, Codable, Comparable {
    /// Watches; decides nothing.
    case observer
    /// Approves and rejects where a policy names operators.
    case `operator`
    /// Approves and rejects where named; kill switch; reloads policy.
    case supervisor
    /// Approves and rejects where named; reloads policy.
    case engineer

    /// A fixed order, for sorting.
    public var rank: Int { Role.allCases.firstIndex(of: self)! }

    /// Orders by rank.
    public static func < (lhs: Role, rhs: Role) -> Bool { lhs.rank < rhs.rank }
}

/// A person known to the runtime.
public struct Person: Sendable, Hashable, Codable {
    /// Login or roster name.
    public var name: String
    /// Their role.
    public var role: Role
    /// True when the name was claimed rather than known (a demo roster that says identities are claimed): records of
    /// what they do say so (actor type `claimed-person`).
    public var isClaimed: Bool

    /// Creates a person.
    public init(name: String, role: Role, isClaimed: Bool = false) {
        self.name = name
        self.role = role
        self.isClaimed = isClaimed
    }

    /// `name (role)`, and `claimed` when the name was claimed.
    public var label: String { "\(name) (\(role.rawValue)\(isClaimed ? ", claimed" : ""))" }

    /// The same person, marked as claimed.
    public var claimed: Person { Person(name: name, role: role, isClaimed: true) }

    private enum CodingKeys: String, CodingKey { case name, role, isClaimed }

    /// Reads a person; records written before claims existed have no `isClaimed`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        role = try container.decode(Role.self, forKey: .role)
        isClaimed = try container.decodeIfPresent(Bool.self, forKey: .isClaimed) ?? false
    }

    /// Writes a person; `isClaimed` only when true, so a known person's record reads as it always did.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(role, forKey: .role)
        if isClaimed { try container.encode(true, forKey: .isClaimed) }
    }
}

/// What a policy decided for a proposal.
public enum DecisionOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Runs on its own.
    case allow
    /// Refused.
    case deny
    /// Waits for people.
    case approve
}

/// What happens when an approval reaches its deadline undecided; always recorded as `expired`.
public enum TimeoutOutcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// The action does not run (the default).
    case reject
    /// The action runs.
    case approve
}

/// After a time without a decision, raise the priority and bring in another role.
public struct Escalation: Sendable, Hashable, Codable {
    /// Seconds after the request.
    public var afterSeconds: Double
    /// The role brought in.
    public var role: Role

    /// Creates an escalation.
    public init(afterSeconds: Double, role: Role) {
        self.afterSeconds = afterSeconds
        self.role = role
    }
}

/// Who must approve, how many, and by when.
public struct ApprovalRequirement: Sendable, Hashable, Codable {
    /// Roles that may approve or reject.
    public var roles: [Role]
    /// Approvals needed.
    public var quorum: Int
    /// Approvers must be different people (four-eyes).
    public var distinct: Bool
    /// Seconds until the deadline.
    public var timeoutSeconds: Double
    /// What the deadline does.
    public var onTimeout: TimeoutOutcome
    /// Optional escalation.
    public var escalation: Escalation?
    /// A rejection must carry a reason.
    public var reasonRequired: Bool
    /// Each approval must be signed: the approver gives their own signing passphrase, which the runtime checks
    /// (21 CFR 11.200 style: two components, the login and the passphrase).
    public var signatureRequired: Bool

    /// Creates a requirement.
    public init(roles: [Role], quorum: Int = 1, distinct: Bool = false, timeoutSeconds: Double, onTimeout: TimeoutOutcome = .reject,
                escalation: Escalation? = nil, reasonRequired: Bool = false, signatureRequired: Bool = false) {
        self.roles = roles
        self.quorum = quorum
        self.distinct = distinct
        self.timeoutSeconds = timeoutSeconds
        self.onTimeout = onTimeout
        self.escalation = escalation
        self.reasonRequired = reasonRequired
        self.signatureRequired = signatureRequired
    }

    private enum CodingKeys: String, CodingKey {
        case roles, quorum, distinct, timeoutSeconds, onTimeout, escalation, reasonRequired, signatureRequired
    }

    /// Reads a requirement; one recorded before signatures existed needs none.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        roles = try container.decode([Role].self, forKey: .roles)
        quorum = try container.decode(Int.self, forKey: .quorum)
        distinct = try container.decode(Bool.self, forKey: .distinct)
        timeoutSeconds = try container.decode(Double.self, forKey: .timeoutSeconds)
        onTimeout = try container.decode(TimeoutOutcome.self, forKey: .onTimeout)
        escalation = try container.decodeIfPresent(Escalation.self, forKey: .escalation)
        reasonRequired = try container.decode(Bool.self, forKey: .reasonRequired)
        signatureRequired = try container.decodeIfPresent(Bool.self, forKey: .signatureRequired) ?? false
    }

    /// Writes a requirement; `signatureRequired` only when true, so a requirement without one reads as it always did.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(roles, forKey: .roles)
        try container.encode(quorum, forKey: .quorum)
        try container.encode(distinct, forKey: .distinct)
        try container.encode(timeoutSeconds, forKey: .timeoutSeconds)
        try container.encode(onTimeout, forKey: .onTimeout)
        try container.encodeIfPresent(escalation, forKey: .escalation)
        try container.encode(reasonRequired, forKey: .reasonRequired)
        if signatureRequired { try container.encode(true, forKey: .signatureRequired) }
    }
}

/// A policy's verdict on one proposal.
public struct Decision: Sendable, Hashable, Codable {
    /// The proposal decided.
    public var proposalID: String
    /// allow, deny or approve.
    public var outcome: DecisionOutcome
    /// The rules that determined the outcome (empty for the default deny).
    public var ruleIDs: [String]
    /// Why, in words, one per determining rule.
    public var reasons: [String]
    /// For `approve`: who must approve and by when.
    public var requirement: ApprovalRequirement?
    /// Version string of the policy that decided.
    public var policyVersion: String
    /// SHA-256 of the policy text, hex.
    public var policyHash: String
    /// True for a shadow proposal: recorded, never executed or queued.
    public var isShadow: Bool

    /// Creates a decision.
    public init(proposalID: String, outcome: DecisionOutcome, ruleIDs: [String], reasons: [String], requirement: ApprovalRequirement? = nil,
                policyVersion: String, policyHash: String, isShadow: Bool = false) {
        self.proposalID = proposalID
        self.outcome = outcome
        self.ruleIDs = ruleIDs
        self.reasons = reasons
        self.requirement = requirement
        self.policyVersion = policyVersion
        self.policyHash = policyHash
        self.isShadow = isShadow
    }
}

/// The lifecycle of an approval.
public enum ApprovalState: String, Sendable, Hashable, Codable, CaseIterable {
    /// Waiting for people.
    case pending
    /// Quorum reached; the action ran.
    case approved
    /// An authorised person rejected it.
    case rejected
    /// The deadline passed; the policy's timeout outcome was applied.
    case expired
    /// The agent's condition cleared before anyone decided.
    case withdrawn

    /// True once nothing can change it.
    public var isFinal: Bool { self != .pending }
}

/// One person's approval so far.
public struct ApprovalSignature: Sendable, Hashable, Codable {
    /// Who.
    public var person: Person
    /// When (simulated time).
    public var at: SimTime
    /// Whether the person also gave their signing passphrase, which the runtime checked.
    public var isSigned: Bool

    /// Creates a signature.
    public init(person: Person, at: SimTime, isSigned: Bool = false) {
        self.person = person
        self.at = at
        self.isSigned = isSigned
    }

    private enum CodingKeys: String, CodingKey { case person, at, isSigned }

    /// Reads a signature; one kept before signing passphrases existed is unsigned.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        person = try container.decode(Person.self, forKey: .person)
        at = try container.decode(SimTime.self, forKey: .at)
        isSigned = try container.decodeIfPresent(Bool.self, forKey: .isSigned) ?? false
    }

    /// Writes a signature; `isSigned` only when true.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(person, forKey: .person)
        try container.encode(at, forKey: .at)
        if isSigned { try container.encode(true, forKey: .isSigned) }
    }
}
