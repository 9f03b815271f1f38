import AndonConsole
import AndonCore
import AndonPolicy
import AndonRuntime
import AndonService
import AndonStore
import ArgumentParser
import Foundation
import Logging

/// One console on a live runtime, the same for `andon demo` and `andon run`: log lines go to a file while the console
/// owns the screen, the audit store is opened once and closed (checkpointed) at the end, the runtime runs on its own
/// thread and the console on its own, and the terminal is given back however it ends.
struct ConsoleSession {
    let loaded: LoadedPlant
    let options: ConsoleOptions
    let store: StoreOpening

    /// Checks the console flags, sends logs to `logPath` (or the plant's log file) and opens the store `files` name.
    init(loaded: LoadedPlant, flags: ConsoleFlags, logPath: String?, files: PlantOptions) throws {
        try flags.checkFrameRate()
        do { try LogSetup.forConsole(path: logPath, plantID: loaded.plant.id) } catch { throw ExitCode(2) }
        var options = try flags.options()
        options.identityNote = loaded.identityNote
        self.options = options
        self.loaded = loaded
        store = try loaded.openStore(files, headless: false)
        let logger = Logger(label: "andon.audit")
        for note in store.notes { logger.notice("\(note)") }
        if !store.sink.health.isHealthy { logger.error("audit store down", metadata: ["problem": "\(store.sink.health.problem ?? "?")"]) }
    }

    /// The store's sink.
    var sink: any AuditSink { store.sink }
    /// What earlier runs left.
    var recovery: Recovery { store.recovery }

    /// The service of `runtime` on `socket` (default: the plant's), for a second console to attach to.
    func makeService(_ runtime: PlantRuntime, socket: String?) -> ServiceHost {
        ServiceHost(runtime: runtime, plant: loaded.plant,
                    options: ServiceOptions(socketPath: socket ?? ServiceSocket.defaultPath(plantID: loaded.plant.id), group: loaded.roster.group),
                    identities: ServiceIdentities(person: loaded.rosterLookup, acceptsClaims: loaded.roster.acceptsClaims))
    }

    /// A live runtime for this session: simulated at `speed`, or fed by telemetry through a door with `telemetry`.
    func makeRuntime(speed: Double, telemetry: IngestOptions? = nil) -> PlantRuntime {
        var live = LiveOptions(speed: speed)
        live.watchedPolicyPath = loaded.policyPath
        return PlantRuntime(plant: loaded.plant, scenario: loaded.scenario, options: loaded.engineOptions(continuing: store, liveSpeed: speed), live: live,
                            judge: loaded.policy, audit: sink, recovery: recovery, roster: loaded.rosterLookup, policyReloader: loaded.policyReloader,
                            telemetry: telemetry)
    }

    /// Runs the console on `runtime` until the person quits or a signal ends it; `feed` (telemetry) runs beside it.
    func run(_ runtime: PlantRuntime, feed: (@Sendable () async -> Void)? = nil, service: ServiceHost? = nil, hint: String) async throws {
        let clock = Task { await runtime.run() }
        let feeder = feed.map { feed in Task { await feed() } }
        let logger = Logger(label: "andon.service")
        // The console's runtime also serves its socket, so a second person can attach; a socket another runtime
        // holds leaves this one unserved, not stopped.
        let served = service.map { host in
            Task {
                do { try await host.run() } catch { logger.error("not serving the socket", metadata: ["problem": "\(error)"]) }
            }
        }
        var failure: (any Error)?
        do {
            try await ConsoleApp.run(link: runtime, operator: loaded.person, options: options)
        } catch {
            failure = error
        }
        // The runtime stops between two ticks, then its record is closed cleanly: nothing is cut off mid-commit.
        feeder?.cancel()
        served?.cancel()
        await served?.value
        clock.cancel()
        await clock.value
        await runtime.closeAudit()
        if let failure {
            printError("error: \(failure)\nhint: \(hint)")
            throw ExitCode(1)
        }
    }
}

extension LoadedPlant {
    /// Engine options that continue the log's clock and run numbering. A live run (`liveSpeed`) continues the clock by
    /// the wall time it was down (times its speed), so what expired meanwhile expires at start, on record; a headless
    /// run in virtual time continues where the log stopped.
    func engineOptions(continuing store: StoreOpening, liveSpeed: Double? = nil) -> EngineOptions {
        var options = EngineOptions(seed: seed)
        options.startTime = store.recovery.continuationTime(liveSpeed: liveSpeed)
        options.runNumber = store.recovery.runs + 1
        options.fallbackJournalPath = store.journalPath
        options.signatureVerifier = signatureVerifier
        if let liveSpeed, liveSpeed > 0 { options.liveSpeed = liveSpeed }
        return options
    }

    /// The roster as the runtime looks people up.
    var rosterLookup: @Sendable (String) -> Person {
        let roster = roster
        return { roster.person(named: $0) }
    }

    /// Reads the policy file again, for `:reload` and for a changed file.
    var policyReloader: (@Sendable () throws -> any ProposalJudge)? {
        guard let path = policyPath else { return nil }
        return { () throws -> any ProposalJudge in try PolicyEngine.load(path: path) }
    }
}
