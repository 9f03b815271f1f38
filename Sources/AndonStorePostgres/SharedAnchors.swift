import AndonCore
import AndonStore
import Foundation
import PostgresNIO

/// The shared anchor chain: at every commit of any stream, one row naming the head (sequence and hash) of every stream,
/// chained to the row before it. Since every commit anchors in its own transaction, the latest anchor names every
/// stream's head exactly; a stream cut short falls below what an anchor names, and anchors cut short fall below the
/// streams' heads.
///
/// An anchor's hash is the lowercase hex SHA-256 of
/// `"andon-anchor-v1\n" field(previousHash) field(id) field(wallTime) field(writer) field(heads)`, with `field` as in
/// the record chain (byte length, `:`, the text, a newline) and `heads` one line `runtime sequence hash\n` per stream,
/// in byte order of the runtime id. The first anchor's previous hash is 64 zeros.
public enum SharedAnchors {
    /// A stream head an anchor names.
    public struct Head: Sendable, Hashable {
        /// The record's sequence.
        public var sequence: Int64
        /// Its hash.
        public var hash: String
    }

    /// The heads in an anchor's `heads` text, by runtime id.
    public static func heads(_ text: String) -> [String: Head] {
        var heads: [String: Head] = [:]
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            guard words.count == 3, let sequence = Int64(words[1]) else { continue }
            heads[String(words[0])] = Head(sequence: sequence, hash: String(words[2]))
        }
        return heads
    }

    /// The hash an anchor must carry.
    public static func hash(previousHash: String, id: Int64, wallTime: String, writer: String, heads: String) -> String {
        var text = "andon-anchor-v1\n"
        for value in [previousHash, String(id), wallTime, writer, heads] { text += "\(value.utf8.count):\(value)\n" }
        return AuditChain.sha256(text)
    }

    /// What the anchors say about one stream: every head they name of it is in it with that hash, and the latest names
    /// its head.
    static func check(stream: String, head: (sequence: Int64, hash: String), _ connection: StoreConnection) throws -> (line: String, isBroken: Bool) {
        var claims: [Int64: (anchor: Int64, hash: String)] = [:]
        var latest: (anchor: Int64, head: Head?)?
        try forEachAnchor(connection) { id, _, _, heads, _, _ in
            let named = Self.heads(heads)[stream]
            latest = (id, named)
            if let named, claims[named.sequence] == nil { claims[named.sequence] = (id, named.hash) }
        }
        if let problem = try mismatch(stream: stream, claims: claims, connection) { return (problem, true) }
        if let top = claims.max(by: { $0.key < $1.key }), top.key > head.sequence {
            return ("anchors: anchor #\(top.value.anchor) names #\(top.key) of stream \(stream), but the stream ends at #\(head.sequence): records were cut off its end", true)
        }
        guard let latest else {
            return head.sequence == 0 ? ("anchors: none yet", false)
                : ("anchors: none, though stream \(stream) holds \(head.sequence) records: the anchors were removed, or the records were written past the store", true)
        }
        guard let named = latest.head, named.sequence == head.sequence else {
            return ("anchors: the latest (#\(latest.anchor)) names #\(latest.head?.sequence ?? 0) of stream \(stream), but it runs to #\(head.sequence): "
                    + "records were written past the store, or anchors were cut off", true)
        }
        return ("anchors: \(claims.count) head(s) of stream \(stream) anchored in the shared chain; the latest, #\(latest.anchor), names its head #\(head.sequence)", false)
    }

    /// The first head named in `claims` that the stream does not hold with that hash, in a sentence.
    private static func mismatch(stream: String, claims: [Int64: (anchor: Int64, hash: String)], _ connection: StoreConnection) throws -> String? {
        let sequences = claims.keys.sorted()
        var start = 0
        while start < sequences.count {
            let page = Array(sequences[start..<min(sequences.count, start + 5000)])
            start += page.count
            var held: [Int64: String] = [:]
            for row in try connection.query("SELECT sequence, hash FROM andon_audit WHERE runtime_id = \(stream) AND sequence = ANY(\(page))") {
                let (sequence, hash) = try row.decode((Int64, String).self)
                held[sequence] = hash
            }
            for sequence in page {
                guard let claim = claims[sequence] else { continue }
                guard let hash = held[sequence] else { continue }
                if hash != claim.hash {
                    return "anchors: anchor #\(claim.anchor) names #\(sequence) of stream \(stream) with another hash: the stream was rewritten"
                }
            }
        }
        return nil
    }

    /// Every anchor in id order, a page at a time: id, wall time, writer, heads, previous hash, hash.
    static func forEachAnchor(_ connection: StoreConnection, _ body: (Int64, String, String, String, String, String) throws -> Void) throws {
        var last: Int64 = 0
        while true {
            let rows = try connection.query("""
                SELECT id, wall_time, written_by, heads, previous_hash, hash FROM andon_anchor WHERE id > \(last) ORDER BY id LIMIT 5000
                """)
            for row in rows {
                let (id, wallTime, writer, heads, previous, hash) = try row.decode((Int64, String, String, String, String, String).self)
                try body(id, wallTime, writer, heads, previous, hash)
                last = id
            }
            if rows.count < 5000 { return }
        }
    }

    /// Verifies the whole store's anchors: the chain of anchors (every id in turn, each chained to the one before,
    /// each hash matching its row), every head they name held by its stream with that hash, and the latest naming
    /// every stream's head exactly.
    public static func verify(address: SharedStoreAddress) throws -> AnchorReport {
        let connection = try StoreConnection.open(address)
        defer { connection.close() }
        try SharedMigrator.checkReadable(connection)
        var report = AnchorReport()
        var expected: Int64 = 1
        var previous = AuditChain.genesisHash
        var claims: [String: [Int64: (anchor: Int64, hash: String)]] = [:]
        var latest: (id: Int64, heads: [String: Head])?
        var broken: String?
        try forEachAnchor(connection) { id, wallTime, writer, heads, previousHash, hash in
            guard broken == nil else { return }
            if id != expected { broken = "anchor #\(expected) is missing (the chain goes on at #\(id))" }
            else if previousHash != previous { broken = "anchor #\(id) does not chain to the anchor before it" }
            else if Self.hash(previousHash: previousHash, id: id, wallTime: wallTime, writer: writer, heads: heads) != hash {
                broken = "anchor #\(id) was modified: its hash does not match its contents"
            }
            let named = Self.heads(heads)
            for (stream, head) in named where claims[stream, default: [:]][head.sequence] == nil {
                claims[stream, default: [:]][head.sequence] = (id, head.hash)
            }
            latest = (id, named)
            previous = hash
            expected = id + 1
        }
        if let broken {
            report.isBroken = true
            report.lines.append("anchors: \(broken)")
            return report
        }
        let streams = try connection.query("SELECT runtime_id FROM andon_stream ORDER BY runtime_id COLLATE \"C\"").map { try $0.decode(String.self) }
        for stream in Set(streams).union(claims.keys).sorted() {
            let head = try SharedAuditStore.readHead(connection, runtimeID: stream)
            if let problem = try mismatch(stream: stream, claims: claims[stream] ?? [:], connection) {
                report.isBroken = true
                report.lines.append(problem)
                continue
            }
            let named = latest?.heads[stream]
            if (named?.sequence ?? 0) != head.sequence || (named.map { $0.hash } ?? AuditChain.genesisHash) != head.hash {
                report.isBroken = true
                let what = (named?.sequence ?? 0) > head.sequence ? "records were cut off its end" : "records were written past the store, or anchors were cut off"
                report.lines.append("anchors: the latest anchor names #\(named?.sequence ?? 0) of stream \(stream), but the stream's head is #\(head.sequence): \(what)")
            }
        }
        if !report.isBroken {
            report.lines.append("anchors: \(expected - 1) in one chain, every one intact; the latest names the head of each of the \(streams.count) stream(s)")
        }
        return report
    }
}
