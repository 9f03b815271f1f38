import AndonCore
import AndonPolicy
import AndonRuntime
import AndonStore
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

    @Option(help: "The audit store: a path, or :memory: for a throwaway run (default: $XDG_STATE_HOME/andon/<plant-id>.sqlite).")
    var store: String?

    @Option(name: .customLong("operator"), help: "Who is at the keyboard (default: the login name).")
    var operatorName: String?

    @Option(help: "Seed of every random draw; the same seed reproduces a run.")
    var seed: UInt64 = 1

    /// The file beside the plant's folder's demo files, when the plant is the demo's.
    func demoFile(_ explicit: String?, _ name: String) -> String? {
        if let explicit { return explicit }
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

    /// Loads every file; in the demo the login name is a supervisor on the roster.
    static func load(_ options: PlantOptions, defaultScenario: String?, loginIsSupervisor: Bool) throws -> LoadedPlant {
        var errors: [ConfigError] = []
        var plant: PlantSpec?
        do { plant = try PlantSpec.load(path: options.plant) } catch { errors += error.errors }
        guard let plant else { throw failConfiguration(ConfigErrors(errors)) }
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
        let login = PlantOptions.loginName
        if loginIsSupervisor, roster.person(named: login).role == .observer {
            roster = roster.addingLoginUser(login, role: .supervisor)
        }
        let person = roster.person(named: options.operatorName ?? login)
        ProcessMemory.releaseFreePages()
        return LoadedPlant(plant: plant, scenario: scenario, policy: policy, policyPath: policyPath, roster: roster, person: person)
    }

    /// Opens the audit store (an unhealthy one if it cannot be opened: the run goes on, but nothing that
    /// needs a record executes) and reads what earlier runs left.
    func openStore(_ path: String?, headless: Bool) -> (any AuditSink, Recovery) {
        let location = path ?? (headless ? ":memory:" : AuditStore.defaultPath(plantID: plant.id))
        let sink = AuditStore.makeSink(path: location)
        let records = (try? sink.allRecords()) ?? []
        return (sink, Recovery.replay(records))
    }
}
