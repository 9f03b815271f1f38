import AndonCore
import AndonPolicy
import Foundation
import Testing

/// The shipped demo policy, its cases, and the cases runner.
@Suite struct CasesTests {
    @Test func demoCasesPassAndCoverEveryRule() throws {
        let engine = try PolicyEngine.load(path: Fixtures.demo("policies.yaml"))
        let report = engine.run(try PolicyCases.load(path: Fixtures.demo("policies.cases.yaml")))
        #expect(report.failed == 0, "\(report.text)")
        #expect(report.uncoveredRuleIDs.isEmpty)
        #expect(report.coversDefaultDeny)
        #expect(report.unknownExpectedRuleIDs.isEmpty)
        #expect(report.text == "\(report.results.count) passed, 0 failed")
    }

    @Test func demoPolicyHashIsTheFilesSHA256() throws {
        let path = Fixtures.demo("policies.yaml")
        let engine = try PolicyEngine.load(path: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(engine.hash == (try PolicySpec.parse(text: text, file: "x").hash))
        #expect(engine.version == "2026.11.1")
        #expect(try PolicySpec.parse(text: text + "\n", file: "x").hash != engine.hash)
    }

    @Test func emptyTextHashIsKnown() throws {
        let spec = try PolicySpec.parse(text: "policy: {id: h, version: \"1\"}\nrules:\n  - {id: r, decision: deny}\n", file: "h.yaml")
        #expect(spec.hash.count == 64)
        #expect(spec.hash.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test func mismatchProducesADiff() throws {
        let engine = try PolicyEngine.load(path: Fixtures.demo("policies.yaml"))
        let cases = try PolicyCases.parse(text: """
        cases:
          - name: wrong on purpose
            request: {action: recalibrate, target: F3, line: final, risk: high, agent: quality, data_age: 2s}
            expect: {decision: allow, rules: [routine-low-risk]}
        """, file: "c.yaml")
        let report = engine.run(cases)
        #expect(report.failed == 1)
        #expect(report.results[0].diff == """
        FAIL wrong on purpose (c.yaml:2:5)
          request: recalibrate on F3 (line final), risk high, agent quality, data age 2s
          - expected: allow by [routine-low-risk]
          + actual:   approve by [high-risk]
            rules expected but not determining: routine-low-risk
            rules determining but not expected: high-risk
            reason: high risk needs a supervisor
        """)
        #expect(report.text.hasSuffix("0 passed, 1 failed"))
        #expect(report.text.contains("note: rules no case covers: safety-interlock"))
    }

    @Test func casesFileErrorsHavePositions() {
        do {
            _ = try PolicyCases.parse(text: """
            cases:
              - name: x
                request: {action: stop_cel, target: B1, risk: low, agent: maintenance}
                expect: {decision: maybe}
            """, file: "c.yaml")
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.location.line) == [3, 4])
            #expect(error.errors.map(\.location.column) == [23, 24])
        }
    }

    @Test func requestDecodesFromJSON() throws {
        let json = #"{"action": "stop_cell", "target": "B2", "line": "body", "risk": "critical", "agent": "maintenance", "data_age": 3, "state": "Execute", "oee": 0.7}"#
        let decoded = try JSONDecoder().decode(PolicyRequest.self, from: Data(json.utf8))
        let parsed = try PolicyRequest.parse(text: json, file: "<request>")
        #expect(decoded == parsed)
        #expect(decoded.cellState == .execute)
        #expect(decoded.dataAgeSeconds == 3)
        let roundTrip = try JSONDecoder().decode(PolicyRequest.self, from: try JSONEncoder().encode(decoded))
        #expect(roundTrip == decoded)
    }
}
