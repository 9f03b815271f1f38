import AndonCore

/// The top row: plant, clocks, operator, policy, LIVE/PAUSED, audit health; and a banner row when something is wrong.
struct HeaderBar {
    let context: FrameContext

    /// Rows needed: one, plus one for banners.
    var height: Int { banners.isEmpty ? 1 : 2 }

    /// Draws into `rect` (one or two rows).
    func draw(into canvas: inout Canvas, in rect: Rect) {
        let snapshot = context.snapshot, state = context.state
        let shift = snapshot.shiftSeconds > 0 ? snapshot.time.truncatingRemainder(dividingBy: snapshot.shiftSeconds) : snapshot.time
        let liveness: Segment = if state.isFrozen {
            Segment("FROZEN", .banner)
        } else if snapshot.isPaused {
            Segment("PAUSED", .outcomeRefused)
        } else {
            Segment("LIVE", .muted)
        }
        let audit: Segment = snapshot.audit.isHealthy ? Segment("audit ok", .muted) : Segment("audit FAILING", .auditFailing)
        var segments = [
            Segment(snapshot.plantName, .title), Segment("  "),
            Segment("sim ", .muted), Segment(Format.clock(snapshot.time)), Segment("  "),
            Segment("shift ", .muted), Segment(Format.clock(shift)), Segment("  "),
            Segment(state.person.name, .title), Segment(" (\(state.person.role.rawValue))", .muted), Segment("  "),
            liveness, Segment("  "), audit,
        ]
        if snapshot.telemetryRejects > 0 {
            segments += [Segment("  "), Segment("rejects \(snapshot.telemetryRejects)", .queueFull)]
        }
        if let version = snapshot.policyVersion {
            segments += [Segment("  policy ", .muted), Segment(version)]
        }
        canvas.write(segments, row: 0, in: rect)
        if rect.height > 1, !banners.isEmpty {
            canvas.fill(Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: 1), style: CellStyle(banners[0].role))
            var column = 0
            for banner in banners {
                column = canvas.write([Segment(" " + banner.text + " ", banner.role)], row: 1, in: rect, column: column) + 1
            }
        }
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
