import AndonTesting
import Foundation
import Testing

/// One console for the plant: two `andon serve` runtimes on two sockets and one `andon attach` to both, in tmux.
@Suite(.serialized)
struct PlantWideEndToEndTests {
    typealias Served = ServiceEndToEndTests.Served

    /// One pending approval as its row shows it in a plant-wide console.
    struct Row {
        var risk: String
        var runtime: String
        var action: String
        var target: String
    }

    /// The approvals pane's rows, top first.
    static func approvals(_ screen: String) -> [Row] {
        let pattern = try! NSRegularExpression(pattern: "│ (LOW|MED|HIGH|CRIT) +(body|paint) +([a-z_]+) +(\\S+) +\\d+:\\d\\d")
        return screen.split(separator: "\n").compactMap { line in
            let text = String(line)
            guard let match = pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
            let field = { (i: Int) in String(text[Range(match.range(at: i), in: text)!]) }
            return Row(risk: field(1), runtime: field(2), action: field(3), target: field(4))
        }
    }

    /// The plant clock in the header's first row.
    static func clock(_ screen: String) -> String? {
        let first = String(screen.split(separator: "\n").first ?? "")
        let pattern = try! NSRegularExpression(pattern: "\\d\\d:\\d\\d:\\d\\d")
        return pattern.firstMatch(in: first, range: NSRange(first.startIndex..., in: first)).map { String(first[Range($0.range, in: first)!]) }
    }

    /// A console attached to both runtimes as `person`.
    static func attach(body: Served, paint: Served, as person: String, columns: Int = 120, rows: Int = 40) throws -> TmuxSession {
        let exports = body.environment.map { "\($0.key)='\($0.value)'" }.joined(separator: " ")
        return try TmuxSession(columns: columns, rows: rows, environment: [:],
                               shell: "env \(exports) \(AndonProcess.binary) attach --socket body=\(body.socket) --socket paint=\(paint.socket) --as \(person)")
    }

    /// Decides the first of paint's approvals on screen as ana: moves to its row, opens the dialog, checks it is
    /// paint's, and confirms (typing the qualified target and signing when it is critical); returns its target.
    static func approveOnPaint(_ console: TmuxSession) throws -> String? {
        for attempt in 0..<5 {
            let screen = try console.wait(for: "an approval asked by paint", timeout: 150) { approvals($0).contains { $0.runtime == "paint" } }
            let rows = approvals(screen)
            guard let index = rows.firstIndex(where: { $0.runtime == "paint" }) else { continue }
            // Tab takes the focus from the cells to the approvals once; `a` leaves it there, so a second Tab on a
            // retry (the rows moved under a loaded machine) would take it away again and every retry would miss.
            if attempt == 0 {
                _ = try console.tmux(["send-keys", "-t", "0", "Tab"])
                usleep(200_000)
            }
            _ = try console.tmux(["send-keys", "-t", "0", "g"])
            for _ in 0..<index { _ = try console.tmux(["send-keys", "-t", "0", "j"]) }
            usleep(300_000)
            _ = try console.tmux(["send-keys", "-t", "0", "a"])
            let dialog = try console.wait(for: "the approve dialog", timeout: 5) { $0.contains("Approve ") || $0.contains("refused") }
            guard let line = dialog.split(separator: "\n").first(where: { $0.contains("Approve ") }), line.contains(" on paint/") else {
                _ = try console.tmux(["send-keys", "-t", "0", "Escape"])
                usleep(500_000)
                continue
            }
            let target = rows[index].target
            if dialog.contains("type paint/") {
                _ = try console.tmux(["send-keys", "-t", "0", "-l", "paint/\(target)"])
                _ = try console.tmux(["send-keys", "-t", "0", "Enter"])
                try ServiceEndToEndTests.sign(console, passphrase: "demo-ana")
            } else {
                _ = try console.tmux(["send-keys", "-t", "0", "y"])
            }
            return target
        }
        return nil
    }

    @Test(.enabled(if: TmuxSession.isAvailable, "tmux or the andon binary is missing"))
    func oneConsoleForTwoRuntimesDecidesOnEachAndOutlivesOne() throws {
        let body = try Served(speed: 10)
        let paint = try Served(speed: 10)
        let console = try Self.attach(body: body, paint: paint, as: "ana")
        defer { console.stop() }

        // Both runtimes' cells, under a heading each, and both links up.
        let first = try console.wait(for: "both runtimes in one console", timeout: 60) {
            $0.contains("body ok paint ok") && $0.contains("│body ") && $0.contains("│paint ")
        }
        #expect(first.contains("ana (supervisor"))

        // An approval asked by paint, decided here, is decided on paint.
        let target = try #require(try Self.approveOnPaint(console), "an approval of paint was decided")
        let answer = try console.wait(for: "paint's answer", timeout: 20) { $0.contains("paint: approv") }
        #expect(answer.contains("paint: approv"), "\(answer)")

        // paint dies: it is shown out of reach, body goes on, and a command for paint is refused at once.
        paint.stop(SIGKILL)
        try console.wait(for: "paint out of reach", timeout: 20) { $0.contains("paint reconnecting") || $0.contains("paint DOWN") }
        let before = try console.capture()
        try console.wait(for: "body's clock going on", timeout: 20) { Self.clock($0) != nil && Self.clock($0) != Self.clock(before) }
        try console.wait(for: "paint DOWN after a while", timeout: 30) { $0.contains("paint DOWN") }
        _ = try console.tmux(["send-keys", "-t", "0", "K"])
        try console.wait(for: "the kill switch dialog", timeout: 5) { $0.contains("Kill switch") }
        _ = try console.tmux(["send-keys", "-t", "0", "y"])
        let refused = try console.wait(for: "paint's part refused", timeout: 20) { $0.contains("paint is down") }
        #expect(refused.contains("not sent"), "\(refused)")
        try console.wait(for: "body's kill switch on", timeout: 20) { $0.contains("body KILL paint DOWN") }

        // paint comes back on the same store and the console picks it up again.
        try paint.start(speed: 10)
        try console.wait(for: "paint back", timeout: 60) { $0.contains("body KILL paint ok") }

        try console.quit()
        #expect(body.stop()?.status == 0)
        #expect(paint.stop()?.status == 0)
        let export = try paint.run(["audit", "export", "--store", paint.store, "--format", "jsonl"])
        let decided = export.stdout.split(separator: "\n").filter {
            ($0.contains("\"kind\":\"approval_approved\"") || $0.contains("\"kind\":\"approval_signed\"")) && $0.contains(target)
        }
        #expect(!decided.isEmpty, "the decision is in paint's record")
        let bodyExport = try body.run(["audit", "export", "--store", body.store, "--format", "jsonl"])
        #expect(bodyExport.stdout.contains("kill-switch on") || bodyExport.stdout.contains("kill switch ON"), "body's kill switch is on record")
        for served in [body, paint] {
            let verify = try served.run(["audit", "verify", "--store", served.store])
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }

    @Test func aBadListOfRuntimesIsRefusedBeforeAnythingOpens() throws {
        let twice = try AndonProcess.run(["attach", "--socket", "body=/tmp/a.sock", "--socket", "body=/tmp/b.sock"])
        #expect(twice.status == 2 && twice.stderr.contains("a second runtime called 'body'"), "\(twice.stderr)")
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("plant-runtimes.yaml").path
        try "runtimes:\n  - {name: body}\n".write(toFile: file, atomically: true, encoding: .utf8)
        let missing = try AndonProcess.run(["attach", "--runtimes", file])
        #expect(missing.status == 2 && missing.stderr.contains("plant-runtimes.yaml:2:") && missing.stderr.contains("'socket'"), "\(missing.stderr)")
        let nobody = try AndonProcess.run(["attach", "--socket", "body=\(dir.path)/body.sock", "--socket", "paint=\(dir.path)/paint.sock"])
        #expect(nobody.status == 1 && nobody.stderr.contains("none of the plant's runtimes answered"), "\(nobody.stderr)")
        #expect(nobody.stderr.contains("andon attach: body: no runtime serves"), "\(nobody.stderr)")
    }
}
