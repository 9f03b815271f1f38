import AndonCore
import AndonPolicy
import AndonStore
import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `andon operator`: what the runtime keeps about the people on the roster.
struct OperatorCommandGroup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "operator",
        abstract: "Manage what the runtime keeps about the people on the roster.",
        subcommands: [PassphraseCommand.self]
    )
}

/// `andon operator passphrase NAME`: sets a person's signing passphrase, the second component of a signature beside
/// the identity the system vouches for. Run as the account the runtime runs as (the credentials file is that
/// account's alone), with the person typing their own passphrase, twice, unseen.
struct PassphraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passphrase",
        abstract: "Set a person's signing passphrase (asks twice, no echo).",
        discussion: """
        The passphrase is kept only as a scrypt hash in the plant's credentials file (0600, the runtime's account alone), \
        read afresh at every signature: a running service uses the new one at once. The person types it themselves; \
        nothing is shown. Without a terminal, --stdin reads it (twice, one per line) from standard input.
        """
    )

    @Argument(help: "The person, by their name on the roster.")
    var name: String

    @Option(help: "The plant definition (names the credentials file).")
    var plant = "demo/plant.yaml"

    @Option(help: "The operator roster (default: demo/operators.yaml beside the demo plant).")
    var operators: String?

    @Option(help: "The credentials file (default: $XDG_CONFIG_HOME/andon/credentials/<plant-id>.json).")
    var credentials: String?

    @Flag(help: "Read the passphrase twice from standard input, one per line, instead of asking at the terminal.")
    var stdin = false

    /// Fewest characters a signing passphrase may have.
    static let minimumLength = 8

    func run() throws {
        let spec: PlantSpec
        do { spec = try PlantSpec.load(path: plant) } catch { throw failConfiguration(error) }
        let rosterPath = operators ?? PlantOptions.besidePlant(plant, "operators.yaml")
        guard let rosterPath else {
            printError("error: no roster: a passphrase is set for a person on the plant's roster (--operators)")
            throw ExitCode(2)
        }
        let roster: OperatorRoster
        do { roster = try OperatorRoster.load(path: rosterPath) } catch { throw failConfiguration(error) }
        let shown = TerminalText.printable(name)
        guard roster.lists(name) else {
            printError("error: \(shown) is not on the roster \(rosterPath); only listed people sign")
            throw ExitCode(2)
        }
        guard !roster.acceptsClaims else {
            printError("error: \(rosterPath) is a demo roster (identity: claimed): its passphrases are in the file for anyone to read, "
                       + "so signing uses those; a plant's roster leaves identity: claimed out and its passphrases are set here")
            throw ExitCode(2)
        }
        guard roster.person(named: name).role != .observer else {
            printError("error: \(shown) is an observer on the roster and approves nothing, so has nothing to sign")
            throw ExitCode(2)
        }
        let path = credentials ?? SigningCredentials.defaultPath(plantID: spec.id)
        var file: SigningCredentials
        do { file = try SigningCredentials.load(path: path) } catch {
            printError("error: \(error)")
            throw ExitCode(2)
        }
        let reader: SecretReader = stdin ? .standardInput : .terminal
        guard let first = try reader.read(prompt: "Signing passphrase for \(shown): "),
              let second = try reader.read(prompt: "Again: ") else {
            printError("error: no passphrase given; nothing changed")
            throw ExitCode(1)
        }
        guard first == second else {
            printError("error: the two passphrases differ; nothing changed")
            throw ExitCode(1)
        }
        guard first.count >= Self.minimumLength else {
            printError("error: a signing passphrase has at least \(Self.minimumLength) characters; nothing changed")
            throw ExitCode(1)
        }
        guard first != name else {
            printError("error: a signing passphrase is not the person's name; nothing changed")
            throw ExitCode(1)
        }
        do {
            try file.set(Passphrase(first), for: name)
            try file.save(path: path)
        } catch {
            printError("error: the passphrase was not saved: \(error)")
            throw ExitCode(1)
        }
        print("signing passphrase set for \(shown) in \(path)")
    }
}

/// Where a secret is read from: the terminal with echo off, or standard input.
enum SecretReader {
    case terminal
    case standardInput

    /// One line, without its newline; nil at end of input.
    func read(prompt: String) throws -> String? {
        switch self {
        case .standardInput:
            return readLine(strippingNewline: true)
        case .terminal:
            let tty = open("/dev/tty", O_RDWR | O_CLOEXEC)
            guard tty >= 0 else {
                printError("error: no terminal to ask on; --stdin reads the passphrase from standard input")
                throw ExitCode(2)
            }
            defer { close(tty) }
            return try Self.readHidden(tty, prompt: prompt)
        }
    }

    /// Reads a line from `tty` with echo off, byte by byte (so that Ctrl-C stops it and leaves the terminal as it
    /// was); backspace and Ctrl-U edit, Enter ends.
    private static func readHidden(_ tty: Int32, prompt: String) throws -> String? {
        var saved = termios()
        guard tcgetattr(tty, &saved) == 0 else { throw ExitCode(2) }
        var quiet = saved
        quiet.c_lflag &= ~tcflag_t(ECHO | ICANON | ISIG)
        quiet.c_cc.6 = 1   // VMIN
        quiet.c_cc.5 = 0   // VTIME
        tcsetattr(tty, TCSAFLUSH, &quiet)
        defer {
            tcsetattr(tty, TCSAFLUSH, &saved)
            _ = "\n".withCString { write(tty, $0, 1) }
        }
        _ = prompt.withCString { write(tty, $0, strlen($0)) }
        var bytes: [UInt8] = []
        while true {
            var byte: UInt8 = 0
            let count = Glibc.read(tty, &byte, 1)
            if count <= 0 { return bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self) }
            switch byte {
            case 0x0A, 0x0D: return String(decoding: bytes, as: UTF8.self)
            case 0x03: throw ExitCode(130)  // Ctrl-C
            case 0x04: if bytes.isEmpty { return nil }  // Ctrl-D
            case 0x7F, 0x08: if !bytes.isEmpty { bytes.removeLast() }
            case 0x15: bytes.removeAll()  // Ctrl-U
            default: bytes.append(byte)
            }
        }
    }
}
