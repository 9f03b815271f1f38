import AndonConsole
import AndonCore
import AndonService
import AndonWire
import ArgumentParser
import Foundation
import Logging

/// `andon attach` over several runtimes: one console for the plant, each runtime reached on its own socket as the
/// person the kernel says you are there. Runtimes that do not answer at start are shown down and tried again; if none
/// answers, nothing opens.
struct PlantConsole {
    let file: PlantFile
    let hello: Hello
    let log: String?

    /// Connects, opens the console, and keeps every link up until the person quits.
    func run(options: ConsoleOptions) async throws {
        var options = options
        let link = PlantRuntimes(members: file.members, hello: hello, plantName: file.title)
        let welcomes = await link.connect()
        let welcomed = welcomes.compactMapValues { try? $0.get() }
        guard !welcomed.isEmpty else {
            for member in file.members {
                if case let .failure(error)? = welcomes[member.name] { printError("andon attach: \(member.name): \(TerminalText.printable("\(error)"))") }
            }
            printError("andon attach: none of the plant's runtimes answered")
            throw ExitCode(1)
        }
        do {
            try LogSetup.forConsole(path: log, plantID: "plant-wide")
        } catch {
            if log != nil { throw ExitCode(2) }
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        }
        let logger = Logger(label: "andon.attach")
        for member in file.members {
            if case let .failure(error)? = welcomes[member.name] {
                logger.warning("runtime not reached at start; retrying", metadata: ["runtime": "\(member.name)", "problem": "\(error)"])
            }
        }
        // Keys are offered by the highest role the rosters give; each runtime still decides by its own.
        let people = file.members.compactMap { welcomed[$0.name] }
        let person = people.map(\.person).max { $0.role.rank < $1.role.rank }!
        options.identityNote = people.contains { $0.identity.isClaimed } ? "claimed (demo)" : nil
        let keep = Task { await link.keepConnected(welcomed: Set(welcomed.keys)) }
        defer { keep.cancel() }
        do {
            try await ConsoleApp.run(link: link, operator: person, options: options)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}
