import AndonCore
import AndonPolicy
import Testing

/// Policy files and requests written to hurt: refused with their position, never a trap.
@Suite struct HostilePolicyTests {
    private func requestErrors(_ text: String) -> [ConfigError] {
        do {
            _ = try PolicyRequest.parse(text: text, file: "<request>")
            return []
        } catch {
            return error.errors
        }
    }

    @Test(arguments: ["1e30h", "1e300", "11000d"])
    func anApprovalTimeoutOfAgesIsRefused(_ timeout: String) {
        let found = Fixtures.errors(ValidationTests.policy("    decision: approve\n    approve: {roles: [supervisor], timeout: \(timeout)}"))
        #expect(found.count == 1)
        #expect(found.first?.location == SourceLocation(file: "test.yaml", line: 5, column: 45))
        #expect(found.first?.message.contains("longer than") == true, "\(found)")
    }

    @Test(arguments: ["shift_elapsed", "data_age"])
    func aRequestWithAHugeDurationIsRefused(_ key: String) {
        let found = requestErrors(#"{"action":"stop_cell","target":"B1","risk":"high","agent":"maintenance","\#(key)":1e300}"#)
        #expect(found.count == 1)
        #expect(found.first?.location.line == 1)
        #expect(found.first?.message.contains(key) == true)
    }

    @Test func aNumberBeyondDoubleIsNamedAsSuch() {
        let found = requestErrors(#"{"action":"stop_cell","target":"B1","risk":"high","agent":"maintenance","change_percent":1e400}"#)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("beyond the range of numbers") == true, "\(found)")
    }

    @Test func aRosterWithANulByteNamesItsPosition() {
        do {
            _ = try OperatorRoster.parse(text: "operators:\n  - {name: a\u{0}b, role: operator}\n", file: "r.yaml")
            Issue.record("a NUL byte is not YAML")
        } catch {
            #expect(error.errors.first?.location == SourceLocation(file: "r.yaml", line: 2, column: 13))
        }
    }
}
