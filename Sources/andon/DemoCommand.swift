import AndonConsole
import AndonCore
import AndonPolicy
import AndonRuntime
import ArgumentParser
import Foundation
import Logging

/// `andon demo`: the demo plant, simulated, in the console or headless.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the demo plant: the console by default, or headless with --headless.",
        discussion: """
        The console runs the demo plant sped up (--speed), under demo/policies.yaml and demo/operators.yaml, \
        with the login name acting as a supervisor. Decisions are recorded in the audit store \
        ($XDG_STATE_HOME/andon/<plant-id>.sqlite unless --store says otherwise); a restart picks up pending approvals.
        """
    )

    @OptionGroup var files: PlantOptions

    @Option(help: "Simulated seconds per real second (console).")
    var speed: Double = 5

    @OptionGroup var console: ConsoleFlags

    @Option(help: "Write log lines to this file (never to the screen).")
    var log: String?

    @Option(help: "The socket a second console attaches to (andon attach; default: the plant's).")
    var socket: String?

    @Flag(help: "Do not serve a socket.")
    var noServe = false

    @Option(help: "Start this outside agent beside the console (a .py file runs with python3), e.g. demo/agents/vibration_trend.py.")
    var withAgent: String?

    @Flag(help: "Run without the console, in virtual time, as fast as possible.")
    var headless = false

    @Option(name: .customLong("for"), help: "How much simulated time to run headless (e.g. 8h, 30m).")
    var duration: String?

    @Option(help: "Headless report format (json).")
    var report = "json"

    @Flag(help: "Headless: print one console frame at --size instead of the report.")
    var screenshot = false

    @Option(help: "Screenshot size, WIDTHxHEIGHT.")
    var size = "120x40"

    @Flag(help: "Headless: print each human decision once it is committed (for crash tests).")
    var printDecisions = false

    @Option(help: "Headless: write the simulator's telemetry to this file in the contract format (docs/telemetry.md).")
    var record: String?

    mutating func run() async throws {
        let defaultScenario = files.plant == "demo/plant.yaml" && FileManager.default.fileExists(atPath: "demo/scenarios/demo.yaml") ? "demo/scenarios/demo.yaml" : nil
        let loaded = try LoadedPlant.load(files, defaultScenario: defaultScenario, loginIsSupervisor: true)
        let durationText = duration ?? (screenshot ? "10m" : "8h")
        guard let seconds = TimeText.seconds(parsing: durationText), seconds > 0 else {
            printError("error: --for \(durationText) is not a duration (expected e.g. 30m or 8h)")
            throw ExitCode(2)
        }
        guard report == "json" else {
            printError("error: --report \(report) is not supported (expected json)")
            throw ExitCode(2)
        }
        guard let terminalSize = TerminalSize(parsing: size) else {
            printError("error: --size \(size) is not a size (expected WIDTHxHEIGHT, e.g. 120x40)")
            throw ExitCode(2)
        }
        if record != nil, !headless {
            printError("error: --record needs --headless")
            throw ExitCode(2)
        }
        if withAgent != nil, headless || noServe {
            printError("error: --with-agent needs the console's socket (not --headless or --no-serve)")
            throw ExitCode(2)
        }
        if let withAgent, !FileManager.default.isReadableFile(atPath: withAgent) {
            printError("error: --with-agent \(withAgent): no such file")
            throw ExitCode(2)
        }
        if headless {
            try console.checkFrameRate()
            _ = try console.options()
            do { try LogSetup.forHeadless(path: log) } catch { throw ExitCode(2) }
            try runHeadless(loaded, seconds: seconds, size: terminalSize)
            return
        }
        let session = try ConsoleSession(loaded: loaded, flags: console, logPath: log, files: files)
        Logger(label: "andon.demo").info("starting", metadata: ["plant": "\(loaded.plant.id)", "store": "\(session.sink.health.location)",
                                                                 "run": "\(session.recovery.runs + 1)", "recovered_pending": "\(session.recovery.pending.count)",
                                                                 "operator": "\(loaded.person.label)"])
        let runtime = session.makeRuntime(speed: speed)
        let service = noServe ? nil : session.makeService(runtime, socket: socket)
        let agent = withAgent.flatMap { path in
            service.map { OutsideAgentProcess(path: path, socket: $0.options.socketPath, logPath: OutsideAgentProcess.defaultLog(plantID: loaded.plant.id)) }
        }
        let starting = agent.map { agent in Task { [socket = service?.options.socketPath ?? ""] in await agent.start(whenServed: socket) } }
        let ending: (any Error)?
        do {
            try await session.run(runtime, service: service, hint: "--headless runs without the console and prints a report (or a screenshot with --screenshot)")
            ending = nil
        } catch {
            ending = error
        }
        starting?.cancel()
        await starting?.value
        await agent?.stop()
        if let ending { throw ending }
    }

    private func runHeadless(_ loaded: LoadedPlant, seconds: Double, size: TerminalSize) throws {
        let store = try loaded.openStore(files, headless: true)
        for note in store.notes { printError("andon: \(note)") }
        let options = loaded.engineOptions(continuing: store)
        let engine = PlantEngine(plant: loaded.plant, scenario: loaded.scenario, options: options, judge: loaded.policy, audit: store.sink,
                                 roster: loaded.rosterLookup)
        engine.policySource = loaded.policyReloader
        engine.onAuditProblem = AuditAlarm.sayAtOnce
        if printDecisions {
            // Printed only after the decision is committed and synced: what is printed must survive a crash.
            engine.onScriptedResult = { command, person, result in
                guard result.isAccepted else { return }
                switch command {
                case let .approve(id), let .reject(id, _):
                    FileHandle.standardOutput.write(Data("decided \(id) \(command.verb) by \(person.name)\n".utf8))
                default:
                    break
                }
            }
        }
        var recent: [EventEnvelope] = []
        if screenshot {
            engine.onEvent = { event in
                recent.append(event)
                if recent.count > 1000 { recent.removeFirst(500) }
            }
        }
        var recorder: TelemetryRecorder?
        if let record {
            guard let opened = TelemetryRecorder(path: record, engine: engine) else { throw ExitCode(2) }
            recorder = opened
        }
        Shutdown.install()
        engine.start(recovering: store.recovery)
        let start = Date()
        let end = options.startTime + seconds
        while engine.time < end, Shutdown.isRunning, !engine.isHeldByAudit { engine.tick() }
        engine.closeAudit()
        recorder?.close()
        let wall = Date().timeIntervalSince(start)
        if screenshot {
            print(Screenshot.render(snapshot: engine.snapshot(), events: recent, size: size, person: loaded.person, isASCII: console.ascii), terminator: "")
        } else {
            print(engine.report(scenarioName: loaded.scenario.name, wallSeconds: wall).json())
        }
        if let status = Shutdown.exitStatus(after: "stopped at \(TimeText.clock(engine.time)); the report covers the run so far") {
            throw ExitCode(status)
        }
        try AuditAlarm.exitIfIncomplete(engine.auditFigures, stoppedAt: engine.time, end: end)
    }
}
