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
        let standing = BudgetStanding(agent)
        let role = standing.role
        func cell(_ seconds: Double) -> String { DisplayWidth.pad(Format.latency(seconds), to: 6, alignRight: true) }
        var segments = [
            Segment(" " + Format.id(agent.id, to: 14), agent.mode == .active ? .text : .muted),
            Segment(cell(agent.p50)), Segment(cell(agent.p99), role), Segment(cell(agent.max)),
            Segment(cell(budget), .muted),
            Segment(DisplayWidth.pad(agent.breaches > 0 ? String(agent.breaches) : "-", to: 6, alignRight: true), role),
        ]
        if sparkWidth > 0 {
            let ceiling = max(budget, agent.recentP99.max() ?? budget)
            segments.append(Segment(" " + context.glyphs.sparkline(agent.recentP99, width: sparkWidth, floor: 0, ceiling: ceiling), role))
        }
        if standing == .chronic { segments.append(Segment(" chronic", .muted)) }
        if agent.isSimulated { segments.append(Segment(" sim", .muted)) }
        // An agent outside the runtime: its latency is request read to answer written, over the service socket.
        if agent.kind == .external { segments.append(Segment(" outside", .muted)) }
        if agent.mode != .active { segments.append(Segment(" " + agent.mode.rawValue, .muted)) }
        return segments
    }
}

/// How an agent stands against its latency budget. Alarm colour is for a breach happening now; a chronic one (over
/// budget in most recent intervals) is a known condition, shown calmly as a count, so it does not teach people to
/// ignore the colour; breaches long past are a muted count.
enum BudgetStanding: Hashable {
    /// Well inside.
    case within
    /// Within, but its last p99 above 80% of the budget.
    case close
    /// Its last interval's p99 over budget.
    case breachingNow
    /// Over budget in at least half of the last 12 intervals (and at least 6 of them).
    case chronic
    /// Breached before, within now.
    case breachedBefore

    /// How `agent` stands now.
    init(_ agent: AgentSnapshot) {
        let budget = agent.budgetSeconds
        let recent = agent.recentP99.suffix(12)
        let over = recent.count(where: { $0 > budget })
        let last = agent.recentP99.last ?? agent.p99
        if over >= 6 && over * 2 >= recent.count {
            self = .chronic
        } else if last > budget {
            self = .breachingNow
        } else if agent.breaches > 0 {
            self = .breachedBefore
        } else {
            self = last > budget * 0.8 ? .close : .within
        }
    }

    /// The style of the figures.
    var role: StyleRole {
        switch self {
        case .within: .budgetOK
        case .close: .budgetWarn
        case .breachingNow: .budgetBreach
        case .chronic: .text
        case .breachedBefore: .muted
        }
    }
}
