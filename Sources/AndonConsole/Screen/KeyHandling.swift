import AndonCore

extension ConsoleState {
    /// Applies one key pressed at `now` (monotonic seconds) while `snapshot` is shown; returns what the shell must do.
    public mutating func handle(_ key: Key, at now: Double, snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        if isAutoRepeat(key, at: now) { return [] }
        switch mode {
        case .normal:
            if detail == .alarms, let effects = handleAlarmList(key, snapshot: snapshot) { return effects }
            return handleNormal(key, snapshot: snapshot)
        case .help:
            switch key {
            case .escape, .character("?"), .character("q"), .enter, .interrupt: mode = .normal
            case .down, .character("j"): helpScroll += 1
            case .up, .character("k"): helpScroll -= 1
            case .pageDown, .character(" "): helpScroll += 10
            case .pageUp: helpScroll -= 10
            case .home, .character("g"): helpScroll = 0
            case .end, .character("G"): helpScroll = scrollLimit ?? KeyHelp.entries.count * 3
            default: break
            }
            helpScroll = max(0, min(scrollLimit ?? KeyHelp.entries.count * 3, helpScroll))
            return []
        case let .confirm(confirmation): return handleConfirmation(key, confirmation, snapshot: snapshot)
        case let .rejectReason(prompt): return handleRejectReason(key, prompt)
        case let .signature(prompt): return handleSignature(key, prompt)
        case let .alarmPrompt(prompt): return handleAlarmPrompt(key, prompt)
        case let .filter(text): return handleFilter(key, text, snapshot: snapshot)
        case let .command(text): return handleCommandLine(key, text, snapshot: snapshot)
        }
    }

    /// True for a repeat of a key that could approve, closer than ``repeatWindow`` to the last one.
    private mutating func isAutoRepeat(_ key: Key, at now: Double) -> Bool {
        let guarded: Bool
        switch (mode, key) {
        // The quit question's yes approves nothing: a `y` there soon after the `y` that approved something (the
        // console's loop can take keys typed apart close together on a loaded machine) is the person's answer.
        case let (.confirm(dialog), _) where dialog.subject == .quit: guarded = false
        case (.normal, .character("a")), (.confirm, .character("y")), (.confirm, .character("Y")), (.confirm, .enter): guarded = true
        default: guarded = false
        }
        guard guarded else { return false }
        let normalized: Key = key == .character("Y") ? .character("y") : key
        defer { lastGuardedPress[normalized] = now }
        guard let last = lastGuardedPress[normalized] else { return false }
        return now - last < Self.repeatWindow
    }

    private mutating func handleNormal(_ key: Key, snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        switch key {
        case .down, .character("j"): move(by: 1, snapshot: snapshot)
        case .up, .character("k"): move(by: -1, snapshot: snapshot)
        case .pageDown, .character(" "): move(by: height(activePane) - 1, snapshot: snapshot)
        case .pageUp: move(by: -(height(activePane) - 1), snapshot: snapshot)
        case .home, .character("g"): move(by: -Int(Int32.max), snapshot: snapshot)
        case .end, .character("G"): move(by: Int(Int32.max), snapshot: snapshot)
        case .tab, .right, .character("l"): cycleFocus(by: 1)
        case .backTab, .left, .character("h"): cycleFocus(by: -1)
        case .enter: openDetail(snapshot: snapshot)
        case .escape:
            if detail != nil {
                detail = nil
                detailScroll = 0
            } else if !filter.isEmpty {
                filter = ""
                message = StatusMessage("filter cleared")
            }
        case .character("/"): mode = .filter(filter)
        case .character(":"): mode = .command("")
        case .character("?"):
            mode = .help
            helpScroll = 0
        case .character("s"):
            sort = sort.next
            positions[.cells] = ListPosition()
            message = StatusMessage("cells sorted by \(sort.rawValue)")
        case .character("p"): toggleFreeze(snapshot: snapshot)
        case .character("T"): openTelemetryRejects()
        case .character("L"): openAlarms()
        case .character("q"), .interrupt: return quit(snapshot: snapshot)
        case let .character(key) where "arKA".contains(key) && snapshot?.connection?.isConnected == false:
            message = StatusMessage("refused: DISCONNECTED from the runtime; nothing can be decided until the console is back", tone: .refused)
        case .character("a"): beginApproval(snapshot: snapshot)
        case .character("r"): beginRejection(snapshot: snapshot)
        case .character("K"): beginKillSwitch(on: !(snapshot?.isKillSwitchOn ?? false))
        case .character("A"):
            if detail == nil, refuseIfGone(.cells, snapshot: snapshot) { return [] }
            if let cell = selectedCell(in: snapshot) { return [.send(.acknowledgeAlarms(cell: cell.id))] }
        case .redraw, .resize: return [.redrawAll]
        case let .character(character):
            let name = character.isLetter || character.isNumber || character.isPunctuation || character.isSymbol ? "\(character)" : "that key"
            message = StatusMessage("\(name) does nothing here; ? lists the keys", tone: .refused)
        default: break
        }
        return []
    }

    private mutating func move(by delta: Int, snapshot: PlantSnapshot?) {
        if detail != nil {
            detailScroll = max(0, min(scrollLimit ?? 1_000_000, detailScroll + max(-1_000_000, min(1_000_000, delta))))
            return
        }
        guard let snapshot else { return }
        let pane = activePane
        let count = rowCount(pane, snapshot: snapshot)
        let step = max(-count, min(count, delta))
        switch selectedRow(pane, snapshot: snapshot) {
        case .none: return
        case let .at(row): select(row: row + step, in: pane, step: step, snapshot: snapshot)
        // The item has gone: the rows after it moved up into its place, so one down is the row it was on.
        case let .gone(_, lastRow): select(row: step > 0 ? lastRow + step - 1 : lastRow + step, in: pane, step: step, snapshot: snapshot)
        }
        // Back at the top of the event log, it follows the newest again.
        if pane == .events, position(.events).cursor == 0 { selected[.events] = nil }
    }

    private mutating func cycleFocus(by step: Int) {
        if detail != nil { return }
        let panes = Pane.allCases
        focus = panes[(panes.firstIndex(of: focus)! + step + panes.count) % panes.count]
    }

    /// Rows in `pane` for `snapshot`.
    func rowCount(_ pane: Pane, snapshot: PlantSnapshot?) -> Int {
        guard let snapshot = viewed(pane, snapshot) else { return 0 }
        switch pane {
        // How many rows there are does not need them in order.
        case .cells: return CellRows(snapshot: snapshot, filter: filter, sort: sort, memo: memo, needed: { _ in 0 }).count
        case .approvals: return memo.pendingApprovals(of: snapshot).count
        case .queues: return snapshot.queues.count
        case .latency: return snapshot.agents.count
        case .events: return events.count - frozenSkip
        }
    }

    /// The cell under the cells cursor, or the one in the open detail view; nil when it has left the view.
    public func selectedCell(in snapshot: PlantSnapshot?) -> CellSnapshot? {
        guard let snapshot = viewed(.cells, snapshot) else { return nil }
        if case let .cell(id) = detail { return snapshot.cells.first { $0.id == id } }
        guard let row = selectedRow(.cells, snapshot: snapshot).row else { return nil }
        let rows = CellRows(snapshot: snapshot, filter: filter, sort: sort, memo: memo, needed: { _ in row + 1 })
        if case let .cell(cell) = rows.row(at: row) { return cell }
        return nil
    }

    private mutating func openDetail(snapshot: PlantSnapshot?) {
        detailScroll = 0
        if refuseIfGone(activePane, snapshot: snapshot) { return }
        switch activePane {
        case .cells:
            if let cell = selectedCell(in: snapshot) { detail = .cell(cell.id) }
        case .approvals:
            if let approval = selectedApproval(in: snapshot) { detail = .approval(approval.id) }
        case .latency:
            if let snapshot, let row = selectedRow(.latency, snapshot: snapshot).row {
                detail = .cell(snapshot.agents[memo.agentsWorstFirst(of: snapshot, first: row + 1)[row]].cell)
            }
        case .events:
            if let snapshot, let row = selectedRow(.events, snapshot: snapshot).row, let id = itemID(.events, row: row, snapshot: snapshot),
               let sequence = UInt64(id) {
                detail = .event(sequence)
            }
        case .queues:
            break
        }
    }

    /// Opens the kill-switch dialog, or says at once why this person may not use it.
    mutating func beginKillSwitch(on: Bool) {
        guard Self.isAvailable(.killSwitch, to: person.role) else {
            message = StatusMessage("refused: only supervisors may use the kill switch; \(person.name) is \(person.role.rawValue)", tone: .refused)
            return
        }
        mode = .confirm(.killSwitch(turningOn: on))
    }

    /// Quits, asking first while approvals are pending.
    private mutating func quit(snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        guard let snapshot else { return [.quit] }
        let pending = memo.pendingApprovals(of: snapshot)
        guard !pending.isEmpty else { return [.quit] }
        mode = .confirm(.quitting(with: pending, now: snapshot.time))
        return []
    }

    /// Opens the telemetry rejects view.
    mutating func openTelemetryRejects() {
        detail = .telemetryRejects
        detailScroll = 0
    }

    /// Freezes the cell and event views on the plant as it is now, or follows the plant again. Approvals, their
    /// deadlines, the header's abnormal summary and the alarm list stay live while frozen.
    private mutating func toggleFreeze(snapshot: PlantSnapshot?) {
        if isFrozen {
            frozenPlant = nil
            frozenSequence = nil
            isFrozenWithoutPlant = false
            message = StatusMessage("following the plant")
        } else {
            frozenPlant = snapshot
            frozenSequence = events.count > 0 ? events.newest(0).sequence : nil
            isFrozenWithoutPlant = snapshot == nil && frozenSequence == nil
            message = StatusMessage("cells and events frozen; approvals and alarms stay live; p to follow the plant again")
        }
    }

    /// The selected approval if a decision on it may start now; otherwise says why not and gives nil.
    private mutating func decidableApproval(in snapshot: PlantSnapshot?, approving: Bool) -> ApprovalSnapshot? {
        if detail == nil, refuseIfGone(.approvals, snapshot: snapshot) { return nil }
        guard let approval = selectedApproval(in: snapshot) else {
            message = StatusMessage("no approval pending")
            return nil
        }
        if detail == nil { focus = .approvals }
        if inFlight.contains(approval.id) {
            message = StatusMessage("decision on \(approval.proposal.target) already sent; waiting for the runtime")
            return nil
        }
        guard approval.state == .pending else {
            message = StatusMessage("already \(approval.outcome ?? approval.state.rawValue)", tone: .refused)
            return nil
        }
        // A plant-wide console: the approval's runtime must be reachable for anything to be decided there.
        if let name = RuntimeQualifiedID.split(approval.id)?.runtime, let runtime = snapshot?.runtimes?.first(where: { $0.name == name }),
           runtime.link != .connected {
            message = StatusMessage("refused: \(name) is \(runtime.link == .down ? "DOWN" : "reconnecting"); nothing can be decided there until it is back",
                                    tone: .refused)
            return nil
        }
        // Refused before any dialog: the snapshot says who may decide.
        if let refusal = refusal(toDecide: approval, approving: approving) {
            message = StatusMessage(refusal, tone: .refused)
            return nil
        }
        return approval
    }

    private mutating func beginApproval(snapshot: PlantSnapshot?) {
        guard let approval = decidableApproval(in: snapshot, approving: true) else { return }
        mode = .confirm(.approving(approval))
    }

    private mutating func beginRejection(snapshot: PlantSnapshot?) {
        guard let approval = decidableApproval(in: snapshot, approving: false) else { return }
        let summary = "\(approval.proposal.action.rawValue) on \(approval.proposal.target)"
        mode = .rejectReason(RejectPrompt(approvalID: approval.id, summary: summary,
                                          isReasonRequired: approval.decision.requirement?.reasonRequired ?? false))
    }

    private mutating func handleFilter(_ key: Key, _ text: String, snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        var text = text
        let isAlarmFilter = detail == .alarms
        switch key {
        case .escape, .interrupt:
            text = ""
            mode = .normal
        case .enter:
            mode = .normal
            return []
        case .backspace, .delete:
            if !text.isEmpty { text.removeLast() }
            mode = .filter(text)
        case let .character(character):
            text.append(character)
            mode = .filter(text)
        default:
            return []
        }
        if isAlarmFilter {
            alarmFilter = text
            if let snapshot, case .gone = selectedAlarmRow(in: snapshot) { selectedAlarmTag = nil }
            alarmPosition = ListPosition()
            return []
        }
        filter = text
        positions[.cells] = ListPosition()
        // The person narrowed the list: a selection it leaves out moves to the first cell that matches.
        if let snapshot, case .gone = selectedRow(.cells, snapshot: snapshot) { select(row: 0, in: .cells, step: 1, snapshot: snapshot) }
        return []
    }
}
