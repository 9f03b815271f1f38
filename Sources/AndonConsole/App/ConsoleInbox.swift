import AndonCore
import Foundation

/// What other tasks hand the UI thread: the latest snapshot (latest wins), events, command results, people.
final class ConsoleInbox: @unchecked Sendable {
    /// Everything taken in one go.
    struct Contents {
        var snapshot: PlantSnapshot?
        var events: [EventEnvelope] = []
        var results: [(OperatorCommand, CommandResult)] = []
        var people: [Person] = []
        var notes: [String] = []
    }

    private let lock = NSLock()
    private var contents = Contents()
    private let eventLimit: Int

    /// An inbox holding at most `eventLimit` events between frames.
    init(eventLimit: Int = 2000) { self.eventLimit = eventLimit }

    /// Replaces any snapshot not yet drawn.
    func put(_ snapshot: PlantSnapshot) { lock.withLock { contents.snapshot = snapshot } }

    /// Queues an event, dropping the oldest beyond the limit.
    func put(_ event: EventEnvelope) {
        lock.withLock {
            contents.events.append(event)
            if contents.events.count > eventLimit { contents.events.removeFirst(contents.events.count - eventLimit) }
        }
    }

    /// Queues a command's result.
    func put(_ result: CommandResult, for command: OperatorCommand) { lock.withLock { contents.results.append((command, result)) } }

    /// Queues a looked-up person.
    func put(_ person: Person) { lock.withLock { contents.people.append(person) } }

    /// Queues a note for the status line.
    func note(_ text: String) { lock.withLock { contents.notes.append(text) } }

    /// Takes everything, leaving the inbox empty.
    func take() -> Contents {
        lock.withLock {
            let taken = contents
            contents = Contents()
            return taken
        }
    }
}
