/// What a front end (the console, a headless reporter) sees of a running plant.
///
/// Snapshots are latest-wins and coalesced; events are the log of proposals, decisions, approvals,
/// alarms and state changes. Commands go back through ``send(_:as:)``; the runtime, not the front end,
/// decides whether the person may do what they ask.
public protocol RuntimeLink: Sendable {
    /// Immutable plant snapshots, latest wins, at most a few per second.
    func snapshots() -> AsyncStream<PlantSnapshot>
    /// Events for the event log (no telemetry).
    func events() -> AsyncStream<EventEnvelope>
    /// Carries out a command as `person`; returns once it has taken effect (and been committed) or been refused.
    func send(_ command: OperatorCommand, as person: Person) async -> CommandResult
    /// The roster entry for `name`; unknown names are observers.
    func person(named name: String) async -> Person
}
