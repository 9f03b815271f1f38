import AndonCore
import AndonWire
import Foundation

/// The rule for what a client sends the service: bytes are cut into frames no larger than the limit (a longer one is
/// refused before it is read); every frame decodes to a message or is refused as malformed, and a message taken reads
/// back the same from its own encoding. The same bytes read as a compressed stream open to at most the limit or are
/// refused, and read as a snapshot patch they apply to a document or are refused as a misfit.
enum WireDoor {
    /// The document patches are tried on.
    static let base = JSONValue.object([
        "cells": .array([.object(["id": .string("B1"), "oee": .number(0.8), "history": .array((0..<6).map { .number(Double($0)) })])]),
        "time": .number(12),
    ])

    static func violation(_ bytes: UnsafeRawBufferPointer) -> String? {
        let all = Array(bytes.bindMemory(to: UInt8.self))
        var reader = FrameReader(limit: WireProtocol.maxClientFrame)
        let frames: [[UInt8]]
        do {
            frames = try reader.feed(all)
        } catch {
            guard "\(error)".isEmpty == false else { return "a refused frame without a reason" }
            return nil
        }
        for frame in frames {
            guard frame.count <= WireProtocol.maxClientFrame else { return "a frame of \(frame.count) bytes passed the limit" }
            guard let message = try? FrameCodec.decode(ClientMessage.self, from: frame) else { continue }
            guard let encoded = try? FrameCodec.frame(message) else { return "taken, but \(message) cannot be encoded" }
            guard let again = try? FrameCodec.decode(ClientMessage.self, from: encoded.dropFirst(4)), again == message else {
                return "taken, but its encoding does not read back the same"
            }
        }
        if let inflater = try? InflateStream() {
            if let opened = try? inflater.decompress(all, limit: 1 << 20), opened.count > 1 << 20 {
                return "a compressed stream opened past its limit"
            }
        }
        // The same bytes as a server's message, read as a console reads it: through the tree, and the tree's text reads
        // back as the same tree.
        if let tree = try? JSONText.read(all) {
            var text: [UInt8] = []
            JSONText.write(tree, into: &text)
            guard (try? JSONText.read(text)) == tree else { return "a JSON tree's own text does not read back the same" }
            if let message = try? FrameCodec.decode(ServerMessage.self, from: all), case .patch = message {
                guard let framed = try? FrameCodec.frame(message),
                      case .patch? = try? FrameCodec.decode(ServerMessage.self, from: framed.dropFirst(4)) else {
                    return "a patch message taken does not read back from its own frame"
                }
            }
        }
        if let patch = try? JSONDecoder().decode(SnapshotPatch.self, from: Data(all)), let applied = try? patch.applied(to: base) {
            let again = SnapshotPatch.between(base, applied)
            guard (try? again.applied(to: base)) == applied else { return "a patch's result is not what the diff of it gives" }
        }
        return nil
    }
}
