import AndonCore
import AndonPolicy
import AndonRuntime
import AndonService
import AndonStore
import AndonWire
import Benchmark
import Foundation

// An outside agent's proposal round trip over the service socket (issue 16): a client writes one propose frame to the
// socket of a served runtime and reads its answer; between the two the session decodes it, the runtime checks it,
// the policy allows it, its proposal and decision are committed, the action runs on the twin and its record is
// committed, and the answer is written. Two stores: a file store as the runtime writes it (the allowed decision
// committed with fsync before the action runs, a signed checkpoint and the head file beside it), and an in-memory
// store (no fsync: what the round trip costs without the synced commit). The runtime ticks at 5 simulated seconds a
// second meanwhile, as a demo does.
//
// A second benchmark puts 100 outside agents on one runtime, each proposing at its declared rate (1/s, so 100
// proposals a second in all), and measures what the plant's built-in agents meet meanwhile: their latencies and the
// runtime's tick, read from its snapshot.

let plantText = """
plant: {id: agents-bench, name: Agent bench, shift: 8h, stale_after: 10s}
lines:
  - id: L1
    name: Line one
    demand_per_hour: 60
    cells:
      - id: A
        kind: press
        cycle_time: 30s
        mtbf: 10000h
        mttr: 30m
        scrap_rate: 1%
        sensors:
          - {id: vibration, kind: vibration, nominal: 1.2, noise: 0.01, limits: {high_warn: 2.8, high_alarm: 4.5, trip: 7.1}}
        agents:
          - {id: A.maint, kind: maintenance, version: 1.0.0, mode: active, budget: 5ms}
          - {id: A.safety, kind: safety, version: 1.0.0, mode: active, budget: 1ms}
      - id: B
        kind: cnc
        cycle_time: 40s
        mtbf: 10000h
        mttr: 30m
        scrap_rate: 1%
        sensors:
          - {id: vibration, kind: vibration, nominal: 1.0, noise: 0.01, limits: {high_warn: 2.8, high_alarm: 4.5, trip: 7.1}}
        agents:
          - {id: B.maint, kind: maintenance, version: 1.0.0, mode: active, budget: 5ms}
    buffers:
      - {id: A-B, from: A, to: B, capacity: 4, initial: 0}
agents:
  - {id: bench, kind: external, line: L1, version: "1", mode: active, budget: 50ms, actions: [reduce_speed, restore_speed], rate_limit: 1000/s, burst: 10000}
"""

/// 100 more outside agents, each at 1 proposal a second.
let crowdText = (1...100).map { "  - {id: crowd\($0), kind: external, cell: B, version: \"1\", mode: active, budget: 50ms, actions: [restore_speed], rate_limit: 1/s, burst: 1}" }
    .joined(separator: "\n")

let policyText = """
policy: {id: agents-bench, version: "1"}
rules:
  - id: outside-speed
    match: {action: [reduce_speed, restore_speed], agent: external}
    decision: allow
  - id: built-in
    match: {action: [reduce_speed, restore_speed, schedule_maintenance, hold_cell]}
    decision: allow
"""

/// A served runtime in a temporary folder, and the socket's path.
final class ServedRig: @unchecked Sendable {
    let directory: URL
    let socket: String
    let runtime: PlantRuntime
    private var tasks: [Task<Void, Never>] = []
    private let store: AuditStore

    init(fileStore: Bool, crowd: Bool = false) {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("andon-agent-bench-\(getpid())-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        socket = directory.appendingPathComponent("run/bench.sock").path
        let plant = try! PlantSpec.parse(plantText + (crowd ? "\n" + crowdText : ""), file: "agents-bench.yaml")
        let policy = try! PolicyEngine(PolicySpec.parse(text: policyText, file: "agents-bench-policy.yaml"))
        if fileStore {
            let key = try! SigningKey.loadOrCreate(path: directory.appendingPathComponent("keys/bench.ed25519").path)
            store = try! AuditStore(path: directory.appendingPathComponent("state/audit.sqlite").path, signingKey: key)
        } else {
            store = try! AuditStore(path: ":memory:")
        }
        let roster: @Sendable (String) -> Person = { Person(name: $0, role: .supervisor) }
        runtime = PlantRuntime(plant: plant, scenario: Scenario(name: "bench", incidents: []), options: EngineOptions(seed: 1),
                               live: LiveOptions(speed: 5), judge: policy, audit: store, roster: roster)
        let host = ServiceHost(runtime: runtime, plant: plant,
                               options: ServiceOptions(socketPath: socket, commandsPerSecond: 1_000_000, commandBurst: 1_000_000),
                               identities: ServiceIdentities(person: roster, acceptsClaims: false))
        let runtime = runtime
        tasks.append(Task { await runtime.run() })
        tasks.append(Task { try? await host.run() })
        for _ in 0..<200 where !FileManager.default.fileExists(atPath: socket) { usleep(10_000) }
    }

    func stop() {
        for task in tasks { task.cancel() }
        store.close()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// One outside agent's connection: blocking frames on a Unix socket, as a simple agent in any language does it.
final class AgentClient {
    private let fd: Int32
    private var nextID: UInt64 = 0

    init(socket path: String, agent: String) {
        fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes + [0])
        }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        precondition(connected == 0, "cannot connect to \(path): errno \(errno)")
        send(ClientMessage.hello(Hello(client: .agent, program: "agent-bench", session: UUID().uuidString, snapshotsPerSecond: 0.2, agentID: agent)))
        guard case .welcome = read() else { preconditionFailure("the runtime refused agent \(agent)") }
    }

    func send(_ message: ClientMessage) {
        let bytes = try! FrameCodec.frame(message)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, 0)
                precondition(written > 0, "send failed")
                offset += written
            }
        }
    }

    private func exactly(_ count: Int) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var offset = 0
        while offset < count {
            let got = bytes.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + offset, count - offset, 0) }
            precondition(got > 0, "the runtime closed the connection")
            offset += got
        }
        return bytes
    }

    func read() -> ServerMessage {
        let header = exactly(4)
        let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
        return try! FrameCodec.decode(ServerMessage.self, from: exactly(length))
    }

    /// Proposes and returns the outcome.
    func propose(_ proposal: OutsideProposal) -> OutsideOutcome {
        nextID += 1
        send(.agent(requestID: nextID, request: .propose(proposal: proposal)))
        while true {
            if case let .agent(id, .outcome(outcome)) = read(), id == nextID { return outcome }
        }
    }

    deinit { close(fd) }
}

nonisolated(unsafe) var rig: ServedRig?
nonisolated(unsafe) var client: AgentClient?
nonisolated(unsafe) var proposals = 0
/// When the crowd benchmark's runtime was ready: wall clock and plant time.
nonisolated(unsafe) var crowdStart: (wall: Date, plant: Double)?

func proposal(_ action: String = "reduce_speed", target: String = "A", key: String) -> OutsideProposal {
    OutsideProposal(action: action, target: target, parameters: action == "reduce_speed" ? ["percent": .number(1)] : [:], risk: "low",
                    rationale: "bench", evidence: [["name": .text("vibration"), "value": .number(1.2), "unit": .text("mm/s"), "limit": .number(2.8)]],
                    idempotencyKey: key)
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .syscalls],
        timeUnits: .microseconds,
        warmupIterations: 20,
        maxDuration: .seconds(5),
        maxIterations: 3_000
    )

    for fileStore in [true, false] {
        Benchmark(fileStore ? "OutsideProposalRoundTripFsync" : "OutsideProposalRoundTripNoSync", closure: { benchmark in
            proposals += 1
            let sent = proposal(key: "bench-\(proposals)")
            benchmark.startMeasurement()
            let outcome = client!.propose(sent)
            benchmark.stopMeasurement()
            precondition(outcome.state == .executed, "not executed: \(outcome.message)")
        }, setup: {
            rig = ServedRig(fileStore: fileStore)
            client = AgentClient(socket: rig!.socket, agent: "bench")
        }, teardown: {
            client = nil
            rig?.stop()
            rig = nil
        })
    }

    // 100 outside agents at their rate (1 proposal a second each) beside the plant's own agents, and the same plant
    // without them: one iteration is five seconds; what matters is what the runtime's own agents and its clock met
    // meanwhile, read from its snapshot afterwards and printed.
    for withCrowd in [false, true] {
        Benchmark(withCrowd ? "PlantWithHundredOutsideAgents" : "PlantWithoutOutsideAgents",
                  configuration: .init(metrics: [.wallClock], timeUnits: .milliseconds, warmupIterations: 0, maxDuration: .seconds(30), maxIterations: 3),
                  closure: { benchmark in
            let crowd = withCrowd ? (1...100).map { AgentClient(socket: rig!.socket, agent: "crowd\($0)") } : []
            benchmark.startMeasurement()
            for second in 0..<5 {
                let start = Date()
                for (index, agent) in crowd.enumerated() {
                    let outcome = agent.propose(proposal("restore_speed", target: "B", key: "crowd\(index)-\(proposals)-\(second)"))
                    precondition(outcome.state == .executed || outcome.message.contains("throttled"), outcome.message)
                }
                let spent = Date().timeIntervalSince(start)
                if spent < 1 { usleep(useconds_t((1 - spent) * 1_000_000)) }
            }
            benchmark.stopMeasurement()
            proposals += 1
        }, setup: {
            rig = ServedRig(fileStore: true, crowd: withCrowd)
            crowdStart = (Date(), await rig!.runtime.snapshotNow().time)
        }, teardown: {
            let snapshot = await rig!.runtime.snapshotNow()
            let label = withCrowd ? "with 100 outside agents" : "without outside agents"
            if let crowdStart {
                let wall = Date().timeIntervalSince(crowdStart.wall)
                print("\(label): plant clock \(snapshot.time - crowdStart.plant) simulated s in \(wall) wall s at speed 5")
            }
            for agent in snapshot.agents where agent.kind != .external {
                print("\(label): built-in \(agent.id) p50 \(agent.p50 * 1e6) µs p99 \(agent.p99 * 1e6) µs max \(agent.max * 1e6) µs "
                      + "budget \(agent.budgetSeconds * 1e6) µs, \(agent.breaches) of \(agent.decisions) over")
            }
            let outside = snapshot.agents.filter { $0.kind == .external && $0.decisions > 0 }
            if !outside.isEmpty {
                print("\(label): \(outside.count) outside agents answered, median of their p50 \(outside.map(\.p50).sorted()[outside.count / 2] * 1e6) µs, "
                      + "worst p99 \((outside.map(\.p99).max() ?? 0) * 1e6) µs, \(outside.map(\.breaches).reduce(0, +)) of \(outside.map(\.decisions).reduce(0, +)) over budget")
            }
            rig?.stop()
            rig = nil
        })
    }
}
