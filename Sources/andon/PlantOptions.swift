import AndonCore
import AndonPolicy
import AndonRuntime
import AndonStore
import AndonStorePostgres
import ArgumentParser
import Foundation

/// The files and identity every command that runs a plant takes.
struct PlantOptions: ParsableArguments {
    @Option(help: "The plant definition.")
    var plant = "demo/plant.yaml"

    @Option(help: "The policy file (default: demo/policies.yaml beside the demo plant).")
    var policies: String?

    @Option(help: "The operator roster (default: demo/operators.yaml beside the demo plant).")
    var operators: String?

    @Option(help: "A scenario of incidents and scripted operator commands.")
    var scenario: String?

    @Option(help: "The audit store: a path, :memory: for a throwaway run, or postgres://user@host:port/db for a store shared by several runtimes (default: the plant file's store: block, else $XDG_STATE_HOME/andon/<plant-id>.sqlite).")
    var store: String?

    @Option(help: "The file holding the PostgreSQL store's password (readable by its owner only); without it, PGPASSWORD. Never put it in the URL.")
    var storePasswordFile: String?

    @Option(help: "This runtime's stream in a shared store (default: the URL's runtime=, else the plant id).")
    var runtime: String?

    @Option(name: .customLong("operator"), help: "Who is at the keyboard: the login user; another name only with a demo roster (identity: claimed).")
    var operatorName: String?

    @Option(help: "Seed of every random draw; the same seed reproduces a run.")
    var seed: UInt64 = 1

    @Option(help: "The key that signs the audit log's checkpoints (default: $XDG_CONFIG_HOME/andon/keys/<plant-id>.ed25519; created on first start).")
    var signingKey: String?

    @Option(help: "Where a safety hold's records go while the audit store refuses them (default: $XDG_CONFIG_HOME/andon/journal/<plant-id>.jsonl).")
    var fallbackJournal: String?

    @Option(help: "The signing credentials, hashed passphrases set with `andon operator passphrase` (default: $XDG_CONFIG_HOME/andon/credentials/<plant-id>.json).")
    var credentials: String?

    /// The file beside the plant's folder's demo files, when the plant is the demo's.
    func demoFile(_ explicit: String?, _ name: String) -> String? {
        explicit ?? Self.besidePlant(plant, name)
    }

    /// The file `name` in the folder of the plant file `plant`, if there is one.
    static func besidePlant(_ plant: String, _ name: String) -> String? {
        let candidate = URL(fileURLWithPath: plant).deletingLastPathComponent().appendingPathComponent(name).path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// The login name of the user running the command.
    static var loginName: String {
        if let pw = getpwuid(getuid()), let name = pw.pointee.pw_name { return String(cString: name) }
        return ProcessInfo.processInfo.environment["USER"] ?? "operator"
    }
}

/// Everything loaded and checked before a run starts; any problem exits 2 first.
struct LoadedPlant {
    var plant: PlantSpec
    var scenario: Scenario
    var policy: PolicyEngine?
    var policyPath: String?
    var roster: OperatorRoster
    var person: Person
    /// Seed of every random draw.
    var seed: UInt64
    /// How the person at the keyboard was established, when not simply as the login user (shown in the header).
    var identityNote: String?
    /// Checks signing passphrases: the roster's known ones in a demo roster, else the plant's credentials file.
    var signatureVerifier: any SignatureVerifier

    /// Loads every file; in the demo the login name is a supervisor on the roster.
    static func load(_ options: PlantOptions, defaultScenario: String?, loginIsSupervisor: Bool) throws -> LoadedPlant {
        var errors: [ConfigError] = []
        var plant: PlantSpec?
        do { plant = try PlantSpec.load(path: options.plant) } catch { errors += error.errors }
        guard let plant else { throw failConfiguration(ConfigErrors(errors)) }
        errors += StoreChoice.problems(options, plant: plant)
        // A roster that failed to load is reported once; it is not also taken as an empty roster nobody is on.
        var roster = OperatorRoster(people: [])
        var rosterNames: Set<String>?, isRosterBroken = false
        if let path = options.demoFile(options.operators, "operators.yaml") {
            do {
                roster = try OperatorRoster.load(path: path)
                rosterNames = Set(roster.people.map(\.name))
            } catch {
                errors += error.errors
                isRosterBroken = true
            }
        }
        var scenario = Scenario.quiet
        if let path = options.scenario ?? defaultScenario {
            do { scenario = try Scenario.load(path: path, plant: plant, operators: rosterNames) } catch { errors += error.errors }
        }
        var policy: PolicyEngine?
        let policyPath = options.demoFile(options.policies, "policies.yaml")
        if let policyPath {
            do { policy = try PolicyEngine.load(path: policyPath) } catch { errors += error.errors }
        }
        if let policy, !isRosterBroken { errors += policy.spec.problems(with: roster) }
        guard errors.isEmpty else { throw failConfiguration(ConfigErrors(errors)) }
        // Who is at the keyboard is the login user. A name given with --operator is a claim, accepted only where the
        // roster says identities are claimed (a demo roster), and shown as such.
        let login = PlantOptions.loginName
        var identityNote: String?
        if let claimed = options.operatorName, claimed != login {
            guard roster.acceptsClaims else {
                printError("error: --operator \(TerminalText.printable(claimed)): who is at the keyboard comes from the login (\(login)); "
                           + "a name is accepted only with a roster that says identity: claimed (a demo roster). Log in as \(TerminalText.printable(claimed)) instead.")
                throw ExitCode(2)
            }
            identityNote = "claimed (demo)"
        }
        // The demo lets an unlisted login user act as a supervisor, in a demo roster only, and says so.
        if loginIsSupervisor, roster.acceptsClaims, !roster.lists(login) {
            roster = roster.addingLoginUser(login, role: .supervisor)
            if options.operatorName == nil || options.operatorName == login { identityNote = "demo login" }
        }
        var person = roster.person(named: options.operatorName ?? login)
        if identityNote == "claimed (demo)" { person = person.claimed }
        // Signing passphrases: a demo roster's are known to all and say so; a plant's are hashes in a file the
        // runtime's user alone may read, checked now so that a file others can read stops the start.
        let source: PassphraseVerifier.Source
        if roster.acceptsClaims {
            source = .demo(roster.demoPassphrases)
        } else {
            let path = options.credentials ?? SigningCredentials.defaultPath(plantID: plant.id)
            do { _ = try SigningCredentials.load(path: path) } catch {
                printError("error: \(error)")
                throw ExitCode(2)
            }
            source = .file(path)
        }
        let verifier = PassphraseVerifier(source: source, tries: roster.signing.tries, lockoutSeconds: roster.signing.lockoutSeconds)
        ProcessMemory.releaseFreePages()
        return LoadedPlant(plant: plant, scenario: scenario, policy: policy, policyPath: policyPath, roster: roster, person: person, seed: options.seed,
                           identityNote: identityNote, signatureVerifier: verifier)
    }

    /// Opens the audit store and reads what earlier runs left. A store that cannot be opened for a reason that may pass
    /// (read-only, locked, full) gives an unhealthy sink: the run goes on and nothing that needs a record executes. A
    /// store that cannot be trusted or read completely stops the command with exit status 3, naming the record and why;
    /// records an earlier run left in the fallback journal are committed first.
    func openStore(_ options: PlantOptions, headless: Bool) throws -> StoreOpening {
        let choice = StoreChoice(options, plant: plant)
        let location = choice.location ?? (headless ? ":memory:" : AuditStore.defaultPath(plantID: plant.id))
        let isFile = location != ":memory:"
        var key: SigningKey?
        if isFile {
            do {
                key = try SigningKey.loadOrCreate(path: options.signingKey ?? AuditStore.defaultSigningKeyPath(plantID: plant.id))
            } catch {
                printError("andon: \(error)")
                throw ExitCode(3)
            }
        }
        let journalPath = isFile ? options.fallbackJournal ?? AuditStore.defaultJournalPath(plantID: plant.id) : nil
        var shown = location
        do {
            let sink: any AuditSink
            if SharedStoreAddress.isShared(location) {
                let address = try SharedStoreCLI.address(location, passwordFile: choice.passwordFile, runtime: choice.runtime)
                shown = address.description
                sink = try SharedStoreCLI.openForRun(address, plant: plant, signingKey: key)
            } else {
                sink = try AuditStore.makeSink(path: location, signingKey: key)
            }
            var notes: [String] = []
            if let store = sink as? any AuditLog, let note = store.openingNote { notes.append(note) }
            if let journalPath, sink.health.isHealthy {
                let imported = try FallbackJournal(path: journalPath).importPending(into: sink)
                if imported > 0 { notes.append("\(imported) record\(imported == 1 ? "" : "s") kept in the fallback journal \(journalPath) were committed") }
            }
            let recovery = sink.health.isHealthy ? try Recovery.replay(sink.recoveryPoint()) : Recovery()
            return StoreOpening(sink: sink, recovery: recovery, journalPath: journalPath, notes: notes, streamID: (sink as? SharedAuditStore)?.runtimeID)
        } catch let error as ExitCode {
            throw error
        } catch let error as AuditStoreError where error.code == .leaseLost || error.code == .unreachable || error.code == .missing {
            printError("andon: \(error.message)")
            throw ExitCode(3)
        } catch {
            printError("andon: \(error)\nThe runtime does not start on a log it cannot trust or read; `andon audit verify --store \(shown)` says what it holds.")
            throw ExitCode(3)
        }
    }
}

/// The audit store a run writes, what earlier runs left in it, and what opening it found.
struct StoreOpening {
    var sink: any AuditSink
    var recovery: Recovery
    /// Where safety holds' records go while the store refuses them.
    var journalPath: String?
    /// What opening found worth saying (a tail from a run that did not close cleanly, an imported journal).
    var notes: [String]
    /// The runtime's stream in a shared store, or nil for a SQLite one.
    var streamID: String? = nil
}
