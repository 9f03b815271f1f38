import AndonCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Lines read from a telemetry source, handed from the reading thread to the runtime in one piece: their bytes back
/// to back, and where each ends. An over-long line is kept as its first bytes and the length it had.
public struct TelemetryBlock: Sendable {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []
    private var overlong: [Int: Int] = [:]

    /// An empty block.
    public init() {}

    /// Lines in the block.
    public var count: Int { ends.count }

    /// True when it holds no line.
    public var isEmpty: Bool { ends.isEmpty }

    mutating func append(_ line: UnsafeBufferPointer<UInt8>, overlongLength: Int? = nil) {
        bytes.append(contentsOf: line)
        if let overlongLength { overlong[ends.count] = overlongLength }
        ends.append(bytes.count)
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        overlong.removeAll()
    }

    /// Hands each line's bytes, in order, with the full length of a line that was too long to be read whole.
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, _ overlongLength: Int?) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            var start = 0
            for (i, end) in ends.enumerated() {
                body(UnsafeBufferPointer(rebasing: all[start..<end]), overlong[i])
                start = end
            }
        }
    }
}

/// What the reading thread hands over: lines, or a change of the source's state.
public enum TelemetryChunk: Sendable {
    /// Lines, in input order.
    case lines(TelemetryBlock)
    /// The source changed state (ended, waiting for a FIFO's next writer, reading again); `detail` says why.
    case source(TelemetrySourceState, detail: String)
}

extension LineReader {
    /// Reads `path` (or standard input for `-`) on a thread of its own (reads block) and hands its lines over in
    /// blocks, in order. A FIFO whose writer closes is opened again and read on when the next writer comes; any other
    /// input ends at its end.
    public static func chunks(of path: String, maxLineBytes: Int) -> AsyncStream<TelemetryChunk> {
        let (stream, continuation) = AsyncStream.makeStream(of: TelemetryChunk.self)
        let thread = Thread {
            var descriptor = path == "-" ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                continuation.yield(.source(.failed, detail: "cannot open \(path): \(String(cString: strerror(errno)))"))
                continuation.finish()
                return
            }
            var info = stat()
            let isFIFO = path != "-" && fstat(descriptor, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO
            continuation.yield(.source(.reading, detail: path == "-" ? "standard input" : path))
            while true {
                let ending = read(descriptor, maxLineBytes: maxLineBytes, into: continuation)
                if descriptor != STDIN_FILENO { close(descriptor) }
                switch ending {
                case .endOfInput where isFIFO:
                    continuation.yield(.source(.waitingForWriter, detail: "\(path): the writer closed it"))
                    // Blocks until the next writer opens the FIFO.
                    descriptor = open(path, O_RDONLY | O_CLOEXEC)
                    guard descriptor >= 0 else {
                        continuation.yield(.source(.failed, detail: "cannot open \(path) again: \(String(cString: strerror(errno)))"))
                        continuation.finish()
                        return
                    }
                    continuation.yield(.source(.reading, detail: path))
                case .endOfInput, .stopped:
                    continuation.yield(.source(.ended, detail: "end of \(path == "-" ? "standard input" : path)"))
                    continuation.finish()
                    return
                case let .failed(code):
                    continuation.yield(.source(.failed, detail: "reading \(path) failed: \(String(cString: strerror(code)))"))
                    continuation.finish()
                    return
                }
            }
        }
        thread.name = "andon.telemetry-reader"
        thread.start()
        return stream
    }

    private static func read(_ descriptor: Int32, maxLineBytes: Int, into continuation: AsyncStream<TelemetryChunk>.Continuation) -> Ending {
        let reader = LineReader(fileDescriptor: descriptor, maxLineBytes: maxLineBytes)
        var block = TelemetryBlock()
        let ending = reader.forEachLine({ block.append($0) }, overlong: { block.append($0, overlongLength: $1) }, onBlock: {
            if !block.isEmpty { continuation.yield(.lines(block)) }
            block.removeAll()
            return true
        })
        if !block.isEmpty { continuation.yield(.lines(block)) }
        return ending
    }
}
