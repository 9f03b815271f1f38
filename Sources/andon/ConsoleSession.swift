import AndonConsole
import AndonCore
import AndonPolicy
import AndonRuntime
import ArgumentParser
import Foundation

/// One console on a live runtime, the same for `andon demo` and `andon run`: log lines go to a file while the console
/// owns the screen, the audit store is opened once and closed (checkpointed) at the end, the runtime runs on its own
/// thread and the console on its own, and the terminal is given back however it ends.
struct ConsoleSession {
    let loaded: LoadedPlant
    let options: ConsoleOptions
    let sink: any AuditSink
    let recovery: Recovery

    /// Checks the console flags, sends logs to `logPath` (or the plant's log file) and opens the store at `store`.
    init(loaded: LoadedPlant, flags: ConsoleFlags, logPath: String?, store: String?) throws {
        try flags.checkFrameRate()
        do { try LogSetup.forConsole(path: logPath, plantID: loaded.plant.id) } catch { throw ExitCode(2) }
        options = try flags.options()
        self.loaded = loaded
        (sink, recovery) = loaded.openStore(store, headless: false)
    }

    /// A live runtime for this session: simulated at `speed`, or fed by telemetry through a door with `telemetry`.
    func makeRuntime(speed: Double, telemetry: IngestOptions? = nil) -> PlantRuntime {
        var live = LiveOptions(speed: speed)
        live.watchedPolicyPath = loaded.policyPath
        return PlantRuntime(plant: loaded.plant, scenario: loaded.scenario, options: loaded.engineOptions(continuing: recovery), live: live,
                            judge: loaded.policy, audit: sink, recovery: recovery, roster: loaded.rosterLookup, policyReloader: loaded.policyReloader,
                            telemetry: telemetry)
    }

    /// Runs the console on `runtime` until the person quits or a signal ends it; `feed` (telemetry) runs beside it.
    func run(_ runtime: PlantRuntime, feed: (@Sendable () async -> Void)? = nil, hint: String) async throws {
        let clock = Task { await runtime.run() }
        let feeder = feed.map { feed in Task { await feed() } }
        var failure: (any Error)?
        do {
            try await ConsoleApp.run(link: runtime, operator: loaded.person, options: options)
        } catch {
            failure = error
        }
        // The runtime stops between two ticks, then the store is closed: nothing is cut off mid-commit.
        feeder?.cancel()
        clock.cancel()
        await clock.value
        sink.close()
        if let failure {
            printError("error: \(failure)\nhint: \(hint)")
            throw ExitCode(1)
        }
    }
}

extension LoadedPlant {
    /// Engine options that continue the log's clock and run numbering.
    func engineOptions(continuing recovery: Recovery) -> EngineOptions {
        var options = EngineOptions(seed: seed)
        options.startTime = recovery.lastSimTime.rounded(.down)
        options.runNumber = recovery.runs + 1
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
