import AndonCore

/// Where a plant-wide console's command goes: to the runtime that owns the item it names (with the runtime's own id),
/// to every runtime (the kill switch for all agents, pause, policy reload), or nowhere, saying why.
public enum PlantRoute: Sendable, Hashable {
    /// To the runtime named, as that runtime's own command.
    case one(runtime: String, command: OperatorCommand)
    /// To every runtime.
    case every(OperatorCommand)
    /// Not sent.
    case refused(String)

    /// The route of `command` among the runtimes called `runtimes`.
    public static func of(_ command: OperatorCommand, runtimes: [String]) -> PlantRoute {
        func owned(_ id: String, _ make: (String) -> OperatorCommand) -> PlantRoute {
            guard let (runtime, local) = RuntimeQualifiedID.split(id), !local.isEmpty else {
                let example = runtimes.first.map { " (\(RuntimeQualifiedID.make($0, id)))" } ?? ""
                return .refused("\(command.verb) not sent: name the runtime of \(id) as runtime/\(id)\(example)")
            }
            guard runtimes.contains(runtime) else {
                return .refused("\(command.verb) not sent: no runtime '\(runtime)' in this console (\(runtimes.joined(separator: ", ")))")
            }
            return .one(runtime: runtime, command: make(local))
        }
        switch command {
        case .approve(let id): return owned(id) { .approve(approvalID: $0) }
        case let .sign(id, passphrase): return owned(id) { .sign(approvalID: $0, passphrase: passphrase) }
        case let .reject(id, reason): return owned(id) { .reject(approvalID: $0, reason: reason) }
        case let .killSwitch(on, agent?): return owned(agent) { .killSwitch(on: on, agentID: $0) }
        case .killSwitch(_, nil), .setPaused, .reloadPolicy: return .every(command)
        case let .acknowledgeAlarms(cell): return owned(cell) { .acknowledgeAlarms(cell: $0) }
        case let .acknowledgeAlarm(tag): return owned(tag) { .acknowledgeAlarm(tag: $0) }
        case let .shelveAlarm(tag, seconds, reason): return owned(tag) { .shelveAlarm(tag: $0, seconds: seconds, reason: reason) }
        case let .unshelveAlarm(tag): return owned(tag) { .unshelveAlarm(tag: $0) }
        case let .setAlarmOutOfService(tag, out, reason): return owned(tag) { .setAlarmOutOfService(tag: $0, isOutOfService: out, reason: reason) }
        case .takeOver:
            return .refused("a plant-wide console is not handed over: each runtime knows who you are from your login; attach to one runtime to use :operator")
        }
    }
}
