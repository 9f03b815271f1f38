import AndonCore
import Foundation

/// The interactive console: one dedicated thread owns ncurses; snapshots, events and command results reach it through an inbox.
public enum ConsoleApp {
    /// Runs the console for `person` against `link` until the operator quits or a signal ends it; the terminal is always restored.
    public static func run(link: any RuntimeLink, operator person: Person, options: ConsoleOptions = ConsoleOptions()) async throws {
        let inbox = ConsoleInbox()
        let pipe = try WakePipe()
        let snapshots = Task {
            for await snapshot in link.snapshots() {
                inbox.put(snapshot)
                pipe.wake()
            }
            inbox.note("the runtime stopped sending snapshots")
            pipe.wake()
        }
        let events = Task {
            // The runtime never waits for the console: if the console falls too far behind, its event stream ends and it
            // subscribes again, saying that some events are missing. A stream that ends with nothing in it means the
            // runtime has stopped.
            while !Task.isCancelled {
                var received = 0
                for await event in link.events() {
                    received += 1
                    inbox.put(event)
                    pipe.wake()
                }
                guard received > 0, !Task.isCancelled else { break }
                inbox.note("the event log fell behind and was resynced: some events are missing from it")
                pipe.wake()
            }
        }
        defer {
            snapshots.cancel()
            events.cancel()
        }
        let runtime = RuntimeCalls(link: link, inbox: inbox, pipe: pipe)
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do {
                    var loop = try ConsoleLoop(person: person, options: options, inbox: inbox, pipe: pipe, runtime: runtime)
                    loop.run()
                    continuation.resume()
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "andon.console"
            thread.start()
        }
    }
}

/// Calls into the runtime on tasks, so the UI thread never waits; answers come back through the inbox.
struct RuntimeCalls: Sendable {
    let link: any RuntimeLink
    let inbox: ConsoleInbox
    let pipe: WakePipe

    /// Sends `command` as `person`; the result arrives in the inbox.
    func send(_ command: OperatorCommand, as person: Person) {
        Task {
            let result = await link.send(command, as: person)
            inbox.put(result, for: command)
            pipe.wake()
        }
    }

    /// Hands the console from `current` to the person called `name`: the runtime records the takeover, then the
    /// person arrives in the inbox (or, if the runtime refused it, its answer does).
    func takeOver(_ name: String, from current: Person) {
        Task {
            let person = await link.person(named: name)
            let command = OperatorCommand.takeOver(from: current.name)
            let result = await link.send(command, as: person)
            if result.isAccepted { inbox.put(person) } else { inbox.put(result, for: command) }
            pipe.wake()
        }
    }
}
