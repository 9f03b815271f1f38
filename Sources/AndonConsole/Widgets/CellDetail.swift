import AndonCore

/// Level 2 for one cell: figures, sensors against limits with sparklines, state timeline, recent proposals and decisions.
struct CellDetail {
    let context: FrameContext
    let cell: CellSnapshot

    /// The lines for a view `width` columns wide.
    func text(width: Int) -> DetailText {
        let glyphs = context.glyphs
        var text = DetailText()
        text.add(Segment(cell.id + "  ", .title), Segment(cell.name + "  "), Segment("line \(cell.line) · \(cell.kind)  ", .muted),
                 Segment(glyphs.glyph(for: cell.status) + " " + cell.status.rawValue, .status(cell.status)),
                 Segment(cell.reason == .none ? "" : " (\(cell.reason.rawValue))", .muted),
                 Segment("  PackML \(cell.state.rawValue)", .muted))
        let oee = cell.shiftOEE
        var figures = [Segment("OEE ", .muted), Segment(Format.oee(oee))]
        if oee.isSettled {
            figures.append(Segment("  A \(Format.percent(oee.availability)) P \(Format.percent(oee.performance)) Q \(Format.percent(oee.quality))", .muted))
        } else {
            figures.append(Segment("  (shown after \(Format.age(OEE.settlingSeconds(idealCycle: oee.idealCycleSeconds))) of the shift; \(Format.age(oee.plannedSeconds)) so far)", .muted))
        }
        if cell.isStale, oee.isSettled { figures.append(Segment("  last known: data stale", .status(.stale))) }
        text.lines.append(figures + [Segment("  rolling ", .muted), Segment(Format.oee(cell.rollingOEE)),
                 Segment("  parts ", .muted), Segment("\(cell.produced) (\(cell.good) good, \(cell.scrap) scrap)"),
                 Segment("  speed ", .muted), Segment("\(Int(cell.speedPercent.rounded()))%")])
        if let line = context.snapshot.lines.first(where: { $0.id == cell.line }) {
            let figures = line.shiftOEE.isSettled
                ? " (A \(Format.percent(line.shiftOEE.availability)) P \(Format.percent(line.shiftOEE.performance)) Q \(Format.percent(line.shiftOEE.quality)))" : ""
            text.add(Segment("line \(line.name) OEE ", .muted), Segment(Format.oee(line.shiftOEE)), Segment(figures, .muted),
                     Segment("  (how it is counted: at the end)", .muted))
        }
        // What A will acknowledge, in the words its answer uses.
        let toAcknowledge = cell.alarms.count(where: { $0.state.needsAcknowledgement })
        let inView = "  \(cell.activeAlarms) in view, \(toAcknowledge) to acknowledge (A)"
        if let alarm = cell.topAlarm, alarm.state.isAnnunciated {
            text.add(Segment(glyphs.alarmMark(alarm.priority) + " " + alarm.message, .alarm(alarm.priority)),
                     Segment("  \(alarm.tag) \(alarm.state.word) since \(Format.clock(alarm.since))", .muted),
                     Segment(inView, .muted))
        } else {
            text.add(Segment("no alarm in view", .muted))
        }
        text.add(Segment("data age ", .muted), Segment(Format.age(cell.dataAge), cell.isStale ? .status(.stale) : .text),
                 Segment(cell.isStale ? "  STALE: readings are old" : "", .status(.stale)))

        if !cell.alarms.isEmpty {
            text.heading("Alarms (L lists every alarm of the plant)")
            for alarm in cell.alarms.sorted(by: PlantAlarms.precedes) {
                text.lines.append(AlarmText.row(alarm, now: context.snapshot.time, glyphs: glyphs, showCell: false))
            }
        }

        text.heading("Sensors")
        // A sensor line is 76 columns before its sparkline: one that would not fit whole is left out, not wrapped.
        let room = width - 77
        let sparkWidth = room >= 6 ? min(30, room) : 0
        for sensor in cell.sensors { text.lines.append(sensorLine(sensor, sparkWidth: sparkWidth)) }
        if cell.sensors.isEmpty { text.add(Segment("  no sensors", .muted)) }

        text.heading("State timeline (newest last)")
        for span in cell.timeline.suffix(8) {
            let status = CellStatus(state: span.state, reason: span.reason)
            text.add(Segment("  " + Format.clock(span.since) + "  ", .muted),
                     Segment(glyphs.glyph(for: status) + " " + span.state.rawValue, .status(status)),
                     Segment(span.reason == .none ? "" : " (\(span.reason.rawValue))", .muted))
        }
        if cell.timeline.isEmpty { text.add(Segment("  no state changes yet", .muted)) }

        text.heading("Recent proposals and decisions")
        let related = context.state.events.about(cell: cell.id, limit: 200).filter {
            switch $0.body {
            case .proposal, .decision, .approval, .action, .operatorCommand: true
            default: false
            }
        }
        for event in related.prefix(10) { text.lines.append(EventText.segments(event, glyphs: glyphs)) }
        if related.isEmpty { text.add(Segment("  none in the recent event log", .muted)) }

        text.heading("How OEE is counted")
        text.wrapped(OEEDefinition.text, width: width, role: .muted)
        return text
    }

    private func sensorLine(_ sensor: SensorReading, sparkWidth: Int) -> [Segment] {
        let limits = sensor.limits
        var role: StyleRole = .text
        var mark = ""
        if let trip = limits.trip, sensor.value >= trip { role = .alarm(1); mark = " TRIP" }
        else if let high = limits.highAlarm, sensor.value >= high { role = .alarm(2); mark = " HI" }
        else if let low = limits.lowAlarm, sensor.value <= low { role = .alarm(2); mark = " LO" }
        else if let warn = limits.highWarn, sensor.value >= warn { role = .alarm(3); mark = " WARN" }
        var limitText: [String] = []
        if let low = limits.lowAlarm { limitText.append("lo \(Format.value(low))") }
        if let warn = limits.highWarn { limitText.append("warn \(Format.value(warn))") }
        if let high = limits.highAlarm { limitText.append("hi \(Format.value(high))") }
        if let trip = limits.trip { limitText.append("trip \(Format.value(trip))") }
        var segments = [
            Segment("  " + DisplayWidth.pad(sensor.id, to: 20)),
            Segment(DisplayWidth.pad(Format.value(sensor.value), to: 7, alignRight: true) + " " + DisplayWidth.pad(sensor.kind.unit, to: 5), role),
            Segment(DisplayWidth.pad(mark, to: 6), role),
            Segment(DisplayWidth.pad("nom \(Format.value(sensor.nominal))  " + limitText.joined(separator: " "), to: 34), .muted),
        ]
        if sparkWidth > 0, !sensor.history.isEmpty {
            let values = sensor.history.map(Double.init)
            // Scaled from the lowest reading to the alarm limit, so a climb towards the limit shows.
            let floor = min(values.min() ?? 0, sensor.nominal)
            let ceiling = max(limits.highAlarm ?? limits.trip ?? values.max() ?? 1, values.max() ?? 1)
            segments.append(Segment(" " + context.glyphs.sparkline(values, width: sparkWidth, floor: floor, ceiling: ceiling), role))
        }
        return segments
    }
}
