import Foundation

/// The telemetry contract compiled against one plant, for reading a line straight into plant indices: cell ids
/// interned, each cell's sensor ids and units as bytes beside their physical ranges, PackML state and reason names.
struct TelemetryContract: Sendable {
    /// One sensor of a cell as a line names it.
    struct Sensor: Sendable {
        let id: [UInt8]
        let unit: [UInt8]
        let range: ClosedRange<Double>
    }

    /// Cell ids; a number is turned into the cell's plant index through ``cellIndices``.
    let cells: ByteInterner
    let cellIndices: [Int]
    /// Each cell's sensors, by plant index, in the cell's order.
    let sensors: [[Sensor]]
    /// PackML state names, numbered in `PackMLState.allCases` order.
    let states: ByteInterner
    /// State reason names, numbered in ``reasonCases`` order.
    let reasons: ByteInterner

    static let stateCases = PackMLState.allCases
    static let reasonCases: [StateReason] = [.none, .starved, .blocked, .fault, .qualityHold, .interlock, .recalibration, .breakdown,
                                             .maintenance, .command]

    init(plant: PlantSpec) {
        var cells = ByteInterner(capacity: plant.cells.count)
        var cellIndices: [Int] = []
        for (index, cell) in plant.cells.enumerated() where cells.index(of: cell.id) == nil {
            _ = cells.intern(cell.id)
            cellIndices.append(index)
        }
        self.cells = cells
        self.cellIndices = cellIndices
        sensors = plant.cells.map { cell in
            cell.sensors.map { Sensor(id: Array($0.id.utf8), unit: Array($0.kind.unit.utf8), range: $0.kind.physicalRange) }
        }
        var states = ByteInterner()
        for state in Self.stateCases { _ = states.intern(state.rawValue) }
        self.states = states
        var reasons = ByteInterner()
        for reason in Self.reasonCases { _ = reasons.intern(reason.rawValue) }
        self.reasons = reasons
    }

    /// The plant index of the cell named by `bytes`.
    @inline(__always)
    func cell(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        cells.index(of: bytes).map { cellIndices[$0] }
    }

    /// The index among cell `cell`'s sensors of the one named by `bytes`.
    @inline(__always)
    func sensor(_ bytes: UnsafeBufferPointer<UInt8>, of cell: Int) -> Int? {
        let list = sensors[cell]
        for s in list.indices where Self.equal(list[s].id, bytes) { return s }
        return nil
    }

    /// Whether `bytes` spell `known`.
    @inline(__always)
    static func equal(_ known: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard known.count == bytes.count else { return false }
        return known.withUnsafeBufferPointer { $0.count == 0 || memcmp($0.baseAddress!, bytes.baseAddress!, $0.count) == 0 }
    }
}
