import AndonCore

extension ConsoleState {
    /// Keys while a `:` command is typed.
    mutating func handleCommandLine(_ key: Key, _ text: String, snapshot: PlantSnapshot?) -> [ConsoleEffect] {
        var text = text
        switch key {
        case .escape:
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
            guard let cell = snapshot?.cells.first(where: { $0.id.lowercased() == argument.lowercased() }) else {
                return complain("no cell or alarm \(argument)")
            }
            return [.send(.acknowledgeAlarms(cell: cell.id))]
        case "reload":
            return [.send(.reloadPolicy)]
        case "kill":
            let on = argument.lowercased() != "off"
            mode = .confirm(.killSwitch(turningOn: on))
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

    private mutating func complain(_ text: String) -> [ConsoleEffect] {
        message = StatusMessage(text, tone: .refused)
        return []
    }
}
