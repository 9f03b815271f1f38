import AndonRuntime
import Foundation

/// Reads telemetry lines on a thread of their own (reads block) and hands them on in batches, in order.
enum TelemetryBatches {
    /// Starts the reader; the stream ends at the end of input.
    static func read(fileDescriptor: Int32, maxLineBytes: Int) -> AsyncStream<[String]> {
        let (stream, continuation) = AsyncStream.makeStream(of: [String].self)
        let thread = Thread {
            let reader = LineReader(fileDescriptor: fileDescriptor, maxLineBytes: maxLineBytes)
            var batch: [String] = []
            // An overlong line is passed on as its prefix padded past the limit, so the ingest refuses it as too_long.
            reader.forEachLine({ batch.append(String(decoding: $0, as: UTF8.self)) },
                               overlong: { prefix, _ in batch.append(String(decoding: prefix, as: UTF8.self) + String(repeating: " ", count: maxLineBytes)) },
                               onBlock: {
                                   if !batch.isEmpty { continuation.yield(batch) }
                                   batch.removeAll(keepingCapacity: true)
                                   return true
                               })
            if !batch.isEmpty { continuation.yield(batch) }
            continuation.finish()
        }
        thread.name = "andon.telemetry-reader"
        thread.start()
        return stream
    }
}

/// The reject file, handed to the runtime's actor, which alone writes to it.
final class RejectFileBox: @unchecked Sendable {
    let file: RejectFile
    init(_ file: RejectFile) { self.file = file }
}
