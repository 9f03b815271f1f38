import AndonCore
import AndonPolicy
import AndonRuntime
import AndonService
import AndonTesting
import AndonWire
import Foundation
import Synchronization
import Testing

/// Fifty consoles on one runtime: fifty headless clients on raw sockets (they say hello and read every frame, as a
/// console does, without drawing), and one real console link. Each gets the plant and keeps getting it, a command
/// from the console is answered, and the plant's clock moves on. What the consoles cost the plant (its tick time
/// with fifty attached against none) is measured by the service benchmarks (`Benchmarks/Benchmarks/ServiceBenchmarks`),
/// not timed here.
@Suite struct ManyConsolesTests {
    @Test func fiftyConsolesAttachAndThePlantKeepsItsClock() async throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let socket = dir.appendingPathComponent("run/riverside.sock").path
        let plant = try Fixtures.demoPlant()
        let speed = 5.0
        let roster: @Sendable (String) -> Person = { _ in Person(name: "ana", role: .supervisor) }
        let runtime = PlantRuntime(plant: plant, scenario: Scenario(name: "quiet", incidents: []), options: EngineOptions(seed: 1),
                                   live: LiveOptions(speed: speed), judge: try PolicyEngine.load(path: Fixtures.path("demo/policies.yaml")),
                                   audit: MemoryAuditSink(), roster: roster)
        let host = ServiceHost(runtime: runtime, plant: plant, options: ServiceOptions(socketPath: socket),
                               identities: ServiceIdentities(person: roster, acceptsClaims: false))
        let clock = Task { await runtime.run() }
        let serving = Task { try await host.run() }
        defer {
            clock.cancel()
            serving.cancel()
        }
        for _ in 0..<100 where !FileManager.default.fileExists(atPath: socket) { try await Task.sleep(for: .milliseconds(50)) }

        let clients = try HeadlessClients(socket: socket, count: 50)
        defer { clients.close() }
        // The test process runs every other test beside this one on a cooperative pool as wide as the machine's two
        // cores, which tests waiting on processes can hold for seconds: the command's answer is waited for as long as
        // a minute, since what is checked here is that it comes, not how fast (a console's 10 s twice failed so in
        // fresh-clone runs; the service benchmarks measure the time).
        let console = RemoteRuntime(socketPath: socket, hello: Hello(client: .console, program: "console", session: UUID().uuidString),
                                    requestTimeout: .seconds(60))
        _ = try await console.connect()
        for _ in 0..<100 where host.attachments.count < 51 { try await Task.sleep(for: .milliseconds(50)) }
        #expect(host.attachments.count == 51)

        let start = await runtime.snapshotNow().time
        let wallStart = ContinuousClock.now
        let before = clients.frames
        try await Task.sleep(for: .seconds(3))
        let sent = ContinuousClock.now
        let result = await console.send(.setPaused(false), as: Person(name: "ana", role: .supervisor))
        #expect(result.isAccepted, "a command from one of the consoles is carried out: \(result.message) (after \(ContinuousClock.now - sent))")
        let advanced = await runtime.snapshotNow().time - start
        let wall = (ContinuousClock.now - wallStart) / .seconds(1)
        let after = clients.frames
        #expect(clients.welcomed == 50, "every client was welcomed")
        #expect(zip(before, after).allSatisfy { $1 - $0 >= 3 }, "every client keeps getting the plant: \(zip(before, after).map { $1 - $0 })")
        #expect(clients.failures.isEmpty, "\(clients.failures)")
        #expect(advanced > 0, "the plant's clock moved on: \(advanced) s in \(wall) s at ×\(speed)")
        let who = try await console.attachments()
        #expect(who.attached.count == 51)
        #expect(who.counts.malformed == 0 && who.counts.resyncs == 0, "\(who.counts)")
    }
}

/// Clients on raw sockets that say hello and then read every frame the runtime sends, on one thread.
final class HeadlessClients: @unchecked Sendable {
    private let fds: [Int32]
    private let shared = Shared()
    private let thread: Thread

    final class Shared: Sendable {
        let state = Mutex(State())
    }

    struct State {
        var frames: [Int] = []
        var welcomed = 0
        var failures: [String] = []
        var closing = false
    }

    init(socket: String, count: Int) throws {
        var fds: [Int32] = []
        for i in 0..<count {
            let fd = Foundation.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (j, byte) in socket.utf8.enumerated() where j < raw.count - 1 { raw[j] = byte }
            }
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
            let hello = try FrameCodec.frame(ClientMessage.hello(Hello(client: .console, program: "headless \(i)", session: UUID().uuidString)))
            _ = hello.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            fds.append(fd)
        }
        self.fds = fds
        shared.state.withLock { $0.frames = [Int](repeating: 0, count: count) }
        let fdsCopy = fds
        let shared = self.shared
        thread = Thread {
            var readers = [FrameReader](repeating: FrameReader(limit: WireProtocol.maxServerFrame), count: fdsCopy.count)
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            var polls = fdsCopy.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            while !shared.state.withLock({ $0.closing }) {
                guard poll(&polls, nfds_t(polls.count), 100) > 0 else { continue }
                for i in polls.indices where polls[i].revents != 0 {
                    let n = buffer.withUnsafeMutableBytes { read(polls[i].fd, $0.baseAddress, $0.count) }
                    guard n > 0 else {
                        shared.state.withLock { $0.failures.append("client \(i) closed by the runtime") }
                        polls[i].fd = -1
                        continue
                    }
                    do {
                        let frames = try readers[i].feed(buffer[0..<n])
                        for frame in frames {
                            let isFirst = shared.state.withLock { s -> Bool in
                                s.frames[i] += 1
                                return s.frames[i] == 1
                            }
                            if isFirst, case .welcome = try FrameCodec.decode(ServerMessage.self, from: frame) {
                                shared.state.withLock { $0.welcomed += 1 }
                            }
                        }
                    } catch {
                        shared.state.withLock { $0.failures.append("client \(i): \(error)") }
                        polls[i].fd = -1
                    }
                }
            }
        }
        thread.start()
    }

    var frames: [Int] { shared.state.withLock { $0.frames } }
    var welcomed: Int { shared.state.withLock { $0.welcomed } }
    var failures: [String] { shared.state.withLock { $0.failures } }

    func close() {
        shared.state.withLock { $0.closing = true }
        for fd in fds { Foundation.close(fd) }
    }
}
