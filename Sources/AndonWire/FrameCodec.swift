import Foundation

/// Frames on the service socket: a 4-byte big-endian length, then that many bytes of one JSON message. A frame
/// longer than the receiver's limit, or a length that cannot be a frame, ends the connection; it never grows a buffer.
public enum FrameCodec {
    /// The bytes of one frame holding `message`.
    public static func frame(_ message: some Encodable) throws -> [UInt8] {
        try framed(message)
    }

    private static func framed(_ message: some Encodable) throws -> [UInt8] {
        let body = try encoder.encode(message)
        return frame { bytes in
            bytes.reserveCapacity(body.count + 4)
            bytes += body
        }
    }

    /// A frame whose body `write` appends: its length is put in front once the body is written.
    private static func frame(_ write: (inout [UInt8]) -> Void) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 4)
        write(&bytes)
        let length = UInt32(bytes.count - 4)
        bytes.replaceSubrange(0..<4, with: [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
        return bytes
    }

    /// The bytes of one frame holding a server's message: a snapshot patch written straight from its changes (see
    /// ``JSONText``), anything else as `JSONEncoder` writes it.
    public static func frame(_ message: ServerMessage) throws -> [UInt8] {
        guard case let .patch(number, base, patch) = message else { return try framed(message) }
        return frame { bytes in
            bytes += #"{"patch":{"number":"#.utf8
            bytes += String(number).utf8
            bytes += #","base":"#.utf8
            bytes += String(base).utf8
            bytes += #","_2":{"changes":["#.utf8
            for (i, change) in patch.changes.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                bytes += #"{"p":["#.utf8
                for (j, step) in change.path.enumerated() {
                    if j > 0 { bytes.append(UInt8(ascii: ",")) }
                    switch step {
                    case let .key(key): JSONText.write(key, into: &bytes)
                    case let .index(index): bytes += String(index).utf8
                    }
                }
                bytes.append(UInt8(ascii: "]"))
                if let value = change.value {
                    bytes += #","v":"#.utf8
                    JSONText.write(value, into: &bytes)
                }
                if let length = change.length {
                    bytes += #","n":"#.utf8
                    bytes += String(length).utf8
                }
                if let drop = change.drop {
                    bytes += #","d":"#.utf8
                    bytes += String(drop).utf8
                }
                if let append = change.append {
                    bytes += #","a":"#.utf8
                    JSONText.write(.array(append), into: &bytes)
                }
                bytes.append(UInt8(ascii: "}"))
            }
            bytes += "]}}}".utf8
        }
    }

    /// The frame of `ServerMessage.snapshot(number:_:)` written from the snapshot's document (``SnapshotDocument/json``):
    /// what `JSONEncoder` writes of the snapshot, its fractions cut as the document's are.
    public static func snapshotFrame(number: UInt64, document json: JSONValue) -> [UInt8] {
        frame { bytes in
            bytes += #"{"snapshot":{"number":"#.utf8
            bytes += String(number).utf8
            bytes += #","_1":"#.utf8
            JSONText.write(json, into: &bytes)
            bytes += "}}".utf8
        }
    }

    /// The server's message a frame's body holds, read through its tree (``JSONText``): a patch's changes straight
    /// from it, any other message as `JSONDecoder` would read it.
    public static func decode(_ type: ServerMessage.Type, from body: some Collection<UInt8>) throws(FrameError) -> ServerMessage {
        let tree: JSONValue
        do {
            tree = try JSONText.read(body)
        } catch {
            throw FrameError.malformed("not a ServerMessage message: \(error)")
        }
        if case let .object(top) = tree, top.count == 1, case let .object(members)? = top["patch"] {
            guard let number = UInt64(exactly: members["number"]?.number ?? -1), let base = UInt64(exactly: members["base"]?.number ?? -1),
                  case let .object(inner)? = members["_2"], case let .array(changes)? = inner["changes"] else {
                throw FrameError.malformed("not a ServerMessage message: a patch without its number, base or changes")
            }
            var patch = SnapshotPatch(changes: [])
            patch.changes.reserveCapacity(changes.count)
            for change in changes {
                guard let read = SnapshotPatch.Change(tree: change) else {
                    throw FrameError.malformed("not a ServerMessage message: a change that is not one")
                }
                patch.changes.append(read)
            }
            return .patch(number: number, base: base, patch)
        }
        do {
            return try JSONValueDecoder.decode(ServerMessage.self, from: tree)
        } catch {
            throw FrameError.malformed("not a ServerMessage message: \(error)")
        }
    }

    /// The message a frame's body holds.
    public static func decode<Message: Decodable>(_ type: Message.Type, from body: some Collection<UInt8>) throws(FrameError) -> Message {
        do {
            return try JSONDecoder().decode(type, from: Data(body))
        } catch {
            throw FrameError.malformed("not a \(Message.self) message: \(error)")
        }
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()
}

/// Why a peer's bytes were refused.
public enum FrameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A frame longer than the limit.
    case oversize(length: Int, limit: Int)
    /// A frame whose bytes are not a message.
    case malformed(String)

    /// In words.
    public var description: String {
        switch self {
        case let .oversize(length, limit): "a frame of \(length) bytes (at most \(limit))"
        case let .malformed(why): "a malformed frame: \(why)"
        }
    }
}

/// Splits a byte stream into frame bodies, as a small state machine: feed it what arrives, take the complete bodies.
public struct FrameReader: Sendable {
    /// Longest body accepted.
    public let limit: Int
    private var buffer: [UInt8] = []
    private var start = 0

    /// A reader refusing bodies longer than `limit`.
    public init(limit: Int) {
        self.limit = limit
    }

    /// Takes `bytes` and returns the bodies now complete, in order; throws on a body longer than the limit (before
    /// reading it).
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(FrameError) -> [[UInt8]] {
        buffer.append(contentsOf: bytes)
        var bodies: [[UInt8]] = []
        while buffer.count - start >= 4 {
            let length = Int(buffer[start]) << 24 | Int(buffer[start + 1]) << 16 | Int(buffer[start + 2]) << 8 | Int(buffer[start + 3])
            guard length <= limit else { throw FrameError.oversize(length: length, limit: limit) }
            guard buffer.count - start - 4 >= length else { break }
            bodies.append(Array(buffer[(start + 4)..<(start + 4 + length)]))
            start += 4 + length
        }
        if start > 0, start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
        return bodies
    }

    /// Bytes held of a frame not yet complete.
    public var pending: Int { buffer.count - start }
}
