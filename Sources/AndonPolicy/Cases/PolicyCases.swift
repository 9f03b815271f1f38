import AndonCore

/// One worked example of the policy: a request and the decision it must get.
public struct PolicyCase: Sendable, Hashable {
    /// What the case is about, in words.
    public var name: String
    /// The request decided.
    public var request: PolicyRequest
    /// The outcome the policy must reach.
    public var expectedOutcome: DecisionOutcome
    /// The determining rule ids the decision must carry, in any order (empty for the default deny).
    public var expectedRuleIDs: [String]
    /// Where the case starts in its file.
    public var location: SourceLocation

    /// Creates a case.
    public init(name: String, request: PolicyRequest, expectedOutcome: DecisionOutcome, expectedRuleIDs: [String], location: SourceLocation) {
        self.name = name
        self.request = request
        self.expectedOutcome = expectedOutcome
        self.expectedRuleIDs = expectedRuleIDs
        self.location = location
    }
}

/// A file of worked examples (`policies.cases.yaml`).
public struct PolicyCases: Sendable, Hashable {
    /// The cases, in file order.
    public var cases: [PolicyCase]

    /// Creates a set of cases.
    public init(cases: [PolicyCase]) {
        self.cases = cases
    }

    /// Reads and checks a cases file.
    public static func load(path: String) throws(ConfigErrors) -> PolicyCases {
        let diagnostics = Diagnostics(file: path)
        guard let root = ConfigNode.load(path: path, diagnostics: diagnostics) else { throw ConfigErrors(diagnostics.errors) }
        return try read(root, diagnostics)
    }

    /// Reads and checks cases text; `file` names it in messages.
    public static func parse(text: String, file: String) throws(ConfigErrors) -> PolicyCases {
        let diagnostics = Diagnostics(file: file)
        guard let root = ConfigNode.parse(text, diagnostics: diagnostics) else { throw ConfigErrors(diagnostics.errors) }
        return try read(root, diagnostics)
    }

    private static func read(_ root: ConfigNode, _ diagnostics: Diagnostics) throws(ConfigErrors) -> PolicyCases {
        var cases: [PolicyCase] = []
        var firstLine: [String: Int] = [:]
        if let top = root.mapping("the cases file", keys: ["cases"], required: ["cases"]), let items = top["cases"]?.sequence("'cases'") {
            for item in items {
                guard let map = item.mapping("a case", keys: ["name", "request", "expect"], required: ["name", "request", "expect"]) else { continue }
                let name = map["name"]?.string("case name")
                let request = map["request"].flatMap { PolicyRequest.read($0) }
                let expect = map["expect"]?.mapping("'expect'", keys: ["decision", "rules"], required: ["decision"])
                let outcome = expect?["decision"]?.named("decision", of: DecisionOutcome.self)
                let rules = expect?["rules"].map { node in node.list("'rules'")?.compactMap { $0.identifier("rule id") } } ?? []
                guard let name, let request, let outcome, let rules else { continue }
                if let line = firstLine[name] {
                    diagnostics.report(.duplicateID, at: map["name"]!.location, "case '\(name)' is listed twice (first at line \(line))",
                                       expected: "a unique case name")
                }
                firstLine[name] = map.location.line
                cases.append(PolicyCase(name: name, request: request, expectedOutcome: outcome, expectedRuleIDs: rules, location: map.location))
            }
        }
        try diagnostics.throwIfAny()
        return PolicyCases(cases: cases)
    }
}
