import AndonWire
import NIOCore
import Synchronization

/// Set by the pipeline once a whole frame has come in on a connection, on the connection's event loop: the hello
/// deadline, which runs on the same loop, asks it, so a client that said hello in time is not dropped because the
/// task that reads its frames had not run yet on a loaded machine.
final class FrameArrival: Sendable {
    private let arrived = Atomic<Bool>(false)
    var hasArrived: Bool { arrived.load(ordering: .acquiring) }
    func note() { arrived.store(true, ordering: .releasing) }
}

/// The service socket's framing in the channel pipeline: a 4-byte big-endian length and a body of at most `limit`
/// bytes. A longer frame is an error that closes the connection before its body is read.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let limit: Int
    /// Told of the first frame, when given.
    var arrival: FrameArrival? = nil

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else { return .needMoreData }
        guard Int(length) <= limit else { throw FrameError.oversize(length: Int(length), limit: limit) }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        let body = buffer.readSlice(length: Int(length))!
        if let arrival {
            arrival.note()
            self.arrival = nil
        }
        context.fireChannelRead(wrapInboundOut(body))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}

extension ByteBuffer {
    /// One frame holding `message`.
    static func frame(_ message: some Encodable) throws -> ByteBuffer {
        ByteBuffer(bytes: try FrameCodec.frame(message))
    }

    /// One frame holding a server's message (a patch written straight from its changes).
    static func frame(_ message: ServerMessage) throws -> ByteBuffer {
        ByteBuffer(bytes: try FrameCodec.frame(message))
    }
}
