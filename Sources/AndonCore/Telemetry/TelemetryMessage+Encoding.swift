extension TelemetryMessage {
    /// The message as one line of the contract (no newline), fields in a fixed order.
    public func jsonLine() -> String {
        var out = "{\"schema\":\(schema),\"source\":\(Self.quoted(source)),\"seq\":\(sequence),\"ts\":\(Self.number(timestamp)),\"cell\":\(Self.quoted(cell))"
        if let state { out += ",\"state\":\(Self.quoted(state))" }
        if let reason { out += ",\"reason\":\(Self.quoted(reason))" }
        if let produced, let scrap { out += ",\"produced\":\(produced),\"scrap\":\(scrap)" }
        if !readings.isEmpty {
            out += ",\"readings\":{"
            for (k, reading) in readings.enumerated() {
                if k > 0 { out += "," }
                out += "\(Self.quoted(reading.sensor)):{\"value\":\(Self.number(reading.value)),\"unit\":\(Self.quoted(reading.unit))}"
            }
            out += "}"
        }
        return out + "}"
    }

    /// The message for a frame of the twin: every sensor with its unit, values to 4 decimals.
    public init(frame: TelemetryFrame, cell: CellSpec, source: String, sequence: UInt64, epoch: Double, reason: StateReason? = nil) {
        let readings = zip(cell.sensors, frame.readings).map { sensor, value in
            TelemetryReading(sensor: sensor.id, value: (value * 10_000).rounded() / 10_000, unit: sensor.unit)
        }
        self.init(source: source, sequence: sequence, timestamp: epoch + frame.sourceTime, cell: frame.cell, readings: readings,
                  produced: frame.produced, scrap: frame.scrap, state: frame.state.rawValue, reason: reason.flatMap { $0 == .none ? nil : $0.rawValue })
    }

    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
