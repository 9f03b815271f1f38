import CZlib

/// One direction of a compressed connection: a raw deflate stream (RFC 1951) that keeps its window from one message
/// to the next, flushed at the end of each, so that what repeats from one snapshot patch to the next (keys, paths,
/// names) costs a few bits. A session has one for its whole life; it is used by one task at a time.
public final class DeflateStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output = [UInt8](repeating: 0, count: 32 * 1024)

    /// A compressor (zlib level 6, a 32 KiB window).
    public init() throws(DeflateError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(stream, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw DeflateError.failed(status)
        }
    }

    /// `input` compressed and flushed, so the other side can read it whole before the next message.
    public func compress(_ input: some Collection<UInt8>) -> [UInt8] {
        var bytes = Array(input)
        var result: [UInt8] = []
        bytes.withUnsafeMutableBufferPointer { source in
            stream.pointee.next_in = source.baseAddress
            stream.pointee.avail_in = UInt32(source.count)
            repeat {
                output.withUnsafeMutableBufferPointer { chunk in
                    stream.pointee.next_out = chunk.baseAddress
                    stream.pointee.avail_out = UInt32(chunk.count)
                    _ = deflate(stream, Z_SYNC_FLUSH)
                    result += chunk[0..<(chunk.count - Int(stream.pointee.avail_out))]
                }
            } while stream.pointee.avail_out == 0
        }
        return result
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
    }
}

/// The reading side of a ``DeflateStream``.
public final class InflateStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output = [UInt8](repeating: 0, count: 64 * 1024)

    /// A decompressor.
    public init() throws(DeflateError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw DeflateError.failed(status)
        }
    }

    /// One message, decompressed; throws when the bytes are not a deflate stream or the message would pass `limit`.
    public func decompress(_ input: some Collection<UInt8>, limit: Int) throws(DeflateError) -> [UInt8] {
        var bytes = Array(input)
        var result: [UInt8] = []
        var failure: DeflateError?
        bytes.withUnsafeMutableBufferPointer { source in
            stream.pointee.next_in = source.baseAddress
            stream.pointee.avail_in = UInt32(source.count)
            repeat {
                output.withUnsafeMutableBufferPointer { chunk in
                    stream.pointee.next_out = chunk.baseAddress
                    stream.pointee.avail_out = UInt32(chunk.count)
                    let status = inflate(stream, Z_SYNC_FLUSH)
                    if status != Z_OK && status != Z_BUF_ERROR && status != Z_STREAM_END { failure = .failed(status) }
                    result += chunk[0..<(chunk.count - Int(stream.pointee.avail_out))]
                }
                if result.count > limit { failure = .tooLarge(limit: limit) }
            } while failure == nil && stream.pointee.avail_out == 0
        }
        if let failure { throw failure }
        return result
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }
}

/// Why a compressed stream failed.
public enum DeflateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// zlib said no (its status).
    case failed(Int32)
    /// A message decompressed past the frame limit.
    case tooLarge(limit: Int)

    public var description: String {
        switch self {
        case let .failed(status): "a compressed frame could not be read (zlib \(status))"
        case let .tooLarge(limit): "a compressed frame opens to more than \(limit) bytes"
        }
    }
}
