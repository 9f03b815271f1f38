import AndonCore
import AndonRuntime
import Foundation

/// Writes the simulator's telemetry in the contract format, so a recording and a real plant's stream have one shape.
///
/// The source is `sim.<plant-id>`, sequence numbers count from 1, and simulated time zero is
/// ``epoch`` (2026-01-05 06:00 UTC, a Monday's first shift).
final class TelemetryRecorder {
    /// Unix time of simulated time zero in recordings.
    static let epoch = 1_767_592_800.0

    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var sequence: UInt64 = 0

    /// Opens (truncating) `path` and taps `engine`'s telemetry; nil with a message on standard error when it cannot.
    init?(path: String, engine: PlantEngine) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            printError("error: cannot write the recording \(path)")
            return nil
        }
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
        let cells = Dictionary(uniqueKeysWithValues: engine.plant.cells.map { ($0.id, $0) })
        let source = "sim.\(engine.plant.id)"
        let twin = engine.twin
        engine.onTelemetry = { [unowned self] frame in
            guard let cell = cells[frame.cell] else { return }
            sequence += 1
            let message = TelemetryMessage(frame: frame, cell: cell, source: source, sequence: sequence, epoch: Self.epoch,
                                           reason: twin.reason(of: frame.cell))
            buffer.append(contentsOf: message.jsonLine().utf8)
            buffer.append(0x0A)
            if buffer.count >= 1 << 20 { flush() }
        }
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file.
    func close() {
        flush()
        try? handle.close()
    }
}
