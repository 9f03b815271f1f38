import AndonCore
import AndonMetrics
import AndonRuntime
import AndonService
import AndonStore
import ArgumentParser
import Foundation
import Logging

/// `andon serve`: the runtime with no screen, serving its socket to consoles (`andon attach`) and outside agents,
/// simulated or fed by telemetry, until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the plant's runtime as a service: consoles attach to its socket (andon attach), each as the person the kernel says they are.",
        discussion: """
        Simulated (taking --seed, --speed and --scenario as andon demo does) or fed by telemetry (--telemetry - or a file \
        or FIFO). Logs go to a file (--log, default beside the audit store) or, when standard error is not a terminal, there. \
        SIGTERM or SIGINT ends it cleanly: in-flight decisions are committed, the record is closed, the socket removed. \
        Remote operators use SSH as it is: ssh -t plant-host andon attach.
        """
    )

    @OptionGroup var files: PlantOptions

    @Option(help: "Telemetry instead of the simulator: - for standard input, or a file or FIFO path.")
    var telemetry: String?

    @Option(help: "Simulated seconds per real second (simulated runs).")
    var speed: Double = 5

    @Option(help: "The socket (default: $XDG_RUNTIME_DIR/andon/<plant-id>.sock, else /run/andon/, else /tmp/andon-$UID/).")
    var socket: String?

    @Option(help: "Write log lines to this file.")
    var log: String?

    @Option(help: "The reject file for telemetry (default: beside the audit store; 'none' for no file).")
    var rejects: String?

    @Option(help: "How far ahead of this machine's clock a telemetry timestamp may be (e.g. 5m).")
    var maxClockSkew = "5m"

    @Option(help: "Serve Prometheus metrics on http://ADDR:PORT/metrics (a bare PORT binds loopback only).")
    var metrics: String?

    mutating func run() async throws {
        let defaultScenario = telemetry == nil && files.plant == "demo/plant.yaml" && FileManager.default.fileExists(atPath: "demo/scenarios/demo.yaml")
            ? "demo/scenarios/demo.yaml" : nil
        let loaded = try LoadedPlant.load(files, defaultScenario: defaultScenario, loginIsSupervisor: false)
        guard let skew = TimeText.seconds(parsing: maxClockSkew) else {
            printError("error: --max-clock-skew \(maxClockSkew) is not a duration (expected e.g. 30s or 5m)")
            throw ExitCode(2)
        }
        let metricsAddress = metrics.flatMap(MetricsServer.parse)
        if let metrics, metricsAddress == nil {
            printError("error: --metrics \(metrics) is not ADDR:PORT or PORT (e.g. 127.0.0.1:9464)")
            throw ExitCode(2)
        }
        if let telemetry, telemetry != "-", access(telemetry, R_OK) != 0 {
            printError("error: cannot open telemetry \(telemetry): \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        do {
            if isatty(STDERR_FILENO) == 1 || log != nil {
                try LogSetup.forConsole(path: log, plantID: loaded.plant.id)
            } else {
                LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
            }
        } catch {
            throw ExitCode(2)
        }
        let store = try loaded.openStore(files, headless: false)
        let logger = Logger(label: "andon.serve")
        for note in store.notes { logger.notice("\(note)") }
        var rejectFile: RejectFile?
        if telemetry != nil, rejects != "none" {
            let path = rejects ?? RejectFile.defaultPath(auditPath: AuditStore.defaultPath(plantID: loaded.plant.id))
            guard let file = RejectFile(path: path, limit: 100_000) else { throw ExitCode(2) }
            rejectFile = file
        }
        // With metrics on, every commit is timed for them.
        let timedSink = metricsAddress.map { _ in TimedAuditSink(store.sink, runtimeID: store.streamID ?? loaded.plant.id) }
        var live = LiveOptions(speed: telemetry == nil ? speed : 1)
        live.watchedPolicyPath = loaded.policyPath
        let runtime = PlantRuntime(plant: loaded.plant, scenario: loaded.scenario,
                                   options: loaded.engineOptions(continuing: store, liveSpeed: telemetry == nil ? speed : 1), live: live,
                                   judge: loaded.policy, audit: timedSink ?? store.sink, recovery: store.recovery, roster: loaded.rosterLookup,
                                   policyReloader: loaded.policyReloader, telemetry: telemetry.map { _ in IngestOptions(maxClockSkewSeconds: skew) })
        if let rejectFile {
            let box = RejectFileBox(rejectFile)
            await runtime.onTelemetryReject { box.file.write($0) }
        }
        let path = socket ?? ServiceSocket.defaultPath(plantID: loaded.plant.id)
        let host = ServiceHost(runtime: runtime, plant: loaded.plant, options: ServiceOptions(socketPath: path, group: loaded.roster.group),
                               identities: ServiceIdentities(person: loaded.rosterLookup, acceptsClaims: loaded.roster.acceptsClaims))
        var metricsServer: MetricsServer?
        if let metricsAddress {
            let runtimeID = store.streamID ?? loaded.plant.id
            do {
                metricsServer = try await MetricsServer.start(host: metricsAddress.host, port: metricsAddress.port) { [runtime, host] in
                    let attached = host.attachments
                    let figures = RuntimeFigures(runtimeID: runtimeID, attachedConsoles: attached.count { $0.client == .console },
                                                 attachedAgents: attached.count { $0.client == .agent })
                    return MetricsText.render(await runtime.snapshotNow(), figures: figures, latencies: await runtime.agentLatencyHistograms())
                        + (timedSink?.text ?? "")
                }
            } catch {
                printError("andon: cannot serve metrics on \(metricsAddress.host):\(metricsAddress.port): \(error)")
                await runtime.closeAudit()
                throw ExitCode(2)
            }
            if let address = metricsServer?.address { printError("andon: metrics at http://\(address.host):\(address.port)/metrics") }
        }
        Shutdown.install()
        printError("andon: serving \(loaded.plant.name) at \(path) (pid \(getpid())); stop with SIGTERM or Ctrl-C")
        let failure = await ServiceRun.serve(runtime: runtime, host: host, telemetry: telemetry, logger: logger)
        await metricsServer?.stop()
        await runtime.closeAudit()
        if let failure {
            printError("andon: \(failure)")
            throw ExitCode(1)
        }
        printError("andon: stopped; the record is closed and the socket removed")
    }
}

/// Runs a served runtime until a terminating signal: the runtime's clock, its socket, and its telemetry feed if any.
enum ServiceRun {
    /// Serves until SIGTERM or SIGINT; returns why it stopped early, if it did.
    static func serve(runtime: PlantRuntime, host: ServiceHost, telemetry: String?, logger: Logger) async -> String? {
        await withTaskGroup(of: String?.self) { group in
            group.addTask { await runtime.run(); return nil }
            group.addTask {
                do {
                    try await host.run()
                    return nil
                } catch {
                    return "the socket could not be served: \(error)"
                }
            }
            if let telemetry {
                group.addTask {
                    for await chunk in LineReader.chunks(of: telemetry, maxLineBytes: 64 * 1024) { await runtime.take(chunk) }
                    return nil
                }
            }
            group.addTask {
                while Shutdown.isRunning, !Task.isCancelled { try? await Task.sleep(for: .milliseconds(100)) }
                return nil
            }
            // The first to end (the signal watcher, or a socket that cannot be served) ends the rest.
            let first = await group.next() ?? nil
            group.cancelAll()
            var failure = first
            for await other in group where failure == nil { failure = other }
            return failure
        }
    }
}
