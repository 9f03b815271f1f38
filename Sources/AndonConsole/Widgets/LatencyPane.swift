import AndonCore

/// Per agent decision latency against its budget, with a sparkline of recent p99s.
struct LatencyPane {
    let context: FrameContext

    /// Draws into the inside of a pane; returns the rows shown.
    func draw(into canvas: inout Canvas, in rect: Rect) -> Int {
        guard rect.height > 0 else { return 0 }
        let agents = context.snapshot.agents
        if agents.isEmpty {
            canvas.write("no agents", .muted, row: 0, in: rect)
            return rect.height
        }
        canvas.write([Segment(DisplayWidth.pad(" agent", to: 15) + "   p50   p99   max budget  over", .heading)], row: 0, in: rect)
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        let (position, selectedRow) = context.selection(.latency, count: agents.count, height: body.height)
        let sparkWidth = max(0, min(16, rect.width - 54))
        let shown = min(body.height, agents.count - position.top)
        // Only the rows up to the last one shown are put in order.
        let order = context.state.memo.agentsWorstFirst(of: context.snapshot, first: position.top + shown)
        for line in 0..<shown {
            let index = position.top + line
            canvas.write(row(agents[order[index]], sparkWidth: sparkWidth), row: line, in: body,
                         selected: index == selectedRow && context.isFocused(.latency))
        }
        MoreMarker.draw(above: position.top, below: agents.count - position.top - body.height, alarms: nil, into: &canvas, in: body)
        return body.height
    }

    private func row(_ agent: AgentSnapshot, sparkWidth: Int) -> [Segment] {
        let budget = agent.budgetSeconds
        let role: StyleRole = agent.breaches > 0 || agent.p99 > budget ? .budgetBreach : agent.p99 > budget * 0.8 ? .budgetWarn : .budgetOK
        func cell(_ seconds: Double) -> String { DisplayWidth.pad(Format.latency(seconds), to: 6, alignRight: true) }
        var segments = [
            Segment(" " + DisplayWidth.pad(agent.id, to: 14), agent.mode == .active ? .text : .muted),
            Segment(cell(agent.p50)), Segment(cell(agent.p99), role), Segment(cell(agent.max)),
            Segment(cell(budget), .muted),
            Segment(DisplayWidth.pad(agent.breaches > 0 ? String(agent.breaches) : "-", to: 6, alignRight: true), role),
        ]
        if sparkWidth > 0 {
            let ceiling = max(budget, agent.recentP99.max() ?? budget)
            segments.append(Segment(" " + context.glyphs.sparkline(agent.recentP99, width: sparkWidth, floor: 0, ceiling: ceiling), role))
        }
        if agent.isSimulated { segments.append(Segment(" sim", .muted)) }
        if agent.mode != .active { segments.append(Segment(" " + agent.mode.rawValue, .muted)) }
        return segments
    }
}
