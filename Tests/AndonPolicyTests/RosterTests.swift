import AndonCore
import AndonPolicy
import Testing

/// Loading the operator roster; anyone not on it is an observer.
@Suite struct RosterTests {
    @Test func demoRosterLoads() throws {
        let roster = try OperatorRoster.load(path: Fixtures.demo("operators.yaml"))
        #expect(roster.person(named: "ana") == Person(name: "ana", role: .supervisor))
        #expect(roster.person(named: "ben").role == .operator)
        #expect(roster.person(named: "chen").role == .engineer)
        #expect(roster.person(named: "eve").role == .observer)
    }

    @Test func unknownNameIsAnObserver() throws {
        let roster = try OperatorRoster.load(path: Fixtures.demo("operators.yaml"))
        #expect(roster.person(named: "mallory") == Person(name: "mallory", role: .observer))
    }

    @Test func loginUserIsAddedOrPromoted() throws {
        let roster = try OperatorRoster.load(path: Fixtures.demo("operators.yaml"))
        #expect(roster.addingLoginUser("zoe", role: .supervisor).person(named: "zoe").role == .supervisor)
        let promoted = roster.addingLoginUser("eve", role: .supervisor)
        #expect(promoted.person(named: "eve").role == .supervisor)
        #expect(promoted.people.filter { $0.name == "eve" }.count == 1)
    }

    @Test func unknownRoleAndDuplicateNamesAreReportedWithPositions() {
        let text = """
        operators:
          - {name: ana, role: supervisor}
          - {name: ben, role: boss}
          - {name: ana, role: operator}
        """
        #expect(throws: ConfigErrors.self) { try OperatorRoster.parse(text: text, file: "ops.yaml") }
        do {
            _ = try OperatorRoster.parse(text: text, file: "ops.yaml")
        } catch {
            #expect(error.errors.map(\.description) == [
                "ops.yaml:3:23: error: unknown role 'boss' (expected one of observer, operator, supervisor, engineer)",
                "ops.yaml:4:12: error: operator 'ana' is listed twice (first at line 2) (expected each name once)",
            ])
        }
    }
}
