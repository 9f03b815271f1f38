import AndonCore
import Foundation
import Glibc

/// The UI thread's loop: wait on stdin and the wake-up pipe, apply keys and inbox contents, redraw only on change.
struct ConsoleLoop {
    private var state: ConsoleState
    private var fps: Int
    private let inbox: ConsoleInbox
    private let pipe: WakePipe
    private let runtime: RuntimeCalls
    private let screen: CursesScreen
    private var shown: PlantSnapshot?
    private var latest: PlantSnapshot?
    private var isDirty = true
    private var hasNewPlantData = false
    private var lastFrame = -Double.infinity
    private var isRunning = true

    /// Takes over the terminal.
    init(person: Person, options: ConsoleOptions, inbox: ConsoleInbox, pipe: WakePipe, runtime: RuntimeCalls) throws {
        state = ConsoleState(person: person, eventCapacity: options.eventCapacity)
        state.isASCII = options.isASCII
        fps = options.framesPerSecond
        self.inbox = inbox
        self.pipe = pipe
        self.runtime = runtime
        var theme = Theme.isa101
        if let named = Theme.named(options.themeName) {
            theme = named
        } else {
            state.message = StatusMessage("unknown theme \(options.themeName); using isa101", tone: .refused)
        }
        state.themeName = theme.name
        screen = try CursesScreen(theme: theme)
    }

    /// Runs until quit or a terminating signal; always gives the terminal back.
    mutating func run() {
        let restoreSignals = pipe.installSignalHandlers()
        let restoreRescue = TerminalRescue.install()
        defer {
            screen.close()
            restoreRescue()
            restoreSignals()
        }
        while isRunning {
            if isDirty { draw() }
            let interval = 1.0 / Double(fps)
            var timeout: Int32 = -1
            if hasNewPlantData { timeout = Int32(max(0, (lastFrame + interval - Self.now()) * 1000).rounded(.up)) }
            _ = pipe.wait(timeoutMilliseconds: timeout)
            for byte in pipe.drain() where byte != WakePipe.inbox {
                handleSignal(Int32(byte))
            }
            for key in screen.readKeys() {
                apply(state.handle(key, at: Self.now(), snapshot: shown))
                isDirty = true
            }
            takeInbox()
            if hasNewPlantData && Self.now() - lastFrame >= interval { isDirty = true }
        }
    }

    private mutating func draw() {
        if !state.isFrozen, hasNewPlantData || shown == nil {
            shown = latest
        }
        hasNewPlantData = false
        let frame = ScreenComposer.compose(snapshot: shown, state: state, size: screen.size)
        state.paneHeights = frame.paneHeights
        screen.draw(frame.canvas)
        lastFrame = Self.now()
        isDirty = false
    }

    private mutating func handleSignal(_ number: Int32) {
        if number == SIGWINCH {
            screen.resize()
            isDirty = true
        } else {
            isRunning = false
        }
    }

    private mutating func takeInbox() {
        let contents = inbox.take()
        if let snapshot = contents.snapshot {
            latest = snapshot
            if !state.isFrozen { hasNewPlantData = true }
        }
        for event in contents.events { state.receive(event) }
        if !contents.events.isEmpty && !state.isFrozen { hasNewPlantData = true }
        for (command, result) in contents.results {
            state.receive(result, for: command)
            isDirty = true
        }
        for person in contents.people {
            state.switchOperator(to: person)
            isDirty = true
        }
        for note in contents.notes {
            state.message = StatusMessage(note, tone: .refused)
            isDirty = true
        }
    }

    private mutating func apply(_ effects: [ConsoleEffect]) {
        let wasFrozen = state.isFrozen
        for effect in effects {
            switch effect {
            case let .send(command): runtime.send(command, as: state.person)
            case .quit: isRunning = false
            case let .setFPS(value): fps = max(1, min(30, value))
            case let .switchOperator(name): runtime.lookUp(name)
            case let .setTheme(name):
                if let theme = Theme.named(name) {
                    screen.setTheme(theme)
                    state.themeName = theme.name
                    state.message = StatusMessage("theme \(theme.name)")
                } else {
                    state.message = StatusMessage("no theme \(name); try \(Theme.bundled.map(\.name).joined(separator: ", "))", tone: .refused)
                }
            case .redrawAll: screen.invalidate()
            }
        }
        // Unfreezing jumps to the latest plant state.
        if wasFrozen && !state.isFrozen { shown = latest }
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
