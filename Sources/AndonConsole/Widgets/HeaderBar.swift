import AndonCore

/// The top row: plant, clocks, operator, policy, LIVE/PAUSED, audit health, and always the plant's abnormal summary
/// (alarms by priority, unacknowledged, rate, stale and down cells, the nearest approval deadline), on a row of its
/// own when the terminal is narrow; and a banner row when something is wrong.
struct HeaderBar {
    let context: FrameContext

    /// Rows needed at `width`: one, or two when the abnormal summary needs a row of its own; plus one for banners.
    func height(width: Int) -> Int { (summaryHasOwnRow(width) ? 2 : 1) + (banners.isEmpty ? 0 : 1) }

    private func summaryHasOwnRow(_ columns: Int) -> Bool {
        width(groups.filter { $0.priority == 0 }) + 2 + width([(0, summary)]) > columns
    }

    /// Draws into `rect` (one to three rows).
    func draw(into canvas: inout Canvas, in rect: Rect) {
        let ownRow = summaryHasOwnRow(rect.width)
        // Groups in screen order with a priority (0 is kept longest); the least important go first when narrow.
        var groups = self.groups
        let room = ownRow ? rect.width : rect.width - 2 - width([(0, summary)])
        while groups.count > 1, width(groups) > room, let drop = groups.indices.max(by: { groups[$0].priority < groups[$1].priority }),
              groups[drop].priority > 0 {
            groups.remove(at: drop)
        }
        if !ownRow { groups.append((0, summary)) }
        canvas.write(Array(groups.map(\.segments).joined(separator: [Segment("  ")])), row: 0, in: rect)
        if ownRow, rect.height > 1 { canvas.write(summary, row: 1, in: rect) }
        let bannerRow = ownRow ? 2 : 1
        if rect.height > bannerRow, !banners.isEmpty {
            canvas.fill(Rect(x: rect.x, y: rect.y + bannerRow, width: rect.width, height: 1), style: CellStyle(banners[0].role))
            var column = 0
            for banner in banners {
                column = canvas.write([Segment(" " + banner.text + " ", banner.role)], row: bannerRow, in: rect, column: column) + 1
            }
        }
    }

    /// What is abnormal in the plant now, from the live plant even while the view is frozen: alarms in view by
    /// priority, unacknowledged, shelved, the ISA-18.2 rate (FLOOD above 10 in 10 minutes), chattering points, stale
    /// and down cells, and the nearest approval deadline.
    var summary: [Segment] {
        let live = context.live
        let alarms = context.state.memo.alarms(of: live)
        var parts: [[Segment]] = []
        if alarms.inViewCount == 0 {
            parts.append([Segment("no alarms", .muted)])
        } else {
            var marks: [Segment] = []
            for priority in 1...4 where alarms.inView[priority - 1] > 0 {
                if !marks.isEmpty { marks.append(Segment(" ")) }
                marks.append(Segment("\(context.glyphs.alarmMark(priority)) \(alarms.inView[priority - 1])", .alarm(priority)))
            }
            parts.append(marks)
        }
        // Most urgent first, so a narrow terminal cuts the least important.
        if alarms.unacknowledged > 0 { parts.append([Segment("unack \(alarms.unacknowledged)", .title)]) }
        if let next = context.state.memo.pendingApprovals(of: live).min(by: { $0.deadline < $1.deadline }) {
            let left = next.deadline - live.time
            parts.append([Segment("next ", .muted), Segment(Format.countdown(left), left < 30 ? .outcomeRefused : .text),
                          Segment(" " + next.proposal.target, .muted)])
        }
        if alarms.downCells > 0 { parts.append([Segment("down \(alarms.downCells)", .status(.held))]) }
        if alarms.staleCells > 0 { parts.append([Segment("stale \(alarms.staleCells)", .status(.stale))]) }
        parts.append(alarms.isFlood ? [Segment("FLOOD \(alarms.rate)/10m", .outcomeRefused)] : [Segment("\(alarms.rate)/10m", .muted)])
        if alarms.chattering > 0 { parts.append([Segment("chattering \(alarms.chattering)")]) }
        if alarms.shelved > 0 { parts.append([Segment("shelved \(alarms.shelved)", .muted)]) }
        return Array(parts.joined(separator: [Segment(" · ", .muted)]))
    }

    private var groups: [(priority: Int, segments: [Segment])] {
        let snapshot = context.live, state = context.state
        let shift = snapshot.shiftSeconds > 0 ? snapshot.time.truncatingRemainder(dividingBy: snapshot.shiftSeconds) : snapshot.time
        let liveness: Segment = if state.isFrozen {
            Segment("FROZEN", .banner)
        } else if snapshot.isPaused {
            Segment("PAUSED", .outcomeRefused)
        } else {
            Segment("LIVE", .muted)
        }
        var groups: [(priority: Int, segments: [Segment])] = [
            (0, [Segment(snapshot.plantName, .title)]),
            (0, [Segment(Format.clock(snapshot.time))]),
            (2, [Segment("shift ", .muted), Segment(Format.clock(shift)), Segment("/" + Format.clock(snapshot.shiftSeconds), .muted)]),
            (0, state.person.isClaimed
                ? [Segment(state.person.name, .title), Segment(" (\(state.person.role.rawValue), ", .muted), Segment("claimed", .banner), Segment(")", .muted)]
                : [Segment(state.person.name, .title), Segment(" (\(state.person.role.rawValue))", .muted)]),
            (0, [liveness]),
            (0, [snapshot.audit.isHealthy ? Segment("audit ok", .muted) : Segment("AUDIT DOWN", .auditFailing)]),
        ]
        if let runtimes = snapshot.runtimes {
            // A plant-wide console: each runtime's link and its own health, never dropped.
            groups.insert((0, RuntimeText.header(runtimes)), at: 4)
        } else if let connection = snapshot.connection {
            // A console attached to a served runtime: which one, and how it knows who this is; down, nothing is decidable.
            groups.insert((connection.isConnected ? 1 : 0, [connection.isConnected ? Segment("attached", .muted) : Segment("DISCONNECTED", .auditFailing),
                                                            Segment(" " + connection.runtime, .muted)]), at: 4)
        } else if let note = state.identityNote, !state.person.isClaimed {
            groups.insert((1, [Segment(note, .banner)]), at: 4)
        }
        if snapshot.telemetryRejects > 0 { groups.append((1, [Segment("telemetry rejects \(snapshot.telemetryRejects)", .queueFull)])) }
        if let version = snapshot.policyVersion { groups.append((3, [Segment("policy ", .muted), Segment(version)])) }
        return groups
    }

    private func width(_ groups: [(priority: Int, segments: [Segment])]) -> Int {
        guard !groups.isEmpty else { return 0 }
        return groups.reduce(0) { $0 + $1.segments.reduce(0) { $0 + DisplayWidth.of($1.text) } } + 2 * max(0, groups.count - 1)
    }


    /// Things that must not be missed: kill switch, failing audit store, failed policy reload.
    var banners: [Segment] {
        let snapshot = context.live
        var result: [Segment] = []
        if let connection = snapshot.connection, !connection.isConnected {
            result.append(Segment("DISCONNECTED from \(connection.runtime): \(connection.problem ?? "retrying"); nothing can be decided until it is back", .auditFailing))
        }
        if !snapshot.audit.isHealthy {
            let waiting = snapshot.audit.unwritten > 0 ? " · \(snapshot.audit.unwritten) records waiting" : ""
            result.append(Segment("AUDIT STORE DOWN: \(snapshot.audit.problem ?? "records are not being committed"); decisions refused\(waiting)", .auditFailing))
        }
        for runtime in snapshot.runtimes ?? [] where runtime.link != .connected {
            result.append(Segment(RuntimeText.banner(runtime), .auditFailing))
        }
        let killed = (snapshot.runtimes ?? []).filter { $0.link == .connected && $0.isKillSwitchOn }.map(\.name)
        if snapshot.isKillSwitchOn {
            result.append(Segment("KILL SWITCH ON: agents in shadow, safety holds still run", .banner))
        } else if !killed.isEmpty {
            result.append(Segment("KILL SWITCH ON at \(killed.joined(separator: ", ")): its agents in shadow, safety holds still run", .banner))
        }
        if let problem = snapshot.policyProblem { result.append(Segment("POLICY RELOAD FAILED: \(problem)", .outcomeRefused)) }
        return result
    }
}
