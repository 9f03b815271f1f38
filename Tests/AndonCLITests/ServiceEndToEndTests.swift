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
            process = try AndonProcess.start(["serve", "--store", store, "--socket", socket, "--speed", String(speed),
                                              "--log", dir.appendingPathComponent("serve.log").path] + arguments, environment: environment)
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

    /// Focuses the approvals pane and approves the first one, typing the target when it is critical and then the
    /// signing passphrase when its rule asks for a signature.
    static func approve(_ tmux: TmuxSession, target: String, passphrase: String? = nil) throws {
        _ = try tmux.tmux(["send-keys", "-t", "0", "Tab"])
        usleep(200_000)
        _ = try tmux.tmux(["send-keys", "-t", "0", "a"])
        try tmux.wait(for: "the approve dialog", timeout: 5) { $0.contains("type \(target)") }
        _ = try tmux.tmux(["send-keys", "-t", "0", "-l", target])
        _ = try tmux.tmux(["send-keys", "-t", "0", "Enter"])
        if let passphrase { try sign(tmux, passphrase: passphrase) }
    }

    /// Types a signing passphrase into the signature prompt; the screen never shows it.
    static func sign(_ tmux: TmuxSession, passphrase: String) throws {
        try tmux.wait(for: "the signature prompt", timeout: 5) { $0.contains("signing passphrase") && $0.contains("(not shown)") }
        _ = try tmux.tmux(["send-keys", "-t", "0", "-l", passphrase])
        let typed = try tmux.capture()
        #expect(!typed.contains(passphrase), "a passphrase is never shown while it is typed")
        _ = try tmux.tmux(["send-keys", "-t", "0", "Enter"])
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func twoPeopleAtTwoConsolesCompleteAFourEyesStop() throws {
        // ×10: the approval's five minutes are thirty seconds here, enough for a wrong passphrase and four consoles
        // on a busy machine.
        let served = try Served(speed: 10)
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

        // The demo policy asks a signature of whoever approves a critical stop: a wrong passphrase is refused (and on
        // record), the right one counts.
        try Self.approve(ana, target: target, passphrase: "not-anas")
        try ana.wait(for: "a wrong passphrase refused", timeout: 10) { $0.contains("wrong signing passphrase for ana") }
        try Self.approve(ana, target: target, passphrase: "demo-ana")
        try ana.wait(for: "ana's signature, 1 of 2", timeout: 10) { $0.contains("approval 1/2 (signed) for stop_cell of \(target)") }
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
            try Self.sign(anaAgain, passphrase: "demo-ana")
        }
        try anaAgain.wait(for: "the refusal of a second signature by ana", timeout: 10) { $0.contains("refused") && $0.contains("ana") }
        // An observer may not decide.
        _ = try eve.tmux(["send-keys", "-t", "0", "Tab"])
        usleep(200_000)
        _ = try eve.tmux(["send-keys", "-t", "0", "a"])
        try eve.wait(for: "the observer's refusal", timeout: 10) { $0.contains("refused") }
        try Self.approve(dana, target: target, passphrase: "demo-dana")
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
        #expect(export.stdout.contains("as supervisor (signed) (2/2)"), "the approval is on record as signed")
        #expect(export.stdout.contains("wrong signing passphrase for ana"), "the wrong passphrase is on record")
        #expect(!export.stdout.contains("demo-ana") && !export.stdout.contains("not-anas"), "no passphrase is ever on record")
        #expect(export.stdout.contains("\"command\":\"attach\"") && export.stdout.contains("\"command\":\"detach\""), "attaches and detaches are on record")
        #expect(try served.run(["audit", "verify", "--store", served.store]).status == 0)
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func aConsoleThatLosesItsRuntimeSaysSoAndComesBack() throws {
        let served = try Served(speed: 10)
        let ana = try served.attach(["--as", "ana"])
        defer { ana.stop() }
        try ana.wait(for: "the console", timeout: 30) { $0.contains("Approvals") && $0.contains("ana (supervisor") }
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

    /// Kills the console process in a tmux pane with SIGKILL, as a crash or a dropped terminal would.
    static func killConsole(_ tmux: TmuxSession) throws {
        let shell = try tmux.tmux(["list-panes", "-t", "0", "-F", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let kill = Process()
        kill.executableURL = URL(fileURLWithPath: "/usr/bin/pkill")
        kill.arguments = ["-KILL", "-P", shell]
        try kill.run()
        kill.waitUntilExit()
        #expect(kill.terminationStatus == 0, "a console process under pane \(shell) was killed")
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func killsMidDialogAndMidApprovalLoseNothingAndDecideNothingTwice() throws {
        let served = try Served(speed: 8)
        let ana = try served.attach(["--as", "ana"])
        defer { ana.stop() }
        let dana = try served.attach(["--as", "dana"])
        defer { dana.stop() }
        let pending = try ana.wait(for: "a critical stop to approve", timeout: 150) { Self.criticalStopTarget($0) != nil }
        let target = try #require(Self.criticalStopTarget(pending))
        try Self.approve(ana, target: target, passphrase: "demo-ana")
        try ana.wait(for: "ana's signature, 1 of 2", timeout: 10) { $0.contains("approval 1/2 (signed) for stop_cell of \(target)") }

        // Dana's console dies with the dialog open and the target typed: nothing was sent, so nothing was decided.
        try dana.wait(for: "the first signature on dana's console", timeout: 10) { $0.contains("1/2") }
        _ = try dana.tmux(["send-keys", "-t", "0", "Tab"])
        usleep(200_000)
        _ = try dana.tmux(["send-keys", "-t", "0", "a"])
        try dana.wait(for: "the approve dialog", timeout: 5) { $0.contains("type \(target)") }
        _ = try dana.tmux(["send-keys", "-t", "0", "-l", target])
        try Self.killConsole(dana)
        try dana.wait(for: "the killed console's end", timeout: 10) { $0.contains("(end)") }

        // The runtime dies mid-approval and comes back on the same store: ana's signature is still there, her console
        // comes back by itself, and dana attaches again and completes the stop.
        served.stop(SIGKILL)
        try ana.wait(for: "DISCONNECTED", timeout: 10) { $0.contains("DISCONNECTED") }
        try served.start(speed: 8)
        try ana.wait(for: "ana's console back with the approval at 1/2", timeout: 30) {
            !$0.contains("DISCONNECTED") && $0.contains("CRIT stop_cell") && $0.contains("1/2")
        }
        let danaAgain = try served.attach(["--as", "dana"])
        defer { danaAgain.stop() }
        try danaAgain.wait(for: "the recovered approval on dana's new console", timeout: 30) { $0.contains("CRIT stop_cell") && $0.contains("1/2") }
        try Self.approve(danaAgain, target: target, passphrase: "demo-dana")
        try danaAgain.wait(for: "dana's signature completing it", timeout: 10) { $0.contains("approved stop_cell of \(target)") }
        try ana.wait(for: "ana's console seeing it decided", timeout: 10) { !$0.contains("CRIT stop_cell") || $0.contains("2/2") }

        for console in [ana, danaAgain] { try console.quit() }
        #expect(served.stop()?.status == 0)
        let export = try served.run(["audit", "export", "--store", served.store, "--format", "jsonl"])
        let lines = export.stdout.split(separator: "\n")
        let approved = lines.filter { $0.contains("\"kind\":\"approval_approved\"") && $0.contains("stop_cell of \(target)") }
        #expect(approved.count == 1, "decided once: \(approved)")
        let signed = lines.filter { $0.contains("\"kind\":\"approval_signed\"") }
        #expect(signed.filter { $0.contains("\"name\":\"ana\"") }.count == 1, "ana signed once, kept across the crash")
        #expect(signed.filter { $0.contains("\"name\":\"dana\"") }.count == 1, "dana signed once: the killed dialog sent nothing")
        let stops = lines.filter {
            $0.contains("\"kind\":\"action_executed\"") && $0.contains("stop_cell") && $0.contains("\"target\":\"\(target)\"")
                && ($0.contains("\"applied\":true") || $0.contains("\"applied\":\"true\""))
        }
        #expect(stops.count == 1, "the stop ran once: \(stops)")
        let verify = try served.run(["audit", "verify", "--store", served.store])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
    }

    @Test func aClaimIsRefusedWhereTheRosterDoesNotAcceptClaims() throws {
        let rosterFolder = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: rosterFolder) }
        let roster = rosterFolder.appendingPathComponent("operators.yaml")
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

/// Clients that misbehave: each is counted and dropped, throttled or refused, and the plant and the other consoles
/// carry on. The clients are raw sockets in Python (standard library), as someone else's program would be.
@Suite(.serialized)
struct BadClientTests {
    private func python(_ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Fixtures.path("Tests/AndonCLITests/Clients/bad_client.py")] + arguments
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func badClientsAreCountedAndDroppedAndTheRestCarryOn() throws {
        let served = try ServiceEndToEndTests.Served(speed: 10)
        let ana = try served.attach(["--as", "ana"])
        defer { ana.stop() }
        let before = try ana.wait(for: "the console", timeout: 30) { $0.contains("Approvals") }
        let startClock = before.split(separator: " ").dropFirst(2).first.map(String.init) ?? ""

        // A client that stops reading stays connected meanwhile.
        let stalled = Process()
        stalled.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        stalled.arguments = ["python3", Fixtures.path("Tests/AndonCLITests/Clients/bad_client.py"), served.socket, "stalled"]
        stalled.standardOutput = FileHandle.nullDevice
        try stalled.run()
        let malformed = try python([served.socket, "malformed"])
        #expect(malformed["welcome"] as? Bool == true)
        #expect(malformed["closed"] as? Bool == true, "a malformed frame drops the client")
        let oversize = try python([served.socket, "oversize"])
        #expect(oversize["closed"] as? Bool == true, "an oversize frame drops the client before it is read")
        let version = try python([served.socket, "wrong-version"])
        #expect((version["refused"] as? String)?.contains("protocol version 1, the client 99") == true, "\(version)")
        let silent = try python([served.socket, "silent"])
        #expect(silent["closed"] as? Bool == true, "a client that says nothing is dropped")
        let flood = try python([served.socket, "flood"])
        #expect((flood["throttled"] as? Int ?? 0) > 0 || flood["dropped"] as? Bool == true, "a flood is throttled, then dropped: \(flood)")
        let ok = try python([served.socket, "ok-console"])
        #expect(ok["welcome"] as? Bool == true)
        #expect((ok["snapshots"] as? Int ?? 0) >= 1, "a well-behaved client is served meanwhile")
        stalled.waitUntilExit()

        // The console went on meanwhile: its clock moved.
        let after = try ana.capture()
        let endClock = after.split(separator: " ").dropFirst(2).first.map(String.init) ?? ""
        #expect(endClock != startClock, "the plant went on: \(startClock) then \(endClock)")
        let who = try served.run(["who", "--socket", served.socket])
        #expect(who.stdout.contains("malformed 1"), "\(who.stdout)")
        #expect(who.stdout.contains("oversize 1"))
        #expect(who.stdout.contains("silent 1"))
        #expect(who.stdout.contains("refused 1"))
        #expect(!who.stdout.contains("throttled commands 0"))
        try ana.quit()
        _ = served.stop()
        let export = try served.run(["audit", "export", "--store", served.store, "--format", "jsonl"])
        for verb in ["dropped", "refused-attach", "throttled"] {
            #expect(export.stdout.contains("\"command\":\"\(verb)\""), "\(verb) is on record")
        }
    }
}

/// Identities the kernel vouches for: two OS users attach as themselves (no names typed) and complete a four-eyes stop;
/// a user the roster does not list is an observer; a name claimed is refused. CI runs as root, so it makes the users.
@Suite(.serialized)
struct KernelIdentityTests {
    private static let canMakeUsers = geteuid() == 0 && TmuxSession.isAvailable

    private func sh(_ command: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " >/dev/null 2>&1"]
        try? process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(.enabled(if: canMakeUsers, "needs root to make OS users, and tmux"))
    func twoLoginsAreTwoPeopleAndNoNameIsTyped() throws {
        #expect(sh("getent group andon-ops || groupadd andon-ops") == 0)
        for user in ["andon-ana", "andon-dana", "andon-guest"] {
            #expect(sh("id \(user) || useradd -M -N -g andon-ops -s /bin/sh \(user)") == 0, "made user \(user)")
        }
        let roster = try AndonProcess.temporaryDirectory()
        chmod(roster.path, 0o755)
        let rosterFile = roster.appendingPathComponent("operators.yaml")
        try """
        group: andon-ops
        operators:
          - {name: andon-ana, role: supervisor}
          - {name: andon-dana, role: supervisor}
        """.write(to: rosterFile, atomically: true, encoding: .utf8)
        // The built binary where the other users can run it.
        let binary = roster.appendingPathComponent("andon").path
        // Copied by a child process: a file this process held open for writing could be inherited by a test forking
        // meanwhile, and running it would fail with "Text file busy".
        #expect(sh("cp \(AndonProcess.binary) \(binary) && chmod 755 \(binary)") == 0)
        // Each person sets their own signing passphrase (here through standard input); the runtime keeps only hashes.
        let credentials = roster.appendingPathComponent("credentials/riverside.json").path
        for (person, passphrase) in [("andon-ana", "ana's own words"), ("andon-dana", "dana's own words")] {
            let set = try AndonProcess.run(["operator", "passphrase", person, "--operators", rosterFile.path, "--credentials", credentials, "--stdin"],
                                           stdin: "\(passphrase)\n\(passphrase)\n")
            #expect(set.status == 0, "\(set.stderr)")
        }
        let unlisted = try AndonProcess.run(["operator", "passphrase", "andon-guest", "--operators", rosterFile.path, "--credentials", credentials,
                                             "--stdin"], stdin: "guest words here\nguest words here\n")
        #expect(unlisted.status == 2, "only a person on the roster has a signing passphrase")
        let stored = try String(contentsOfFile: credentials, encoding: .utf8)
        #expect(!stored.contains("own words"), "the credentials file holds hashes only")
        let served = try ServiceEndToEndTests.Served(arguments: ["--operators", rosterFile.path, "--credentials", credentials], speed: 10)
        defer { try? FileManager.default.removeItem(at: roster) }
        func attach(_ user: String, _ extra: String = "") throws -> TmuxSession {
            try TmuxSession(columns: 120, rows: 40, environment: [:],
                            shell: "cd /tmp && runuser -u \(user) -- env HOME=/tmp \(binary) attach --socket \(served.socket) --log /dev/null \(extra)")
        }
        let ana = try attach("andon-ana")
        defer { ana.stop() }
        let dana = try attach("andon-dana")
        defer { dana.stop() }
        let guest = try attach("andon-guest")
        defer { guest.stop() }
        let pending = try ana.wait(for: "a critical stop", timeout: 120) { ServiceEndToEndTests.criticalStopTarget($0) != nil }
        let target = try #require(ServiceEndToEndTests.criticalStopTarget(pending))
        #expect(pending.contains("andon-ana (supervisor)"))
        #expect(!pending.contains("claimed"))
        try guest.wait(for: "the unlisted user as an observer", timeout: 10) { $0.contains("andon-guest (observer)") }

        try ServiceEndToEndTests.approve(ana, target: target, passphrase: "dana's own words")
        try ana.wait(for: "dana's passphrase refused for ana", timeout: 10) { $0.contains("wrong signing passphrase for andon-ana") }
        try ServiceEndToEndTests.approve(ana, target: target, passphrase: "ana's own words")
        try ana.wait(for: "andon-ana's signature", timeout: 10) { $0.contains("approval 1/2 (signed) for stop_cell of \(target)") }
        try ServiceEndToEndTests.approve(dana, target: target, passphrase: "dana's own words")
        try dana.wait(for: "andon-dana's signature completing it", timeout: 10) { $0.contains("approved stop_cell of \(target)") }

        // Nobody can claim a name here: the roster does not accept claims.
        let claim = try TmuxSession(columns: 100, rows: 30, environment: [:],
                                    shell: "cd /tmp && runuser -u andon-guest -- env HOME=/tmp \(binary) attach --socket \(served.socket) --log /dev/null --as andon-ana")
        defer { claim.stop() }
        try claim.wait(for: "the refused claim", timeout: 15) { $0.contains("does not accept claimed identities") }

        for console in [ana, dana, guest] { try console.quit() }
        _ = served.stop()
        let export = try served.run(["audit", "export", "--store", served.store, "--format", "jsonl"])
        let signed = export.stdout.split(separator: "\n").filter { $0.contains("\"kind\":\"approval_signed\"") }
        #expect(signed.contains { $0.contains("\"name\":\"andon-ana\"") && $0.contains("\"type\":\"person\"") })
        #expect(signed.contains { $0.contains("\"name\":\"andon-dana\"") && $0.contains("\"type\":\"person\"") })
        #expect(export.stdout.contains("\"uid\""), "the attach records carry the kernel's user id")
    }
}
