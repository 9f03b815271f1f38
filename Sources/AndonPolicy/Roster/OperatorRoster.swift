import AndonCore
import Foundation

/// The people who may use the console and their roles; anyone not on it is an observer.
public struct OperatorRoster: Sendable, Hashable {
    /// The people, in file order.
    public private(set) var people: [Person]

    /// Creates a roster.
    public init(people: [Person]) {
        self.people = people
    }

    /// The person with this name, or an observer of that name when the roster does not list them.
    public func person(named name: String) -> Person {
        people.first { $0.name == name } ?? Person(name: name, role: .observer)
    }

    /// A copy in which `name` has `role`, replacing any entry of that name: for the demo's login user.
    public func addingLoginUser(_ name: String, role: Role) -> OperatorRoster {
        var copy = self
        copy.people.removeAll { $0.name == name }
        copy.people.append(Person(name: name, role: role))
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
        if let top = root.mapping("the roster file", keys: ["operators"], required: ["operators"]),
           let items = top["operators"]?.sequence("'operators'") {
            for item in items {
                guard let map = item.mapping("an operator", keys: ["name", "role"], required: ["name", "role"]),
                      let nameNode = map["name"], let name = nameNode.identifier("operator name"),
                      let role = map["role"]?.named("role", of: Role.self) else { continue }
                if let line = firstLine[name] {
                    diagnostics.report(.duplicateID, at: nameNode.location, "operator '\(name)' is listed twice (first at line \(line))",
                                       expected: "each name once")
                    continue
                }
                firstLine[name] = nameNode.location.line
                people.append(Person(name: name, role: role))
            }
        }
        try diagnostics.throwIfAny()
        return OperatorRoster(people: people)
    }
}
