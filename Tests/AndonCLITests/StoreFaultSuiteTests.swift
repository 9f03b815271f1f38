import AndonTesting
import Foundation
import Testing

/// The store's faults during a scripted shift, on a real file system: a full disk, a file system turned read-only,
/// another program holding the database's lock, a damaged WAL frame after a crash. After each: `verify` passes or
/// names the damage, no decision that was acknowledged (printed after its synced commit) is missing, no idempotency
/// key ran twice, and safety holds ran.
@Suite(.serialized)
struct StoreFaultSuiteTests {
    /// A small tmpfs of its own (the suite runs as root in CI); nil where mounting is not allowed.
    private final class Scratch {
        let path: String
        let isMounted: Bool

        init(size: String) throws {
            path = try AndonProcess.temporaryDirectory().path
            let mounted = Self.sh("mount -t tmpfs -o size=\(size),mode=0700 tmpfs '\(path)'")
            isMounted = mounted == 0
        }

        func remount(_ options: String) -> Bool { Self.sh("mount -o remount,\(options) '\(path)'") == 0 }

        deinit {
            if isMounted { _ = Self.sh("umount -l '\(path)'") }
            try? FileManager.default.removeItem(atPath: path)
        }

        @discardableResult
        static func sh(_ command: String) -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", command + " 2>/dev/null"]
            try? process.run()
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Mounting needs root; CI runs as root and must run these, a developer's machine may not.
    private static var canMount: Bool { geteuid() == 0 }

    private func environment(_ base: String) -> [String: String] {
        ["XDG_CONFIG_HOME": base + "-config"]
    }

    /// The approvals and rejections printed as decided (only ever after their synced commit).
    private func decided(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").filter { $0.hasPrefix("decided ") }.map { String($0.split(separator: " ")[1]) }
    }

    /// What the log holds: ids of decided approvals, and idempotency keys executed (applied) with how many times.
    private func logged(_ store: String, _ env: [String: String]) throws -> (decisions: Set<String>, keys: [String: Int], holds: Int) {
        let export = try AndonProcess.run(["audit", "export", "--store", store, "--format", "jsonl"], environment: env)
        var decisions = Set<String>(), keys: [String: Int] = [:], holds = 0
        for line in export.stdout.split(separator: "\n") {
            guard let record = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let kind = record["kind"] as? String, let payload = record["payload"] as? [String: Any] else { continue }
            if kind == "approval_approved" || kind == "approval_rejected", let id = payload["approvalID"] as? String { decisions.insert(id) }
            if kind == "action_executed", let execution = payload["execution"] as? [String: Any], execution["applied"] as? Bool == true,
               let key = execution["idempotencyKey"] as? String {
                keys[key, default: 0] += 1
                if execution["action"] as? String == "hold_cell" { holds += 1 }
            }
        }
        return (decisions, keys, holds)
    }

    private func expectOneStory(_ store: String, _ env: [String: String], printed: [String], label: String) throws {
        let (decisions, keys, _) = try logged(store, env)
        for id in printed { #expect(decisions.contains(id), "\(label): \(id) was acknowledged as decided but is not in the log") }
        for (key, count) in keys where count > 1 { Issue.record("\(label): \(key) ran \(count) times") }
    }

    @Test(.enabled(if: canMount, "mounting a tmpfs needs root"))
    func aDiskThatFillsDuringAShift() throws {
        let scratch = try Scratch(size: "400k")
        try #require(scratch.isMounted, "could not mount a tmpfs")
        let store = scratch.path + "/plant.sqlite"
        let env = environment(scratch.path)
        let result = try AndonProcess.run(["demo", "--headless", "--scenario", "demo/scenarios/scripted.yaml", "--for", "8h", "--store", store,
                                           "--print-decisions", "--fallback-journal", scratch.path + "-journal.jsonl"], environment: env)
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("AUDIT STORE DOWN"))
        let verify = try AndonProcess.run(["audit", "verify", "--store", store], environment: env)
        #expect(verify.stdout.hasPrefix("ok:"), "verify passes on what reached the disk: \(verify.stdout)")
        try expectOneStory(store, env, printed: decided(result.stdout), label: "full disk")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.split(separator: "\n").filter { !$0.hasPrefix("decided ") }.joined(separator: "\n").utf8)) as? [String: Any]
        let executed = (report?["decisions"] as? [String: Any])?["executed"] as? Int ?? 0
        #expect(executed > 0, "the plant acted while the store took records")
    }

    @Test(.enabled(if: canMount, "mounting a tmpfs needs root"))
    func aFileSystemTurnedReadOnlyThenALockThenBack() throws {
        let scratch = try Scratch(size: "64m")
        try #require(scratch.isMounted, "could not mount a tmpfs")
        let store = scratch.path + "/plant.sqlite"
        let env = environment(scratch.path)
        for (key, value) in env { setenv(key, value, 1) }
        defer { for key in env.keys { unsetenv(key) } }
        let run = try AndonProcess.start(["demo", "--headless", "--scenario", "demo/scenarios/scripted.yaml", "--for", "100000h", "--store", store, "--print-decisions"])
        usleep(1_000_000)
        #expect(scratch.remount("ro"))
        usleep(1_500_000)
        #expect(scratch.remount("rw"))
        // Another program holds SQLite's write lock for two seconds.
        Scratch.sh("python3 -c \"import sqlite3,time; db=sqlite3.connect('\(store)', isolation_level=None); db.execute('BEGIN IMMEDIATE'); time.sleep(2); db.execute('ROLLBACK')\"")
        usleep(1_000_000)
        run.signal(SIGTERM)
        let output = run.finish()
        #expect(output.status == 143, "once the store is back everything reaches it: \(output.stderr)")
        #expect(output.stderr.contains("AUDIT STORE DOWN"))
        #expect(output.stderr.contains("audit store back"))
        let verify = try AndonProcess.run(["audit", "verify", "--store", store], environment: env)
        #expect(verify.status == 0, "\(verify.stdout)")
        try expectOneStory(store, env, printed: decided(output.stdout), label: "read-only, locked")
    }

    @Test func aDamagedWALFrameAfterACrashIsNamedAndTheStoreIsNotStartedOn() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("plant.sqlite").path
        let env = environment(dir.path)
        for (key, value) in env { setenv(key, value, 1) }
        defer { for key in env.keys { unsetenv(key) } }
        let run = try AndonProcess.start(["demo", "--headless", "--scenario", "demo/scenarios/scripted.yaml", "--for", "100000h", "--store", store, "--print-decisions"])
        usleep(1_500_000)
        run.signal(SIGKILL)
        let output = run.finish()
        let wal = store + "-wal"
        let size = (try FileManager.default.attributesOfItem(atPath: wal)[.size] as? Int) ?? 0
        try #require(size > 100_000, "the crash left commits in the WAL (\(size) bytes)")
        // One byte in the middle of the WAL: SQLite stops reading it there, and the log silently ends early.
        let handle = try #require(FileHandle(forUpdatingAtPath: wal))
        try handle.seek(toOffset: UInt64(size / 2))
        let byte = try handle.read(upToCount: 1) ?? Data([0])
        try handle.seek(toOffset: UInt64(size / 2))
        try handle.write(contentsOf: Data([byte[0] ^ 0xFF]))
        try handle.close()
        let verify = try AndonProcess.run(["audit", "verify", "--store", store], environment: env)
        #expect(verify.status == 1, "verify names the damage:\n\(verify.stdout)")
        #expect(verify.stdout.contains("cut off") || verify.stdout.contains("tampered"), "\(verify.stdout)")
        let restart = try AndonProcess.run(["demo", "--headless", "--for", "1m", "--store", store], environment: env)
        #expect(restart.status == 3, "the runtime does not start on a log that lost records: \(restart.stderr)")
        _ = decided(output.stdout)
    }
}
