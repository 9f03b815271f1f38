import AndonCore
import AndonPolicy
import Testing

/// Every class of problem in a policy file, each with its exact position.
@Suite struct ValidationTests {
    /// A one-rule policy whose rule body is `body` (indented four spaces under `- id: r`).
    static func policy(_ body: String) -> String {
        """
        policy: {id: v, version: "1"}
        rules:
          - id: r
        \(body)
        """
    }

    struct Example: Sendable, CustomTestStringConvertible {
        let name: String
        let text: String
        let kind: ConfigError.Kind
        let line: Int
        let column: Int
        let message: String
        var testDescription: String { name }
    }

    static let examples: [Example] = [
        Example(name: "unknown key", text: policy("    match: {action: stop_cell}\n    decison: deny"),
                kind: .unknownKey, line: 5, column: 5, message: "unknown key 'decison' in a rule; did you mean 'decision'?"),
        Example(name: "unknown key in when", text: policy("    match: {when: {data_age_ovr: 10s}}\n    decision: deny"),
                kind: .unknownKey, line: 4, column: 20, message: "did you mean 'data_age_over'?"),
        Example(name: "unknown action", text: policy("    match: {action: [stop_cel]}\n    decision: deny"),
                kind: .danglingReference, line: 4, column: 22, message: "unknown action 'stop_cel'; did you mean 'stop_cell'?"),
        Example(name: "unknown risk class", text: policy("    match: {risk: hgh}\n    decision: deny"),
                kind: .danglingReference, line: 4, column: 19, message: "unknown risk class 'hgh'"),
        Example(name: "unknown agent kind", text: policy("    match: {agent: planer}\n    decision: deny"),
                kind: .danglingReference, line: 4, column: 20, message: "unknown agent kind 'planer'"),
        Example(name: "unknown state", text: policy("    match: {when: {state: [Helt]}}\n    decision: deny"),
                kind: .danglingReference, line: 4, column: 28, message: "unknown cell state 'Helt'; did you mean 'Held'?"),
        Example(name: "unknown decision", text: policy("    decision: permit"),
                kind: .danglingReference, line: 4, column: 15, message: "unknown decision 'permit'"),
        Example(name: "unknown role", text: policy("    decision: approve\n    approve: {roles: [boss], timeout: 2m}"),
                kind: .danglingReference, line: 5, column: 23, message: "unknown role 'boss'"),
        Example(name: "observers cannot approve", text: policy("    decision: approve\n    approve: {roles: [observer], timeout: 2m}"),
                kind: .impossibleValue, line: 5, column: 22, message: "observers cannot approve"),
        Example(name: "bad duration", text: policy("    match: {when: {data_age_over: 10x}}\n    decision: deny"),
                kind: .wrongType, line: 4, column: 35, message: "data_age_over is '10x'"),
        Example(name: "zero timeout", text: policy("    decision: approve\n    approve: {roles: [supervisor], timeout: 0s}"),
                kind: .impossibleValue, line: 5, column: 45, message: "timeout 0s is impossible"),
        Example(name: "quorum below one", text: policy("    decision: approve\n    approve: {roles: [supervisor], quorum: 0, timeout: 2m}"),
                kind: .impossibleValue, line: 5, column: 44, message: "quorum 0 is impossible"),
        Example(name: "escalation at or after the timeout",
                text: policy("    decision: approve\n    approve: {roles: [supervisor], timeout: 2m, escalate: {after: 2m, to: engineer}}"),
                kind: .impossibleValue, line: 5, column: 67, message: "escalation after 2m comes at or after the timeout of 2m"),
        Example(name: "approve without an approval block", text: policy("    decision: approve"),
                kind: .missingField, line: 3, column: 5, message: "rule 'r' decides approve but has no 'approve' block"),
        Example(name: "approval block on an allow", text: policy("    decision: allow\n    approve: {roles: [supervisor], timeout: 2m}"),
                kind: .impossibleValue, line: 5, column: 14, message: "rule 'r' decides allow but has an 'approve' block"),
        Example(name: "missing decision", text: policy("    match: {action: stop_cell}"),
                kind: .missingField, line: 3, column: 5, message: "a rule is missing 'decision'"),
        Example(name: "bounds that exclude each other",
                text: policy("    match: {when: {change_percent_over: 20, change_percent_at_most: 10}}\n    decision: deny"),
                kind: .impossibleValue, line: 4, column: 69, message: "the rule can never match"),
        Example(name: "YAML syntax", text: policy("    match: {action: [stop_cell}\n    decision: deny"),
                kind: .syntax, line: 4, column: 31, message: "YAML syntax"),
        Example(name: "bad identifier", text: "policy: {id: \"my policy\", version: \"1\"}\nrules:\n  - id: r\n    decision: deny",
                kind: .wrongType, line: 1, column: 14, message: "policy id 'my policy' is not an identifier"),
    ]

    @Test(arguments: examples)
    func reportsWithPosition(_ example: Example) {
        let errors = Fixtures.errors(example.text)
        let found = errors.first { $0.kind == example.kind && $0.message.contains(example.message) }
        #expect(found != nil, "got \(errors.map(\.description))")
        #expect(found?.location == SourceLocation(file: "test.yaml", line: example.line, column: example.column),
                "got \(errors.map(\.description))")
    }

    @Test func duplicateRuleIDs() {
        let errors = Fixtures.errors("""
        policy: {id: v, version: "1"}
        rules:
          - id: same
            match: {action: stop_cell}
            decision: deny
          - id: same
            match: {action: hold_cell}
            decision: allow
        """)
        #expect(errors.map(\.description) == ["test.yaml:6:9: error: rule id 'same' is used twice (first at line 3) (expected a unique rule id)"])
    }

    @Test func aDuplicateRuleIDIsReportedTogetherWithTheOtherErrors() {
        let errors = Fixtures.errors("""
        policy: {id: v, version: "1"}
        rules:
          - id: a
            match: {action: stop_cell}
            decision: allow
          - id: a
            match: {action: reduce_speed}
            decision: alow
          - id: b
            match: {action: frob}
            decision: deny
        """)
        #expect(errors.map(\.description) == [
            "test.yaml:6:9: error: rule id 'a' is used twice (first at line 3) (expected a unique rule id)",
            "test.yaml:8:15: error: unknown decision 'alow'; did you mean 'allow'? (expected one of allow, deny, approve)",
            "test.yaml:10:21: error: unknown action 'frob' (expected one of reduce_speed, restore_speed, schedule_maintenance, stop_cell, recalibrate, quarantine_batch, rebalance_wip, hold_cell, adjust_line_rate, resume_cell)",
        ], "every stage at once, in file order")
    }

    @Test func everyProblemIsReportedAtOnce() {
        let errors = Fixtures.errors("""
        policy: {id: v, version: "1"}
        rules:
          - id: a
            match: {action: stop_cel, risk: hgh}
            decision: approve
            approve: {roles: [boss], quorum: 0, timeout: 2m}
          - id: b
            decison: deny
        """)
        #expect(errors.count == 6, "got \(errors.map(\.description))")
        #expect(errors.map(\.location.line) == errors.map(\.location.line).sorted())
    }

    @Test func approvalsThatCouldMeetMustShareARole() {
        let errors = Fixtures.errors("""
        policy: {id: v, version: "1"}
        rules:
          - id: operators
            match: {risk: medium}
            decision: approve
            approve: {roles: [operator], timeout: 2m}
          - id: engineers
            match: {action: quarantine_batch}
            decision: approve
            approve: {roles: [engineer], timeout: 2m}
        """)
        #expect(errors.count == 1)
        #expect(errors.first?.location == SourceLocation(file: "test.yaml", line: 8, column: 12))
        #expect(errors.first?.message.contains("share no role") == true)
    }

    @Test func approvalsThatCannotMeetNeedNoSharedRole() {
        let errors = Fixtures.errors("""
        policy: {id: v, version: "1"}
        rules:
          - id: operators
            match: {action: reduce_speed, risk: medium}
            decision: approve
            approve: {roles: [operator], timeout: 2m}
          - id: engineers
            match: {action: quarantine_batch}
            decision: approve
            approve: {roles: [engineer], timeout: 2m}
        """)
        #expect(errors.isEmpty)
    }

    @Test func quorumLargerThanTheRosterCanMeet() throws {
        let spec = try PolicySpec.parse(text: """
        policy: {id: v, version: "1"}
        rules:
          - id: four-eyes
            match: {action: stop_cell}
            decision: approve
            approve: {roles: [engineer], quorum: 2, distinct: true, timeout: 2m}
        """, file: "test.yaml")
        let roster = OperatorRoster(people: [Person(name: "chen", role: .engineer), Person(name: "ana", role: .supervisor)])
        let problems = spec.problems(with: roster)
        #expect(problems.count == 1)
        #expect(problems.first?.location == SourceLocation(file: "test.yaml", line: 3, column: 5))
        #expect(problems.first?.message == "rule 'four-eyes' needs 2 distinct approvers but the roster has only 1 engineer")
        #expect(spec.problems(with: roster.addingLoginUser("grace", role: .engineer)).isEmpty)
    }
}
