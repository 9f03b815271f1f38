import AndonCore
import AndonPolicy
import Testing

/// Each condition a rule can state, at and around its bounds, with missing context.
@Suite struct PredicateTests {
    struct Example: Sendable, CustomTestStringConvertible {
        let match: String
        let request: PolicyRequest
        let matches: Bool
        var testDescription: String { "\(match) → \(matches)" }
    }

    static let examples: [Example] = [
        Example(match: "action: [reduce_speed, stop_cell]", request: Fixtures.request(.stopCell), matches: true),
        Example(match: "action: hold_cell", request: Fixtures.request(), matches: false),
        Example(match: "target: B1", request: Fixtures.request(), matches: true),
        Example(match: "target: B1", request: Fixtures.request(target: "B10"), matches: false),
        Example(match: "target: \"B*\"", request: Fixtures.request(target: "B10"), matches: true),
        Example(match: "target: \"?6\"", request: Fixtures.request(target: "F6"), matches: true),
        Example(match: "target: \"?6\"", request: Fixtures.request(target: "F16"), matches: false),
        Example(match: "target: \"*-press-*\"", request: Fixtures.request(target: "b-press-2"), matches: true),
        Example(match: "target: [M1, \"F*\"]", request: Fixtures.request(target: "F3"), matches: true),
        Example(match: "line: \"ma*\"", request: Fixtures.request(line: "mach"), matches: true),
        Example(match: "line: final", request: Fixtures.request(line: "body"), matches: false),
        Example(match: "risk: [high, critical]", request: Fixtures.request(risk: .critical), matches: true),
        Example(match: "risk: [high, critical]", request: Fixtures.request(risk: .medium), matches: false),
        Example(match: "agent: planner", request: Fixtures.request(agent: .planner), matches: true),
        Example(match: "agent: planner", request: Fixtures.request(agent: .flow), matches: false),
        Example(match: "when: {data_age_over: 10s}", request: Fixtures.request(age: 10), matches: false),
        Example(match: "when: {data_age_over: 10s}", request: Fixtures.request(age: 10.5), matches: true),
        Example(match: "when: {data_age_over: 10s}", request: Fixtures.request(age: nil), matches: false),
        Example(match: "when: {data_age_at_most: 10s}", request: Fixtures.request(age: 10), matches: true),
        Example(match: "when: {data_age_at_most: 10s}", request: Fixtures.request(age: nil), matches: false),
        Example(match: "when: {change_percent_over: 10}", request: Fixtures.request(change: 10), matches: false),
        Example(match: "when: {change_percent_over: 10}", request: Fixtures.request(change: 10.1), matches: true),
        Example(match: "when: {change_percent_at_most: 10}", request: Fixtures.request(change: 10), matches: true),
        Example(match: "when: {change_percent_at_most: 10}", request: Fixtures.request(change: 12), matches: false),
        Example(match: "when: {oee_below: 60%}", request: Fixtures.request(oee: 0.59), matches: true),
        Example(match: "when: {oee_below: 60%}", request: Fixtures.request(oee: 0.6), matches: false),
        Example(match: "when: {oee_below: 0.6}", request: Fixtures.request(oee: nil), matches: false),
        Example(match: "when: {oee_above: 0.85}", request: Fixtures.request(oee: 0.9), matches: true),
        Example(match: "when: {shift_elapsed_over: 7h}", request: Fixtures.request(shift: 7 * 3600 + 1), matches: true),
        Example(match: "when: {shift_elapsed_at_most: 1h}", request: Fixtures.request(shift: 3601), matches: false),
        Example(match: "when: {state: Held}", request: Fixtures.request(state: .held), matches: true),
        Example(match: "when: {state: Held}", request: Fixtures.request(state: .execute), matches: false),
        Example(match: "when: {state: Held}", request: Fixtures.request(), matches: false),
        Example(match: "when: {state: HELD}", request: Fixtures.request(state: .holding), matches: true),
        Example(match: "when: {state: [STARVED, BLOCKED]}", request: Fixtures.request(state: .suspended, status: .starved), matches: true),
        Example(match: "when: {state: STARVED}", request: Fixtures.request(state: .suspended), matches: false),
        Example(match: "when: {shadow: true}", request: Fixtures.request(shadow: true), matches: true),
        Example(match: "when: {shadow: false}", request: Fixtures.request(shadow: true), matches: false),
        Example(match: "when: {data_age_at_most: 10s, change_percent_at_most: 10}", request: Fixtures.request(change: 11), matches: false),
    ]

    @Test(arguments: examples)
    func condition(_ example: Example) throws {
        let engine = try Fixtures.engine("""
        policy: {id: predicates, version: "1"}
        rules:
          - id: r
            match: {\(example.match)}
            decision: allow
        """)
        let decision = engine.decide(example.request)
        #expect(decision.outcome == (example.matches ? .allow : .deny))
        #expect(engine.explain(example.request).rules[0].isMatch == example.matches)
    }

    @Test(arguments: [("B*", "B1", true), ("B*", "M1", false), ("*", "", true), ("?", "", false), ("a*b*c", "axxbyyc", true),
                      ("a*b*c", "axxbyy", false), ("*1", "B11", true), ("B?", "B12", false), ("B1", "B1", true)])
    func glob(_ pattern: String, _ text: String, _ expected: Bool) {
        #expect(Glob(pattern).matches(text) == expected)
    }

    @Test(arguments: [("B*", "B1*", true), ("B*", "B1", true), ("*", "?6", true), ("B1", "B*", false), ("?6", "B6", true), ("B*", "?1", false)])
    func globCoverage(_ wide: String, _ narrow: String, _ expected: Bool) {
        #expect(Glob(wide).covers(Glob(narrow)) == expected)
    }
}
