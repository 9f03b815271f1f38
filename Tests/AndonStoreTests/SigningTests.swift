import AndonCore
import AndonPolicy
import AndonTesting
import Foundation
import Synchronization
import Testing
@testable import AndonRuntime
@testable import AndonStore

/// Signing passphrases: kept as memory-hard hashes in a private file, checked by the runtime, locked after too many
/// wrong tries; and approvals whose rule asks for a signature, given only with the approver's passphrase.
final class SigningTests {
    /// scrypt at its full cost takes tens of milliseconds per check; the tests use a small cost for speed, except one.
    private static let cheap = 1 << 10
    /// The folders this test made, removed after it (they hold passphrase hashes).
    private var folders: [String] = []

    private func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("andon-signing-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        folders.append(path)
        return path
    }

    deinit {
        for path in folders { try? FileManager.default.removeItem(atPath: path) }
    }

    private func mode(_ path: String) -> Int {
        var info = stat()
        stat(path, &info)
        return Int(info.st_mode & 0o777)
    }

    @Test func theFileHoldsOnlyAHashAndIsPrivate() throws {
        let path = try folder() + "/credentials/plant.json"
        var credentials = SigningCredentials()
        try credentials.set(Passphrase("correct horse battery"), for: "ana")
        try credentials.save(path: path)
        #expect(mode(path) == 0o600)
        #expect(mode((path as NSString).deletingLastPathComponent) == 0o700)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.contains("correct horse"), "the passphrase itself is never written")
        #expect(text.contains("\"kdf\" : \"scrypt\""))
        #expect(text.contains("\"n\" : 32768"))
        let loaded = try SigningCredentials.load(path: path)
        #expect(loaded.matches(Passphrase("correct horse battery"), for: "ana") == true)
        #expect(loaded.matches(Passphrase("correct horse batterz"), for: "ana") == false)
        #expect(loaded.matches(Passphrase("correct horse battery"), for: "ben") == nil, "ben has none")
    }

    @Test func twoPeopleWithOnePassphraseHaveDifferentHashes() throws {
        var credentials = SigningCredentials()
        try credentials.set(Passphrase("same words here"), for: "ana", rounds: Self.cheap)
        try credentials.set(Passphrase("same words here"), for: "ben", rounds: Self.cheap)
        #expect(credentials.people["ana"]?.hash != credentials.people["ben"]?.hash, "each has a salt of their own")
        #expect(credentials.people["ana"]?.salt != credentials.people["ben"]?.salt)
    }

    @Test func aFileOthersCanReadIsRefused() throws {
        let path = try folder() + "/plant.json"
        var credentials = SigningCredentials()
        try credentials.set(Passphrase("open sesame!"), for: "ana", rounds: Self.cheap)
        try credentials.save(path: path)
        chmod(path, 0o644)
        #expect(throws: SigningCredentialsError.self) { try SigningCredentials.load(path: path) }
        do {
            _ = try SigningCredentials.load(path: path)
        } catch {
            #expect("\(error)".contains("readable or writable by others (mode 644)"), "\(error)")
        }
        let verifier = PassphraseVerifier(source: .file(path))
        #expect(verifier.check(name: "ana", passphrase: Passphrase("open sesame!")) == .notSet, "a file too open is not trusted")
    }

    @Test func aMissingFileHoldsNoOneAndAGarbledOneIsRefused() throws {
        let dir = try folder()
        #expect(try SigningCredentials.load(path: dir + "/none.json").people.isEmpty)
        let garbled = dir + "/garbled.json"
        _ = FileManager.default.createFile(atPath: garbled, contents: Data("{\"version\": 7, \"people\": {}}".utf8), attributes: [.posixPermissions: 0o600])
        do {
            _ = try SigningCredentials.load(path: garbled)
            Issue.record("a later version is refused")
        } catch {
            #expect("\(error)".contains("version 7 is not one this andon reads"), "\(error)")
        }
    }

    @Test func wrongTriesLockSigningAndTheLockEnds() throws {
        let path = try folder() + "/plant.json"
        var credentials = SigningCredentials()
        try credentials.set(Passphrase("right one here"), for: "ana", rounds: Self.cheap)
        try credentials.save(path: path)
        let clock = Mutex<Double>(100)
        let verifier = PassphraseVerifier(source: .file(path), tries: 3, lockoutSeconds: 60, now: { clock.withLock { $0 } })
        #expect(verifier.check(name: "ana", passphrase: Passphrase("wrong")) == .wrong(triesLeft: 2))
        #expect(verifier.check(name: "ana", passphrase: Passphrase("right one here")) == .valid)
        #expect(verifier.check(name: "ana", passphrase: Passphrase("wrong")) == .wrong(triesLeft: 2), "a success starts the count afresh")
        #expect(verifier.check(name: "ana", passphrase: Passphrase("wrong")) == .wrong(triesLeft: 1))
        #expect(verifier.check(name: "ana", passphrase: Passphrase("wrong")) == .wrongAndLocked(seconds: 60))
        clock.withLock { $0 += 20 }
        #expect(verifier.check(name: "ana", passphrase: Passphrase("right one here")) == .locked(seconds: 40),
                "while locked even the right passphrase is refused")
        #expect(verifier.check(name: "ben", passphrase: Passphrase("anything")) == .notSet, "one person's lock is theirs alone")
        clock.withLock { $0 += 41 }
        #expect(verifier.check(name: "ana", passphrase: Passphrase("right one here")) == .valid, "the lock ends")
    }

    @Test func aPassphraseSetWhileRunningCountsAtOnce() throws {
        let path = try folder() + "/plant.json"
        let verifier = PassphraseVerifier(source: .file(path))
        #expect(verifier.check(name: "ana", passphrase: Passphrase("fresh passphrase")) == .notSet)
        var credentials = SigningCredentials()
        try credentials.set(Passphrase("fresh passphrase"), for: "ana", rounds: Self.cheap)
        try credentials.save(path: path)
        #expect(verifier.check(name: "ana", passphrase: Passphrase("fresh passphrase")) == .valid)
    }

    @Test func onlyADemoRosterSignsScriptedCommands() {
        let demo = PassphraseVerifier(source: .demo(["ana": "demo-ana"]))
        #expect(demo.scriptedPassphrase(for: "ana") == Passphrase("demo-ana"))
        #expect(demo.scriptedPassphrase(for: "ben") == nil)
        #expect(demo.check(name: "ana", passphrase: Passphrase("demo-ana")) == .valid)
        let real = PassphraseVerifier(source: .file("/nonexistent/andon/credentials.json"))
        #expect(real.scriptedPassphrase(for: "ana") == nil, "a real plant's passphrases are never known to the runtime")
    }

    @Test func aPassphraseIsNeverShown() {
        let secret = Passphrase("hunter2hunter2")
        #expect("\(secret)" == "(passphrase)")
        #expect(String(reflecting: secret) == "(passphrase)")
        #expect(!"\(OperatorCommand.sign(approvalID: "p-1", passphrase: secret))".contains("hunter2"))
    }
}

/// Approvals whose rule asks for a signature, in the engine: refused without one, refused with a wrong one (on record
/// both times), given with the right one and recorded as signed; the passphrase is never on record.
final class SignedApprovalTests {
    /// The folders this test made, removed after it (they hold passphrase hashes).
    private var folders: [String] = []

    deinit {
        for path in folders { try? FileManager.default.removeItem(atPath: path) }
    }

    static let ana = Person(name: "ana", role: .supervisor)
    static let dana = Person(name: "dana", role: .supervisor)

    static let policyYAML = """
    policy: {id: signed-governance, version: "s1"}
    rules:
      - id: interlock
        match: {action: hold_cell}
        decision: allow
      - id: small-speed
        match: {action: [reduce_speed, restore_speed], when: {data_age_at_most: 10s, change_percent_at_most: 10}}
        decision: allow
      - id: maintenance-signed
        match: {action: [schedule_maintenance, stop_cell]}
        decision: approve
        approve: {roles: [supervisor], quorum: 2, timeout: 5m, signature: required}
    """

    private func engine(audit: MemoryAuditSink, verifier: (any SignatureVerifier)?) throws -> PlantEngine {
        let plant = try PlantSpec.parse(Fixtures.twoCellPlantYAML(agentsA: Fixtures.maintenanceAgents))
        let policy = PolicyEngine(try PolicySpec.parse(text: Self.policyYAML, file: "policy.yaml"))
        let roster: @Sendable (String) -> Person = { name in
            name == "ana" ? Self.ana : name == "dana" ? Self.dana : Person(name: name, role: .observer)
        }
        var options = EngineOptions(seed: 11)
        options.signatureVerifier = verifier
        let engine = PlantEngine(plant: plant, scenario: Scenario(name: "t", incidents: Fixtures.vibrationRise, commands: []),
                                 options: options, judge: policy, audit: audit, roster: roster)
        engine.start(recovering: Recovery())
        return engine
    }

    private func pending(_ engine: PlantEngine) -> Approval? {
        while engine.time < 1800 {
            engine.tick()
            if let pending = engine.pendingApprovals.first { return pending }
        }
        return nil
    }

    private func verifier() throws -> PassphraseVerifier {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("andon-signed-\(UUID().uuidString)").path
        folders.append(folder)
        let path = folder + "/plant.json"
        var credentials = SigningCredentials()
        try credentials.set(Passphrase("ana signs here"), for: "ana", rounds: 1 << 10)
        try credentials.set(Passphrase("dana signs too"), for: "dana", rounds: 1 << 10)
        try credentials.save(path: path)
        return PassphraseVerifier(source: .file(path), tries: 2, lockoutSeconds: 900)
    }

    @Test func aSignedApprovalNeedsTheApproversPassphrase() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit, verifier: try verifier())
        let approval = try #require(pending(engine))
        #expect(approval.requirement.signatureRequired)
        let id = approval.proposal.id

        let plain = engine.handle(.approve(approvalID: id), as: Self.ana)
        #expect(!plain.isAccepted)
        #expect(plain.message == "refused: approving \(id) needs ana's signature (their signing passphrase)")

        let wrong = engine.handle(.sign(approvalID: id, passphrase: Passphrase("not it at all")), as: Self.ana)
        #expect(wrong.message == "refused: wrong signing passphrase for ana; 1 more try before signing is locked")
        #expect(engine.pendingApprovals.first?.signatures.isEmpty == true, "nothing was approved")

        let first = engine.handle(.sign(approvalID: id, passphrase: Passphrase("ana signs here")), as: Self.ana)
        #expect(first.isAccepted, "\(first.message)")
        #expect(first.message.contains("(signed)"), "\(first.message)")
        let second = engine.handle(.sign(approvalID: id, passphrase: Passphrase("dana signs too")), as: Self.dana)
        #expect(second.isAccepted, "\(second.message)")
        engine.tick()

        let approved = try #require(audit.records(.approvalApproved).last)
        #expect(approved.payload.contains("(signed)"), "\(approved.payload)")
        let refusals = audit.records(.operatorCommand).map(\.payload)
        #expect(refusals.contains { $0.contains("needs ana's signature") }, "the unsigned try is on record")
        #expect(refusals.contains { $0.contains("wrong signing passphrase for ana") }, "the wrong passphrase is on record")
        for record in audit.records {
            #expect(!record.payload.contains("signs here") && !record.payload.contains("not it at all") && !record.payload.contains("signs too"),
                    "no passphrase is ever on record: \(record.payload)")
        }
    }

    @Test func aLockedSignerIsRefusedEvenWithTheRightPassphrase() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit, verifier: try verifier())
        let id = try #require(pending(engine)).proposal.id
        _ = engine.handle(.sign(approvalID: id, passphrase: Passphrase("wrong one")), as: Self.ana)
        let locking = engine.handle(.sign(approvalID: id, passphrase: Passphrase("wrong two")), as: Self.ana)
        #expect(locking.message == "refused: wrong signing passphrase for ana, too many tries: ana's signing is locked for 15m")
        let locked = engine.handle(.sign(approvalID: id, passphrase: Passphrase("ana signs here")), as: Self.ana)
        #expect(!locked.isAccepted)
        #expect(locked.message.hasPrefix("refused: ana's signing is locked for "), "\(locked.message)")
        let other = engine.handle(.sign(approvalID: id, passphrase: Passphrase("dana signs too")), as: Self.dana)
        #expect(other.isAccepted, "dana is not locked by ana's tries: \(other.message)")
    }

    @Test func withoutCredentialsNobodyCanSignAndItSaysWhy() throws {
        let audit = MemoryAuditSink()
        let engine = try engine(audit: audit, verifier: nil)
        let id = try #require(pending(engine)).proposal.id
        let result = engine.handle(.sign(approvalID: id, passphrase: Passphrase("ana signs here")), as: Self.ana)
        #expect(result.message == "refused: this runtime has no signing credentials, so it cannot check a signature")
        let notSet = try self.engine(audit: MemoryAuditSink(), verifier: PassphraseVerifier(source: .demo([:])))
        let other = try #require(pending(notSet)).proposal.id
        #expect(notSet.handle(.sign(approvalID: other, passphrase: Passphrase("x")), as: Self.ana).message.hasPrefix("refused: ana has no signing passphrase"))
    }
}
