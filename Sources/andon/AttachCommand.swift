import AndonConsole
import AndonCore
import AndonService
import AndonWire
import ArgumentParser
import Foundation
import Logging

/// `andon attach`: the full console on a served runtime (`andon serve`, or `andon demo`'s own socket), as the person the
/// kernel says you are; on several runtimes, the plant-wide console (`PlantConsole`).
struct AttachCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Open the console on a runtime served on this machine, as yourself.",
        discussion: """
        Who you are is your login, as the kernel reports it on the socket, mapped through the plant's roster (unlisted: \
        an observer). Only a demo roster (identity: claimed) accepts --as NAME, and says so everywhere. Remote: \
        ssh -t plant-host andon attach (each person logs in as themselves; SSH is the network's security). \
        Several runtimes (one per line): --socket once per runtime, or --runtimes FILE, open one console for the plant; \
        ids read runtime/id (paint/B2) and each command goes to the runtime that owns its item.
        """
    )

    @Option(help: ArgumentHelp("A runtime's socket, PATH or NAME=PATH; give it once per runtime for a plant-wide console (default: the one runtime serving here, or the plant's).",
                               valueName: "[NAME=]PATH"))
    var socket: [String] = []

    @Option(help: ArgumentHelp("A file listing the plant's runtimes (plant, and runtimes with name and socket), for a plant-wide console.", valueName: "FILE"))
    var runtimes: String?

    @Option(help: "The plant whose socket to look for when several runtimes serve.")
    var plant: String?

    @Option(name: .customLong("as"), help: "Act as NAME: only with a demo roster (identity: claimed).")
    var claimedName: String?

    @Flag(help: "Watch only: every command is refused.")
    var readOnly = false

    @OptionGroup var console: ConsoleFlags

    @Option(help: "Write log lines to this file (never to the screen).")
    var log: String?

    mutating func run() async throws {
        try console.checkFrameRate()
        var options = try console.options()
        if socket.count > 1 || runtimes != nil {
            try await PlantConsole(file: try plantFile(), hello: hello, log: log).run(options: options)
            return
        }
        let path: String
        do {
            // One runtime given as NAME=PATH: the name is for a plant-wide console; one runtime needs only its path.
            let given = socket.first.map { (try? PlantFile.members(sockets: [$0]))?.first?.socket ?? $0 }
            path = try given ?? ServiceSocket.find(plantID: plant.flatMap { try? PlantSpec.load(path: $0).id })
        } catch {
            printError("andon attach: \(error)")
            throw ExitCode(1)
        }
        let link = RemoteRuntime(socketPath: path, hello: hello)
        let welcome: Welcome
        do {
            welcome = try await link.connect()
        } catch {
            printError("andon attach: \(error)")
            throw ExitCode(1)
        }
        do {
            try LogSetup.forConsole(path: log, plantID: welcome.runtime.plantID)
        } catch {
            // No log file for this user (no home, say): the console still opens, and logs nowhere rather than on screen.
            if log != nil { throw ExitCode(2) }
            LoggingSystem.bootstrap { _ in SwiftLogNoOpLogHandler() }
        }
        options.identityNote = welcome.identity.isClaimed ? "claimed (demo)" : nil
        let keep = Task { await link.keepConnected() }
        defer { keep.cancel() }
        do {
            try await ConsoleApp.run(link: link, operator: welcome.person, options: options)
        } catch {
            printError("error: \(error)")
            throw ExitCode(1)
        }
    }
}

extension AttachCommand {
    /// How this console introduces itself to each runtime.
    var hello: Hello {
        Hello(client: .console, program: "andon attach", session: UUID().uuidString, claimedName: claimedName, isReadOnly: readOnly,
              snapshotsPerSecond: Double(console.fps))
    }

    /// The runtimes of a plant-wide console: the file's, then those of `--socket`; exits 2 naming what is wrong.
    func plantFile() throws -> PlantFile {
        var file = PlantFile(plantName: nil, members: [])
        if let runtimes {
            do { file = try PlantFile.load(path: runtimes) } catch { throw failConfiguration(error) }
        }
        do {
            for member in try PlantFile.members(sockets: socket) {
                guard !file.members.contains(where: { $0.name == member.name }) else {
                    printError("andon attach: a second runtime called '\(member.name)'; name them apart with --socket NAME=PATH")
                    throw ExitCode(2)
                }
                file.members.append(member)
            }
        } catch let error as ExitCode {
            throw error
        } catch {
            printError("andon attach: \(error)")
            throw ExitCode(2)
        }
        return file
    }
}

/// `andon who`: who is attached to a served runtime.
struct WhoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "who", abstract: "List who is attached to a served runtime: name, role, since, console or agent.")

    @Option(help: "The runtime's socket (default: the one runtime serving here).")
    var socket: String?

    @Option(help: "The plant whose socket to look for when several runtimes serve.")
    var plant: String?

    mutating func run() async throws {
        let path: String
        let link: RemoteRuntime
        let list: [Attachment]
        do {
            path = try socket ?? ServiceSocket.find(plantID: plant.flatMap { try? PlantSpec.load(path: $0).id })
            link = RemoteRuntime(socketPath: path, hello: Hello(client: .query, program: "andon who", session: UUID().uuidString))
            let welcome = try await link.connect()
            let counts: ClientCounts
            (list, counts) = try await link.attachments()
            print("\(TerminalText.printable(welcome.runtime.plantName)) at \(path): \(list.count) attached")
            print("  clients: \(counts.description)")
        } catch {
            printError("andon who: \(error)")
            throw ExitCode(1)
        }
        for attachment in list {
            let name = TerminalText.printable(attachment.person.label)
            let how = TerminalText.printable(attachment.identity.description)
            print("  \(name)  \(attachment.client.rawValue)\(attachment.isReadOnly ? " (watch only)" : "")  since \(attachment.since)  \(how)  \(TerminalText.printable(attachment.program))")
        }
    }
}
