import AndonTesting
import Foundation
import Testing

/// Several people, one plant: `andon serve` with consoles attached in tmux, as people do it.
@Suite(.serialized)
struct ServiceEndToEndTests {
    /// A served demo plant in a folder of its own, with its environment.
    final class Served {
        let dir: URL
        let socket: String
        let store: String
        let environment: [String: String]
        private(set) var process: AndonProcess.Running?

        init(arguments: [String] = [], speed: Int = 20) throws {
            dir = try AndonProcess.temporaryDirectory()
            chmod(dir.path, 0o755)
            socket = dir.appendingPathComponent("run/riverside.sock").path
            store = dir.appendingPathComponent("state/riverside.sqlite").path
            environment = ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path]
            try start(arguments: arguments, speed: speed)
        }

        func start(arguments: [String] = [], speed: Int = 20) throws {
            for (key, value) in environment { setenv(key, value, 1) }
            defer { for key in environment.keys { unsetenv(key) } }
            process = try AndonProcess.start(["serve", "--store", store, "--socket", socket, "--speed", String(speed),
                                              "--log", dir.appendingPathComponent("serve.log").path] + arguments)
            let deadline = Date().addingTimeInterval(30)
            while !FileManager.default.fileExists(atPath: socket), Date() < deadline { usleep(100_000) }
            try #require(FileManager.default.fileExists(atPath: socket), "the service's socket appeared")
        }

        /// Stops it: SIGTERM (a clean shutdown) or SIGKILL (a crash).
        @discardableResult
        func stop(_ signal: Int32 = SIGTERM) -> AndonProcess.Output? {
            defer { process = nil }
            process?.signal(signal)
            return process?.finish()
        }

        /// A console attached in a tmux session of its own.
        func attach(_ arguments: [String] = [], columns: Int = 120, rows: Int = 40) throws -> TmuxSession {
            let exports = environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
            return try TmuxSession(columns: columns, rows: rows, environment: [:],
                                   shell: "env \(exports) \(AndonProcess.binary) attach --socket \(socket) " + arguments.joined(separator: " "))
        }

        func run(_ arguments: [String]) throws -> AndonProcess.Output {
            try AndonProcess.run(arguments, environment: environment)
        }

        deinit {
            stop(SIGKILL)
            try? FileManager.default.removeItem(at: dir)
        }
    }

    /// The cell of the first critical `stop_cell` pending on screen.
    static func criticalStopTarget(_ screen: String) -> String? {
        for line in screen.split(separator: "\n") where line.contains("CRIT stop_cell") {
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if let index = words.firstIndex(of: "stop_cell"), index + 1 < words.count { return String(words[index + 1]) }
        }
        return nil
    }

    /// Focuses the approvals pane and approves the first one, typing the target when it is critical.
    static func approve(_ tmux: TmuxSession, target: String) throws {
        _ = try tmux.tmux(["send-keys", "-t", "0", "Tab"])
        usleep(200_000)
        _ = try tmux.tmux(["send-keys", "-t", "0", "a"])
        try tmux.wait(for: "the approve dialog", timeout: 5) { $0.contains("type \(target)") }
        _ = try tmux.tmux(["send-keys", "-t", "0", "-l", target])
        _ = try tmux.tmux(["send-keys", "-t", "0", "Enter"])
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func twoPeopleAtTwoConsolesCompleteAFourEyesStop() throws {
        let served = try Served()
        let ana = try served.attach(["--as", "ana"])
        defer { ana.stop() }
        let dana = try served.attach(["--as", "dana"])
        defer { dana.stop() }
        let anaAgain = try served.attach(["--as", "ana"])
        defer { anaAgain.stop() }
        let eve = try served.attach(["--as", "eve"])
        defer { eve.stop() }
        let pending = try ana.wait(for: "a critical stop to approve", timeout: 120) { Self.criticalStopTarget($0) != nil }
        let target = try #require(Self.criticalStopTarget(pending))
        #expect(pending.contains("ana (supervisor, claimed)"))

        let who = try served.run(["who", "--socket", served.socket])
        #expect(who.stdout.contains("4 attached"), "\(who.stdout)")
        #expect(who.stdout.contains("dana (supervisor, claimed)"))

        try Self.approve(ana, target: target)
        try ana.wait(for: "ana's signature, 1 of 2", timeout: 10) { $0.contains("approval 1/2 for stop_cell of \(target)") }
        // The same person at a second console cannot give the second signature: refused before the dialog once the console
        // has seen the first, or by the runtime when sent.
        try anaAgain.wait(for: "the first signature on ana's second console", timeout: 10) { $0.contains("1/2") }
        _ = try anaAgain.tmux(["send-keys", "-t", "0", "Tab"])
        usleep(200_000)
        _ = try anaAgain.tmux(["send-keys", "-t", "0", "a"])
        let answer = try anaAgain.wait(for: "a refusal or the dialog", timeout: 10) { $0.contains("refused") || $0.contains("type \(target)") }
        if !answer.contains("refused") {
            _ = try anaAgain.tmux(["send-keys", "-t", "0", "-l", target])
            _ = try anaAgain.tmux(["send-keys", "-t", "0", "Enter"])
        }
        try anaAgain.wait(for: "the refusal of a second signature by ana", timeout: 10) { $0.contains("refused") && $0.contains("ana") }
        // An observer may not decide.
        _ = try eve.tmux(["send-keys", "-t", "0", "Tab"])
        usleep(200_000)
        _ = try eve.tmux(["send-keys", "-t", "0", "a"])
        try eve.wait(for: "the observer's refusal", timeout: 10) { $0.contains("refused") }
        try Self.approve(dana, target: target)
        try dana.wait(for: "dana's signature completing it", timeout: 10) { $0.contains("approved stop_cell of \(target)") }

        for console in [ana, dana, anaAgain, eve] { try console.quit() }
        let output = try #require(served.stop())
        #expect(output.status == 0, "\(output.stderr)")
        #expect(!FileManager.default.fileExists(atPath: served.socket), "the socket is removed at a clean stop")
        let export = try served.run(["audit", "export", "--store", served.store, "--format", "jsonl"])
        let signed = export.stdout.split(separator: "\n").filter { $0.contains("\"kind\":\"approval_signed\"") }
        #expect(signed.contains { $0.contains("\"name\":\"ana\"") && $0.contains("claimed-person") })
        #expect(signed.contains { $0.contains("\"name\":\"dana\"") && $0.contains("claimed-person") })
        #expect(export.stdout.contains("\"kind\":\"approval_approved\""))
        #expect(export.stdout.contains("\"command\":\"attach\"") && export.stdout.contains("\"command\":\"detach\""), "attaches and detaches are on record")
        #expect(try served.run(["audit", "verify", "--store", served.store]).status == 0)
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func aConsoleThatLosesItsRuntimeSaysSoAndComesBack() throws {
        let served = try Served(speed: 10)
        let ana = try served.attach(["--as", "ana"])
        defer { ana.stop() }
        try ana.wait(for: "the console", timeout: 30) { $0.contains("Approvals") && $0.contains("ana (supervisor)") }
        served.stop(SIGKILL)
        try ana.wait(for: "DISCONNECTED", timeout: 10) { $0.contains("DISCONNECTED") }
        _ = try ana.tmux(["send-keys", "-t", "0", "K"])
        try ana.wait(for: "nothing decidable while disconnected", timeout: 5) { $0.contains("refused: DISCONNECTED") }
        try served.start(speed: 10)
        try ana.wait(for: "the console back", timeout: 30) { !$0.contains("DISCONNECTED") && $0.contains("Approvals") }
        try ana.quit()
        #expect(served.stop()?.status == 0)
        #expect(try served.run(["audit", "verify", "--store", served.store]).status == 0, "the crashed run's tail is checked and anchored")
    }

    @Test func aClaimIsRefusedWhereTheRosterDoesNotAcceptClaims() throws {
        let roster = try AndonProcess.temporaryDirectory().appendingPathComponent("operators.yaml")
        try "operators:\n  - {name: ana, role: supervisor}\n  - {name: dana, role: supervisor}\n".write(to: roster, atomically: true, encoding: .utf8)
        let served = try Served(arguments: ["--operators", roster.path])
        let attach = try served.run(["attach", "--socket", served.socket, "--as", "dana"])
        #expect(attach.status != 0)
        #expect(attach.stderr.contains("does not accept claimed identities"), "\(attach.stderr)")
        let demo = try AndonProcess.run(["demo", "--headless", "--for", "1m", "--operators", roster.path, "--operator", "dana"])
        #expect(demo.status == 2)
        #expect(demo.stderr.contains("identity: claimed"), "\(demo.stderr)")
        let export = try served.run(["audit", "export", "--store", served.store, "--format", "jsonl"])
        _ = served.stop()
        let final = try served.run(["audit", "export", "--store", served.store, "--format", "jsonl"])
        #expect((export.stdout + final.stdout).contains("\"command\":\"refused-attach\""), "the refused attach is on record")
    }
}
