#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads newline-separated lines from a file descriptor in large blocks, handing each line's bytes to a closure
/// without copying them; a line longer than the limit is handed over as a prefix with its full length.
public struct LineReader {
    /// The descriptor read (not closed by the reader).
    public let fileDescriptor: Int32
    /// Longest line handed over whole, bytes.
    public let maxLineBytes: Int
    private let blockSize: Int

    /// Creates a reader.
    public init(fileDescriptor: Int32, maxLineBytes: Int = 64 * 1024, blockSize: Int = 1 << 20) {
        self.fileDescriptor = fileDescriptor
        self.maxLineBytes = maxLineBytes
        self.blockSize = max(blockSize, maxLineBytes + 1)
    }

    /// What a read ended with.
    public enum Ending: Equatable, Sendable {
        /// End of input.
        case endOfInput
        /// A read failed with this errno.
        case failed(Int32)
        /// `onBlock` asked to stop.
        case stopped
    }

    /// Reads to the end of input. `line` gets each complete line (and a last line without a newline);
    /// `overlong` gets the first `maxLineBytes` of a longer line and its length; `onBlock` runs after each block
    /// read, and every quarter second while the input is silent, and returns false to stop.
    @discardableResult
    public func forEachLine(_ line: (UnsafeBufferPointer<UInt8>) -> Void, overlong: (UnsafeBufferPointer<UInt8>, Int) -> Void,
                            onBlock: () -> Bool = { true }) -> Ending {
        let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: blockSize)
        defer { buffer.deallocate() }
        var filled = 0
        var skipping = 0 // > 0 while discarding the rest of an overlong line: bytes seen so far
        while true {
            // Wait for input a quarter second at a time, so the owner can stop a run whose input is silent (a signal
            // may land on another thread and leave a blocking read asleep).
            var ready = pollfd(fd: fileDescriptor, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, 250)
            if polled == 0 || (polled < 0 && errno == EINTR) {
                if !onBlock() { return .stopped }
                continue
            }
            let n = read(fileDescriptor, buffer.baseAddress! + filled, blockSize - filled)
            if n < 0 {
                let code = errno
                guard code == EINTR else { return .failed(code) }
                // A signal interrupted the read: the owner may want to stop (SIGTERM) rather than wait for more input.
                if !onBlock() { return .stopped }
                continue
            }
            if n == 0 {
                if skipping == 0, filled > 0 {
                    line(UnsafeBufferPointer(rebasing: buffer[0..<filled]))
                }
                return .endOfInput
            }
            let end = filled + n
            var start = 0
            var scan = filled
            while let newline = Self.index(of: 0x0A, in: buffer, from: scan, to: end) {
                if skipping > 0 {
                    skipping = 0
                } else {
                    var stop = newline
                    if stop > start, buffer[stop - 1] == 0x0D { stop -= 1 }
                    line(UnsafeBufferPointer(rebasing: buffer[start..<stop]))
                }
                start = newline + 1
                scan = start
            }
            let rest = end - start
            if skipping > 0 {
                skipping += rest
                filled = 0
            } else if rest > maxLineBytes {
                overlong(UnsafeBufferPointer(rebasing: buffer[start..<start + maxLineBytes]), rest)
                skipping = rest
                filled = 0
            } else {
                if start > 0, rest > 0 {
                    UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: buffer.baseAddress! + start, byteCount: rest)
                }
                filled = rest
            }
            if !onBlock() { return .stopped }
        }
    }

    private static func index(of byte: UInt8, in buffer: UnsafeMutableBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let found = memchr(buffer.baseAddress! + from, Int32(byte), to - from) else { return nil }
        return buffer.baseAddress!.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}
