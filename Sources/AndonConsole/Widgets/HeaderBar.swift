import AndonCore

/// The top row: plant, clocks, operator, policy, LIVE/PAUSED, audit health; and a banner row when something is wrong.
struct HeaderBar {
    let context: FrameContext

    /// Rows needed: one, plus one for banners.
    var height: Int { banners.isEmpty ? 1 : 2 }

    /// Draws into `rect` (one or two rows).
    func draw(into canvas: inout Canvas, in rect: Rect) {
        // Groups in screen order with a priority (0 is kept longest); the least important go first when narrow.
        var groups = self.groups
        while groups.count > 1, width(groups) > rect.width, let drop = groups.indices.max(by: { groups[$0].priority < groups[$1].priority }),
              groups[drop].priority > 0 {
            groups.remove(at: drop)
        }
        canvas.write(Array(groups.map(\.segments).joined(separator: [Segment("  ")])), row: 0, in: rect)
        if rect.height > 1, !banners.isEmpty {
            canvas.fill(Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1), style: CellStyle(banners[0].role))
            var column = 0
            for banner in banners {
                column = canvas.write([Segment(" " + banner.text + " ", banner.role)], row: 1, in: rect, column: column) + 1
            }
        }
    }

    private var groups: [(priority: Int, segments: [Segment])] {
        let snapshot = context.snapshot, state = context.state
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
            (0, [Segment(state.person.name, .title), Segment(" (\(state.person.role.rawValue))", .muted)]),
            (0, [liveness]),
            (0, [snapshot.audit.isHealthy ? Segment("audit ok", .muted) : Segment("audit FAILING", .auditFailing)]),
        ]
        if snapshot.telemetryRejects > 0 { groups.append((1, [Segment("telemetry rejects \(snapshot.telemetryRejects)", .queueFull)])) }
        if let version = snapshot.policyVersion { groups.append((3, [Segment("policy ", .muted), Segment(version)])) }
        return groups
    }

    private func width(_ groups: [(priority: Int, segments: [Segment])]) -> Int {
        groups.reduce(0) { $0 + $1.segments.reduce(0) { $0 + DisplayWidth.of($1.text) } } + 2 * max(0, groups.count - 1)
    }

    /// Things that must not be missed: kill switch, failing audit store, failed policy reload.
    var banners: [Segment] {
        let snapshot = context.snapshot
        var result: [Segment] = []
        if snapshot.isKillSwitchOn { result.append(Segment("KILL SWITCH ON: every agent in shadow mode, nothing executes", .banner)) }
        if !snapshot.audit.isHealthy {
            result.append(Segment("AUDIT STORE FAILING: \(snapshot.audit.problem ?? "records are not being committed")", .auditFailing))
        }
        if let problem = snapshot.policyProblem { result.append(Segment("POLICY RELOAD FAILED: \(problem)", .outcomeRefused)) }
        return result
    }
}
