import AndonConsole
import AndonCore
import AndonPolicy
import AndonRuntime
import AndonStore
import ArgumentParser
import Foundation

/// `andon run`: supervise a plant from its telemetry stream (JSON lines; the contract is `docs/telemetry.md`).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Supervise a plant from its telemetry: JSON lines from standard input, a file or a FIFO.",
        discussion: """
        Each line is one message of the telemetry contract (docs/telemetry.md). Bad messages are counted by reason, \
        written to the reject file (up to --max-rejects lines) and never stop the stream. From an MQTT broker: \
        mosquitto_sub -h HOST -t 'plant/#' -F '%p' | andon run --telemetry -
        """
    )

    @OptionGroup var files: PlantOptions

    @Option(help: "Where telemetry comes from: - for standard input, or a file or FIFO path.")
    var telemetry: String

    @Flag(help: "Run without the console; print the report at the end of input.")
    var headless = false

    @Option(help: "Headless report format (json).")
    var report = "json"

    @Option(help: "The reject file, JSON lines (default: beside the audit store, <plant-id>.rejects.jsonl; 'none' for no file).")
    var rejects: String?

    @Option(help: "Most lines written to the reject file; rejects beyond it are only counted.")
    var maxRejects = 10_000

    @Option(help: "How far ahead of this machine's clock a source timestamp may be (e.g. 5m).")
    var maxClockSkew = "5m"

    @OptionGroup var console: ConsoleFlags

    mutating func run() async throws {
        let loaded = try LoadedPlant.load(files, defaultScenario: nil, loginIsSupervisor: false)
        guard report == "json" else {
            printError("error: --report \(report) is not supported (expected json)")
            throw ExitCode(2)
        }
        guard let skew = Duration.seconds(parsing: maxClockSkew) else {
            printError("error: --max-clock-skew \(maxClockSkew) is not a duration (expected e.g. 30s or 5m)")
            throw ExitCode(2)
        }
        let input: Int32
        if telemetry == "-" {
            input = STDIN_FILENO
        } else {
            input = open(telemetry, O_RDONLY)
            guard input >= 0 else {
                printError("error: cannot open telemetry \(telemetry): \(String(cString: strerror(errno)))")
                throw ExitCode(2)
            }
        }
        defer { if input != STDIN_FILENO { close(input) } }
        let (sink, recovery) = loaded.openStore(files.store, headless: headless)
        var rejectFile: RejectFile?
        if rejects != "none" {
            let path = rejects ?? RejectFile.defaultPath(auditPath: AuditStore.defaultPath(plantID: loaded.plant.id))
            guard let file = RejectFile(path: path, limit: maxRejects) else { throw ExitCode(2) }
            rejectFile = file
        }
        var options = EngineOptions(seed: files.seed)
        options.startTime = recovery.lastSimTime.rounded(.down)
        options.runNumber = recovery.runs + 1
        let ingestOptions = IngestOptions(maxClockSkewSeconds: skew)
        if headless {
            runHeadless(loaded, sink: sink, recovery: recovery, options: options, ingestOptions: ingestOptions, input: input, rejectFile: rejectFile)
        } else {
            try await runConsole(loaded, sink: sink, recovery: recovery, options: options, ingestOptions: ingestOptions, input: input, rejectFile: rejectFile)
        }
    }

    private func runHeadless(_ loaded: LoadedPlant, sink: any AuditSink, recovery: Recovery, options: EngineOptions, ingestOptions: IngestOptions,
                             input: Int32, rejectFile: RejectFile?) {
        let roster = loaded.roster
        let engine = PlantEngine(plant: loaded.plant, scenario: loaded.scenario, options: options, judge: loaded.policy, audit: sink,
                                 roster: { roster.person(named: $0) })
        engine.start(recovering: recovery)
        let ingest = TelemetryIngest(engine: engine, options: ingestOptions)
        if let rejectFile { ingest.onReject = { rejectFile.write($0) } }
        let start = Date()
        let ending = ingest.consume(fileDescriptor: input)
        ingest.finish()
        if case let .failed(code) = ending { printError("error: reading telemetry stopped: \(String(cString: strerror(code)))") }
        let wall = Date().timeIntervalSince(start)
        print(ingest.report(scenarioName: loaded.scenario.name, wallSeconds: wall).json())
        summarizeRejects(ingest.rejects, file: rejectFile)
    }

    private func runConsole(_ loaded: LoadedPlant, sink: sending any AuditSink, recovery: Recovery, options: EngineOptions, ingestOptions: IngestOptions,
                            input: Int32, rejectFile: RejectFile?) async throws {
        try console.checkFrameRate()
        let consoleOptions = try console.options()
        let roster = loaded.roster
        var reloader: (@Sendable () throws -> any ProposalJudge)?
        if let path = loaded.policyPath {
            reloader = { () throws -> any ProposalJudge in try PolicyEngine.load(path: path) }
        }
        var live = LiveOptions(speed: 1)
        live.watchedPolicyPath = loaded.policyPath
        let runtime = PlantRuntime(plant: loaded.plant, scenario: loaded.scenario, options: options, live: live,
                                   judge: loaded.policy, audit: sink, recovery: recovery, roster: { roster.person(named: $0) },
                                   policyReloader: reloader, telemetry: ingestOptions)
        if let rejectFile {
            let box = RejectFileBox(rejectFile)
            await runtime.onTelemetryReject { box.file.write($0) }
        }
        let batches = TelemetryBatches.read(fileDescriptor: input, maxLineBytes: ingestOptions.maxLineBytes)
        let feeder = Task {
            for await batch in batches { await runtime.ingest(lines: batch) }
            await runtime.finishTelemetry()
        }
        let clock = Task { await runtime.run() }
        defer {
            feeder.cancel()
            clock.cancel()
        }
        do {
            try await ConsoleApp.run(link: runtime, operator: loaded.person,
                                     options: consoleOptions)
        } catch {
            printError("error: \(error)\nhint: --headless runs without the console and prints a report")
            throw ExitCode(1)
        }
    }

    private func summarizeRejects(_ log: RejectLog, file: RejectFile?) {
        guard log.total > 0 else { return }
        let reasons = log.counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        var text = "telemetry: \(log.total) message(s) rejected (\(reasons))"
        if let file { text += "; \(file.written) written to \(file.path)" }
        printError(text)
    }
}
