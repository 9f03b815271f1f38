import AndonCore
import AndonPolicy
import Testing

/// Rules that can never decide because another rule always wins.
@Suite struct ReachabilityTests {
    static func policy(_ first: String, _ second: String) -> String {
        """
        policy: {id: u, version: "1"}
        rules:
          - id: first
        \(first)
          - id: second
        \(second)
        """
    }

    struct Example: Sendable, CustomTestStringConvertible {
        let name: String
        let first: String
        let second: String
        let isUnreachable: Bool
        var testDescription: String { name }
    }

    static let approve = "    decision: approve\n    approve: {roles: [supervisor], timeout: 2m}"

    static let examples: [Example] = [
        Example(name: "a deny without predicates covering the actions hides an allow",
                first: "    match: {action: [stop_cell, reduce_speed]}\n    decision: deny",
                second: "    match: {action: stop_cell, risk: low, when: {data_age_at_most: 5s}}\n    decision: allow", isUnreachable: true),
        Example(name: "a later deny hides an earlier allow too (order does not matter)",
                first: "    match: {action: stop_cell, target: B1}\n    decision: allow",
                second: "    match: {target: \"B*\"}\n    decision: deny", isUnreachable: true),
        Example(name: "a deny on a wider glob hides an approve", first: "    match: {target: \"B*\"}\n    decision: deny",
                second: "    match: {target: \"B1*\", risk: high}\n\(approve)", isUnreachable: true),
        Example(name: "an approve covering an allow hides it", first: "    match: {risk: [medium, high]}\n\(approve)",
                second: "    match: {risk: high, action: recalibrate}\n    decision: allow", isUnreachable: true),
        Example(name: "a wider interval covers a narrower one", first: "    match: {when: {data_age_over: 10s}}\n    decision: deny",
                second: "    match: {when: {data_age_over: 30s}}\n    decision: allow", isUnreachable: true),
        Example(name: "the same match twice", first: "    match: {action: stop_cell}\n    decision: deny",
                second: "    match: {action: stop_cell}\n    decision: deny", isUnreachable: true),
        Example(name: "a deny with a predicate does not hide a rule without it",
                first: "    match: {action: stop_cell, when: {data_age_over: 10s}}\n    decision: deny",
                second: "    match: {action: stop_cell}\n    decision: allow", isUnreachable: false),
        Example(name: "a narrower deny does not hide a wider allow", first: "    match: {action: stop_cell, risk: high}\n    decision: deny",
                second: "    match: {action: stop_cell}\n    decision: allow", isUnreachable: false),
        Example(name: "an allow never hides an approve", first: "    match: {}\n    decision: allow",
                second: "    match: {action: stop_cell}\n\(approve)", isUnreachable: false),
        Example(name: "a deny covered by a deny still decides alongside it", first: "    match: {}\n    decision: deny",
                second: "    match: {action: stop_cell}\n    decision: deny", isUnreachable: false),
        Example(name: "an unusual glob is not assumed to cover", first: "    match: {target: \"*1\"}\n    decision: deny",
                second: "    match: {target: \"B?1\"}\n    decision: allow", isUnreachable: false),
    ]

    @Test(arguments: examples)
    func detects(_ example: Example) {
        let errors = Fixtures.errors(Self.policy(example.first, example.second)).filter { $0.kind == .unreachableRule }
        #expect(errors.isEmpty == !example.isUnreachable, "got \(errors.map(\.description))")
        if example.isUnreachable {
            let firstLines = example.first.split(separator: "\n").count
            let hidden = example.name.contains("later deny") ? 3 : 4 + firstLines
            #expect(errors.first?.location.line == hidden + 1)
            #expect(errors.first?.location.column == 12)
        }
    }

    @Test func messageNamesTheWinningRule() {
        let errors = Fixtures.errors(Self.policy("    match: {action: hold_cell}\n    decision: deny",
                                                 "    match: {action: hold_cell, risk: low}\n    decision: allow"))
        #expect(errors.map(\.description) == [
            "test.yaml:7:12: error: rule 'second' can never decide: whenever it matches, deny rule 'first' (line 3) matches too and wins (expected a match that first does not cover, or remove the rule)",
        ])
    }
}
