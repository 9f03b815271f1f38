/// What a person may do to one alarm. ISA-18.2 keeps them apart: acknowledging says "seen", shelving takes a
/// nuisance alarm out of view for a while, taking it out of service is maintenance's act.
public enum AlarmAct: String, Sendable, Hashable, Codable, CaseIterable {
    /// Acknowledge: seen.
    case acknowledge
    /// Shelve for a time, with a reason; it comes back unacknowledged (if still in alarm) when the time is up.
    case shelve
    /// Take off the shelf before its time.
    case unshelve
    /// Take out of service (a broken instrument), with a reason.
    case removeFromService = "out_of_service"
    /// Return to service.
    case returnToService = "return_to_service"

    /// The longest a shelf lasts: one shift.
    public static let longestShelf: Double = 8 * 3600

    /// The roles that may do it: everyone but observers acknowledges; operators and supervisors shelve (it is a tool
    /// of the person at the console); supervisors and engineers take instruments out of service and back.
    public var roles: [Role] {
        switch self {
        case .acknowledge: [.operator, .supervisor, .engineer]
        case .shelve, .unshelve: [.operator, .supervisor]
        case .removeFromService, .returnToService: [.supervisor, .engineer]
        }
    }

    /// In words, for messages: `acknowledge`, `shelve`, `take out of service`.
    public var words: String {
        switch self {
        case .acknowledge: "acknowledge"
        case .shelve: "shelve"
        case .unshelve: "unshelve"
        case .removeFromService: "take out of service"
        case .returnToService: "return to service"
        }
    }

    /// Why `person` may not do it, or nil when their role may.
    public func refusal(for person: Person) -> String? {
        guard !roles.contains(person.role) else { return nil }
        let who = roles.map(\.rawValue).joined(separator: ", ")
        return "refused: only \(who) may \(words) alarms; \(person.name) is \(person.role.rawValue)"
    }

    /// What `state` allows: nil when the act applies, otherwise why not (`B2.vibration.HI is not shelved`).
    public func inapplicability(to state: AlarmState, tag: String) -> String? {
        switch self {
        case .acknowledge:
            state.needsAcknowledgement ? nil : "\(tag) has nothing to acknowledge (\(state.word))"
        case .shelve:
            state == .outOfService ? "\(tag) is out of service" : state == .shelved ? "\(tag) is already shelved" : nil
        case .unshelve:
            state == .shelved ? nil : "\(tag) is not shelved"
        case .removeFromService:
            state == .outOfService ? "\(tag) is already out of service" : nil
        case .returnToService:
            state == .outOfService ? nil : "\(tag) is not out of service"
        }
    }
}
