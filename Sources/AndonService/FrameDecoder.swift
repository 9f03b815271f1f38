import AndonWire
import NIOCore

/// The service socket's framing in the channel pipeline: a 4-byte big-endian length and a body of at most `limit`
/// bytes. A longer frame is an error that closes the connection before its body is read.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let limit: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else { return .needMoreData }
        guard Int(length) <= limit else { throw FrameError.oversize(length: Int(length), limit: limit) }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        let body = buffer.readSlice(length: Int(length))!
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
}
