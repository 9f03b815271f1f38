import AndonCore
import Foundation
import Testing
@testable import AndonStore

@Suite("Reading and exporting the audit log")
struct AuditExportTests {
    @Test func jsonLinesRoundTrip() throws {
        let store = try AuditStore(path: ":memory:", now: fixedNow)
        let records = try store.append(entries(1...4) + [entry(5, payload: #"{"list":[1,2.5,"ü"],"none":null,"ok":true}"#)], sync: false)
        let lines = try store.jsonLines()
        #expect(lines.count == 5)
        for (line, record) in zip(lines, records) {
            #expect(!line.contains("\n"))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            #expect(object.keys.sorted() == ["actor", "correlationID", "hash", "kind", "payload", "policyHash",
                                             "previousHash", "sequence", "simTime", "wallTime"])
            let actor = try #require(object["actor"] as? [String: Any])
            let payload = try #require(object["payload"] as? [String: Any], "payload is embedded as an object")
            let payloadText = String(decoding: try JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys, .withoutEscapingSlashes]),
                                     as: UTF8.self)
            let rebuilt = AuditRecord(
                sequence: try #require((object["sequence"] as? NSNumber)?.int64Value),
                wallTime: try #require(object["wallTime"] as? String),
                simTime: try #require((object["simTime"] as? NSNumber)?.doubleValue),
                actor: AuditActor(type: try #require(actor["type"] as? String), name: try #require(actor["name"] as? String),
                                  role: (actor["role"] as? String).flatMap(Role.init(rawValue:))),
                kind: try #require(AuditKind(rawValue: object["kind"] as? String ?? "")),
                payload: payloadText,
                policyHash: try #require(object["policyHash"] as? String),
                correlationID: try #require(object["correlationID"] as? String),
                previousHash: try #require(object["previousHash"] as? String),
                hash: try #require(object["hash"] as? String))
            #expect(rebuilt == record)
            #expect(AuditChain.hash(of: rebuilt) == rebuilt.hash)
        }
    }

    @Test func jsonLineIsCanonical() throws {
        let record = AuditRecord(sequence: 7, wallTime: "2026-11-18T11:06:40.123Z", simTime: 90, actor: .agent("scheduler"),
                                 kind: .approvalRequested, payload: #"{"a":1}"#, policyHash: "p", correlationID: "c\n1",
                                 previousHash: "0", hash: "1")
        #expect(record.jsonLine == #"{"actor":{"name":"scheduler","type":"agent"},"correlationID":"c\n1","hash":"1","#
            + #""kind":"approval_requested","payload":{"a":1},"policyHash":"p","previousHash":"0","sequence":7,"#
            + #""simTime":90.0,"wallTime":"2026-11-18T11:06:40.123Z"}"#)
        var broken = record
        broken.payload = "not json"
        #expect(broken.jsonLine.contains(#""payload":"not json""#))
    }

    @Test func readingByWallTimeAndSequence() throws {
        let clock = SteppingClock()
        let store = try AuditStore(path: ":memory:", now: { clock.next() })
        for n in 1...5 { try store.append([entry(n)], sync: false) }
        let cutoff = Date(timeIntervalSince1970: 1_795_000_003)
        #expect(try store.records(since: cutoff).map(\.sequence) == [4, 5])
        #expect(try store.jsonLines(since: cutoff).count == 2)
        #expect(try store.records(fromSequence: 4).map(\.sequence) == [4, 5])
        #expect(try store.records(after: 2).map(\.sequence) == [3, 4, 5])
        #expect(try store.records(after: 2, limit: 1).map(\.sequence) == [3])
        #expect(try store.lastRecords(2).map(\.sequence) == [4, 5])
        #expect(try store.lastRecords(0).isEmpty)
    }

    @Test func summaryLineIsOneShortLine() throws {
        let record = try #require(try AuditStore(path: ":memory:", now: fixedNow)
            .append([entry(3, payload: "{\"cell\":\"B2\",\"reason\":\"" + String(repeating: "r", count: 100) + "\"}")], sync: false).first)
        let line = record.summaryLine(payloadWidth: 20)
        #expect(line == #"#1 2026-11-18T11:06:40.123Z sim 00:00:04 Ana Ruiz (supervisor) approval_approved {"cell":"B2","reaso…"#)
        #expect(TimeText.clock(3 * 3600 + 62.9) == "03:01:02")
    }
}

@Suite("Wall times and paths")
struct WallTimeTests {
    @Test func wallTimeIsUTCWithMilliseconds() {
        #expect(WallTime.string(from: Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(WallTime.string(from: Date(timeIntervalSince1970: 1_795_000_000.9999)) == "2026-11-18T11:06:40.999Z")
        #expect(WallTime.string(from: Date(timeIntervalSince1970: -0.5)) == "1969-12-31T23:59:59.500Z")
    }

    @Test(arguments: [
        ("15m", 900.0), ("90s", 90), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), ("0.5h", 1800),
    ])
    func sinceAcceptsDurations(_ text: String, _ seconds: Double) throws {
        let now = Date(timeIntervalSince1970: 1_795_000_000)
        #expect(WallTime.since(text, now: now) == now.addingTimeInterval(-seconds))
    }

    @Test func sinceAcceptsTimestampsAndRejectsNonsense() throws {
        let now = Date()
        #expect(WallTime.since("2026-11-18T11:06:40Z", now: now) == Date(timeIntervalSince1970: 1_795_000_000))
        #expect(WallTime.since("2026-11-18T13:06:40+02:00", now: now) == Date(timeIntervalSince1970: 1_795_000_000))
        let fraction = try #require(WallTime.since("2026-11-18T11:06:40.250Z", now: now))
        #expect(abs(fraction.timeIntervalSince1970 - 1_795_000_000.25) < 0.001)
        #expect(WallTime.since("2026-11-18", now: now) == Date(timeIntervalSince1970: 1_794_960_000))
        for nonsense in ["", "15", "m", "15x", "yesterday", "2026-11-18T11", "1h30"] {
            #expect(WallTime.since(nonsense, now: now) == nil, "\(nonsense)")
        }
    }

    @Test func defaultPathFollowsXDG() {
        #expect(AuditStore.defaultPath(plantID: "plant-1", environment: ["XDG_STATE_HOME": "/var/state", "HOME": "/home/ana"])
                    == "/var/state/andon/plant-1.sqlite")
        #expect(AuditStore.defaultPath(plantID: "plant-1", environment: ["HOME": "/home/ana"])
                    == "/home/ana/.local/state/andon/plant-1.sqlite")
        #expect(AuditStore.defaultPath(plantID: "a/b", environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/ana"])
                    == "/home/ana/.local/state/andon/a_b.sqlite")
    }
}

/// A wall clock that moves one second per reading, from 1_795_000_000.
final class SteppingClock: @unchecked Sendable {
    private let lock = NSLock()
    private var seconds = 1_795_000_000.0

    func next() -> Date {
        lock.lock()
        defer { lock.unlock() }
        seconds += 1
        return Date(timeIntervalSince1970: seconds - 1)
    }
}
