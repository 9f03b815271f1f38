import AndonTesting
import Foundation
import Testing

/// The audit trail under the faults a plant's disks and people produce, as `andon` meets them: a full disk, a store
/// deleted while in use, a tampered or unreadable log, a clean close; every run names what happened and exits so.
@Suite(.serialized)
struct AuditFaultTests {
    /// `andon …` run by a shell with `prefix` first (limits, traps), in the repository root; its output.
    private func shell(_ prefix: String, _ arguments: [String], environment: [String: String]) throws -> AndonProcess.Output {
        let command = prefix + "; exec " + ([AndonProcess.binary] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = Fixtures.root
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return AndonProcess.Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    private func environment(_ dir: URL) -> [String: String] {
        ["XDG_CONFIG_HOME": dir.appendingPathComponent("config").path, "XDG_STATE_HOME": dir.appendingPathComponent("state").path]
    }

    private func python(_ script: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    @Test func aFullDiskIsSaidAtOnceAndTheRunExitsThree() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("store/plant.sqlite").path
        // 160 KB of file size for the process: the store fills it within the first simulated hour.
        let start = Date()
        let result = try shell("ulimit -f 320; trap '' XFSZ", ["demo", "--headless", "--for", "8h", "--store", store, "--scenario", "demo/scenarios/scripted.yaml"],
                               environment: environment(dir))
        #expect(result.status == 3, "\(result.stderr)")
        #expect(result.stderr.contains("AUDIT STORE DOWN"))
        #expect(result.stderr.contains("could not be written"))
        #expect(Date().timeIntervalSince(start) < 180, "the run does not spin on a backlog it re-hashes every step (a loose bound: the machine may be busy)")
        let report = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let audit = report?["audit"] as? [String: Any]
        #expect((audit?["unwritten"] as? Int ?? 0) > 0)
        #expect((audit?["failed_commits"] as? Int ?? 0) > 0)
        // What did reach the store is whole.
        let verify = try AndonProcess.run(["audit", "verify", "--store", store], environment: environment(dir))
        #expect(verify.stdout.hasPrefix("ok:"), "\(verify.stdout)\(verify.stderr)")
    }

    @Test func aStoreDeletedWhileInUseGoesDownLoudly() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("plant.sqlite").path
        let run = try AndonProcess.start(["demo", "--headless", "--for", "80000h", "--store", store], environment: environment(dir))
        usleep(1_500_000)
        for file in [store, store + "-wal", store + "-shm"] { unlink(file) }
        usleep(1_500_000)
        run.signal(SIGTERM)
        let output = run.finish()
        #expect(output.status == 143 || output.status == 3, "\(output.status)")
        #expect(output.stderr.contains("deleted"), "\(output.stderr)")
        #expect(output.stderr.contains("AUDIT STORE DOWN"))
    }

    @Test func aTamperedOrUnreadableLogIsNeverStartedOn() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("plant.sqlite").path
        let env = environment(dir)
        let first = try AndonProcess.run(["demo", "--headless", "--for", "30m", "--store", store, "--scenario", "demo/scenarios/scripted.yaml"], environment: env)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(try AndonProcess.run(["audit", "verify", "--store", store], environment: env).status == 0)
        // Someone edits an approval in the database directly (triggers dropped).
        try python("""
            import sqlite3; db = sqlite3.connect('\(store)')
            db.executescript('DROP TRIGGER audit_refuse_update;')
            db.execute("UPDATE audit SET payload = replace(payload, 'ana', 'eve') WHERE sequence = (SELECT MAX(sequence) FROM audit WHERE kind = 'approval_signed')")
            db.commit()
            """)
        let second = try AndonProcess.run(["demo", "--headless", "--for", "1m", "--store", store], environment: env)
        #expect(second.status == 3)
        #expect(second.stderr.contains("cannot be trusted") || second.stderr.contains("modified"), "\(second.stderr)")
        let verify = try AndonProcess.run(["audit", "verify", "--store", store], environment: env)
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("tampered"))
    }

    @Test func verifySaysWhatTheHeadProves() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = dir.appendingPathComponent("plant.sqlite").path
        let env = environment(dir)
        #expect(try AndonProcess.run(["demo", "--headless", "--for", "20m", "--store", store], environment: env).status == 0)
        let verify = try AndonProcess.run(["audit", "verify", "--store", store], environment: env)
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("every signature valid"))
        #expect(verify.stdout.contains("closed cleanly: matches the log"))
        // A copy of the .sqlite alone: every record is in it, but without its head its end cannot be vouched for.
        let copy = dir.appendingPathComponent("copy.sqlite").path
        try FileManager.default.copyItem(atPath: store, toPath: copy)
        let alone = try AndonProcess.run(["audit", "verify", "--store", copy], environment: env)
        #expect(alone.stdout.hasPrefix("ok:"))
        #expect(alone.stdout.contains("head file: missing"))
        #expect(alone.status == 1)
        // An archive is whole on its own: one file and its head.
        let archive = dir.appendingPathComponent("archive/plant.sqlite").path
        try FileManager.default.createDirectory(atPath: dir.appendingPathComponent("archive").path, withIntermediateDirectories: true)
        let export = try AndonProcess.run(["audit", "export", "--store", store, "--format", "sqlite", "--output", archive], environment: env)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(!FileManager.default.fileExists(atPath: archive + "-wal"))
        let archived = try AndonProcess.run(["audit", "verify", "--store", archive], environment: env)
        #expect(archived.status == 0, "\(archived.stdout)")
        #expect(archived.stdout.split(separator: "\n").first == verify.stdout.split(separator: "\n").first, "the same records and head")
        #expect(try AndonProcess.run(["audit", "export", "--store", store, "--format", "sqlite", "--output", archive], environment: env).status != 0,
                "never over an existing file")
    }
}

/// The reject file is appended to by every run, rotated by size, private, and a full disk under it stops nothing.
@Suite(.serialized)
struct RejectFileTests {
    private static let bad = (1...30).map { #"{"schema":1,"source":"x","seq":\#($0),"ts":1e12,"cell":"NOPE"}"# }.joined(separator: "\n") + "\n"

    @Test func aSecondRunAppendsAndNeverTruncatesTheFirstRunsRejects() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rejects = dir.appendingPathComponent("rejects/plant.rejects.jsonl").path
        let arguments = ["run", "--plant", "demo/plant.yaml", "--headless", "--store", ":memory:", "--rejects", rejects, "--telemetry", "-"]
        let old = umask(0o022)
        defer { umask(old) }
        #expect(try AndonProcess.run(arguments, stdin: Self.bad).status == 0)
        #expect(try AndonProcess.run(arguments, stdin: Self.bad).status == 0)
        let lines = try String(contentsOfFile: rejects, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 60)
        let mode = (try FileManager.default.attributesOfItem(atPath: rejects)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
    }

    @Test func aFullDiskUnderTheRejectFileDoesNotStopTheRun() throws {
        let dir = try AndonProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let rejects = dir.appendingPathComponent("plant.rejects.jsonl").path
        let input = dir.appendingPathComponent("bad.jsonl").path
        try String(repeating: Self.bad, count: 40).write(toFile: input, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -f 8; trap '' XFSZ; exec '\(AndonProcess.binary)' run --plant demo/plant.yaml --headless --store :memory: --rejects '\(rejects)' --telemetry '\(input)'"]
        process.currentDirectoryURL = Fixtures.root
        let err = Pipe(), out = Pipe()
        process.standardError = err
        process.standardOutput = out
        try process.run()
        _ = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(stderr)")
        #expect(stderr.contains("cannot be written"))
        #expect(stderr.contains("1200 message(s) rejected"))
    }
}
