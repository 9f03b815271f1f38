import AndonCore

extension ConsoleState {
    /// Keys while a `:` command is typed.
    mutating func handleCommandLine(_ key: Key, _ text: String, snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        var text = text
        switch key {
        case .escape, .interrupt:
            mode = .normal
        case .backspace, .delete:
            if text.isEmpty { mode = .normal } else { text.removeLast(); mode = .command(text) }
        case let .character(character):
            text.append(character)
            mode = .command(text)
        case .enter:
            mode = .normal
            return run(command: text, snapshot: snapshot)
        default:
            break
        }
        return []
    }

    /// Carries out a `:` command line (without the colon).
    public mutating func run(command line: String, snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        // What the line before said no longer applies, whatever this one does.
        message = nil
        guard let verb = words.first?.lowercased() else { return complain("empty command; ? lists the keys and commands") }
        let argument = words.dropFirst().joined(separator: " ")
        switch verb {
        case "q", "quit":
            return [.quit]
        case "theme":
            guard !argument.isEmpty else { return complain("usage: :theme NAME or PATH (\(Theme.bundled.map(\.name).joined(separator: ", ")); andon themes list)") }
            return [.setTheme(argument)]
        case "fps":
            guard let fps = Int(argument), (1...30).contains(fps) else { return complain("usage: :fps N, N from 1 to 30") }
            message = StatusMessage("at most \(fps) frame\(fps == 1 ? "" : "s") per second")
            return [.setFPS(fps)]
        case "operator", "op":
            guard !argument.isEmpty else { return complain("usage: :operator NAME") }
            return [.switchOperator(argument)]
        case "cell":
            guard !argument.isEmpty else { return complain("usage: :cell ID") }
            guard let cell = snapshot?.cells.first(where: { $0.id.lowercased() == argument.lowercased() }) else {
                return complain("no cell \(argument)")
            }
            detail = .cell(cell.id)
            detailScroll = 0
        case "rejects":
            openTelemetryRejects()
        case "pause":
            return [.send(.setPaused(true))]
        case "resume":
            return [.send(.setPaused(false))]
        case "sort":
            guard let order = CellSort(rawValue: argument.lowercased()) else { return complain("usage: :sort flow|oee|alarm") }
            sort = order
            positions[.cells] = ListPosition()
            message = StatusMessage("cells sorted by \(order.rawValue)")
        case "filter":
            filter = argument
            positions[.cells] = ListPosition()
        case "ack":
            guard !argument.isEmpty else { return complain("usage: :ack CELL or :ack ALARM-TAG") }
            if let cell = snapshot?.cells.first(where: { $0.id.lowercased() == argument.lowercased() }) {
                return [.send(.acknowledgeAlarms(cell: cell.id))]
            }
            guard let alarm = alarm(tagged: argument, in: snapshot) else { return complain("no cell or alarm \(argument)") }
            return begin(.acknowledge, on: alarm)
        case "alarms":
            openAlarms(filter: argument)
        case "shelve", "unshelve", "oos", "inservice":
            return alarmCommand(verb, words: Array(words.dropFirst()), snapshot: snapshot)
        case "reload":
            return [.send(.reloadPolicy)]
        case "kill":
            beginKillSwitch(on: argument.lowercased() != "off")
        case "ascii":
            isASCII.toggle()
            message = StatusMessage(isASCII ? "drawing with ASCII only" : "drawing with Unicode")
            return [.redrawAll]
        case "help":
            mode = .help
        default:
            return complain("unknown command :\(verb); ? lists the keys and commands")
        }
        return []
    }

    /// `:shelve TAG TIME REASON…`, `:unshelve TAG`, `:oos TAG REASON…`, `:inservice TAG`.
    private mutating func alarmCommand(_ verb: String, words: [String], snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        let usage = ["shelve": ":shelve TAG TIME REASON", "unshelve": ":unshelve TAG", "oos": ":oos TAG REASON", "inservice": ":inservice TAG"][verb]!
        guard let tag = words.first else { return complain("usage: \(usage)") }
        // An alarm in Normal is not listed: a broken instrument can be taken out of service before it alarms.
        let alarm = alarm(tagged: tag, in: snapshot) ?? AlarmSummary(tag: tag, priority: 0, state: .normal, message: tag, since: 0)
        switch verb {
        case "shelve":
            guard words.count >= 3, let seconds = TimeText.seconds(parsing: words[1]) else { return complain("usage: \(usage), e.g. :shelve B2.vibration.HI 30m sensor being replaced") }
            if let refusal = AlarmAct.shelve.refusal(for: person) { return complain(refusal) }
            if let why = AlarmAct.shelve.inapplicability(to: alarm.state, tag: alarm.tag) { return complain(why) }
            return [.send(.shelveAlarm(tag: alarm.tag, seconds: seconds, reason: words.dropFirst(2).joined(separator: " ")))]
        case "oos":
            guard words.count >= 2 else { return complain("usage: \(usage)") }
            if let refusal = AlarmAct.removeFromService.refusal(for: person) { return complain(refusal) }
            if let why = AlarmAct.removeFromService.inapplicability(to: alarm.state, tag: alarm.tag) { return complain(why) }
            return [.send(.setAlarmOutOfService(tag: alarm.tag, isOutOfService: true, reason: words.dropFirst().joined(separator: " ")))]
        case "unshelve":
            return begin(.unshelve, on: alarm)
        default:
            return begin(.returnToService, on: alarm)
        }
    }

    private mutating func complain(_ text: String) -> [ConsoleEffect] {
        message = StatusMessage(text, tone: .refused)
        return []
    }
}
