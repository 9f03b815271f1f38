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
        guard let skew = TimeText.seconds(parsing: maxClockSkew) else {
            printError("error: --max-clock-skew \(maxClockSkew) is not a duration (expected e.g. 30s or 5m)")
            throw ExitCode(2)
        }
        if telemetry != "-", access(telemetry, R_OK) != 0 {
            printError("error: cannot open telemetry \(telemetry): \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        var rejectFile: RejectFile?
        if rejects != "none" {
            let path = rejects ?? RejectFile.defaultPath(auditPath: AuditStore.defaultPath(plantID: loaded.plant.id))
            guard let file = RejectFile(path: path, limit: maxRejects) else { throw ExitCode(2) }
            rejectFile = file
        }
        let ingestOptions = IngestOptions(maxClockSkewSeconds: skew)
        if headless {
            do { try LogSetup.forHeadless(path: nil) } catch { throw ExitCode(2) }
            try runHeadless(loaded, ingestOptions: ingestOptions, rejectFile: rejectFile)
        } else {
            let session = try ConsoleSession(loaded: loaded, flags: console, logPath: nil, files: files)
            let runtime = session.makeRuntime(speed: 1, telemetry: ingestOptions)
            if let rejectFile {
                let box = RejectFileBox(rejectFile)
                await runtime.onTelemetryReject { box.file.write($0) }
            }
            let chunks = LineReader.chunks(of: telemetry, maxLineBytes: ingestOptions.maxLineBytes)
            try await session.run(runtime, feed: { for await chunk in chunks { await runtime.take(chunk) } },
                                  hint: "--headless runs without the console and prints a report")
        }
    }

    /// Reads the stream to its end through one door into the engine, then prints the report.
    private func runHeadless(_ loaded: LoadedPlant, ingestOptions: IngestOptions, rejectFile: RejectFile?) throws {
        let input: Int32 = telemetry == "-" ? STDIN_FILENO : open(telemetry, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else {
            printError("error: cannot open telemetry \(telemetry): \(String(cString: strerror(errno)))")
            throw ExitCode(2)
        }
        defer { if input != STDIN_FILENO { close(input) } }
        let store = try loaded.openStore(files, headless: true)
        for note in store.notes { printError("andon: \(note)") }
        let engine = PlantEngine(plant: loaded.plant, scenario: loaded.scenario, options: loaded.engineOptions(continuing: store),
                                 judge: loaded.policy, audit: store.sink, roster: loaded.rosterLookup)
        engine.policySource = loaded.policyReloader
        engine.onAuditProblem = AuditAlarm.sayAtOnce
        let feed = TelemetryFeed(engine: engine, options: ingestOptions)
        if let rejectFile { feed.onReject = { rejectFile.write($0) } }
        engine.start(recovering: store.recovery)
        Shutdown.install()
        let start = Date()
        let ending = feed.consume(fileDescriptor: input, onBlock: { Shutdown.isRunning && !engine.isHeldByAudit })
        feed.finish()
        engine.closeAudit()
        if case let .failed(code) = ending { printError("error: reading telemetry stopped: \(String(cString: strerror(code)))") }
        let wall = Date().timeIntervalSince(start)
        print(feed.report(scenarioName: loaded.scenario.name, wallSeconds: wall).json())
        summarizeRejects(feed.rejects, file: rejectFile)
        if let status = Shutdown.exitStatus(after: "stopped after input line \(feed.lineNumber); the report covers the stream so far") {
            throw ExitCode(status)
        }
        try AuditAlarm.exitIfIncomplete(engine.auditFigures, stoppedAt: engine.time, end: nil)
    }

    private func summarizeRejects(_ log: RejectLog, file: RejectFile?) {
        guard log.total > 0 else { return }
        let reasons = log.counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")
        var text = "telemetry: \(log.total) message(s) rejected (\(reasons))"
        if let file { text += "; \(file.written) written to \(file.path)" + (file.failed > 0 ? ", \(file.failed) could not be written" : "") }
        printError(text)
    }
}

/// The reject file, handed to the runtime's actor, which alone writes to it.
final class RejectFileBox: @unchecked Sendable {
    let file: RejectFile
    init(_ file: RejectFile) { self.file = file }
}
