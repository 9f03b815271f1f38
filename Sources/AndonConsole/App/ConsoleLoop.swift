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
    private let themes: ThemeLibrary
    private var shown: PlantSnapshot?
    private var latest: PlantSnapshot?
    private var isDirty = true
    private var hasNewPlantData = false
    private var lastFrame = -Double.infinity
    private var isRunning = true

    /// Takes over the terminal.
    init(person: Person, options: ConsoleOptions, inbox: ConsoleInbox, pipe: WakePipe, runtime: RuntimeCalls) throws {
        state = ConsoleState(person: person, eventCapacity: options.eventCapacity)
        state.identityNote = options.identityNote
        state.isASCII = options.isASCII
        fps = options.framesPerSecond
        self.inbox = inbox
        self.pipe = pipe
        self.runtime = runtime
        themes = options.themes
        screen = try CursesScreen(theme: options.theme, noColor: options.isColorless)
        state.themeName = options.theme.name
        if !screen.isUTF8 { state.isASCII = true }
        if screen.depth == .none && options.theme.usesColor {
            state.message = StatusMessage(options.isColorless ? "NO_COLOR is set: drawing without colour" : "this terminal has no colours: drawing without colour")
        }
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
            // Wake when the status message is due to go.
            if let left = state.expireMessage(at: Self.now()) {
                let wait = Int32(min(3_600_000, (left * 1000).rounded(.up)))
                timeout = timeout < 0 ? wait : min(timeout, wait)
            }
            if pipe.wait(timeoutMilliseconds: timeout, keyboard: screen.keyboard) { isRunning = false }
            // A burst of resizes is handled once, at the size the terminal has now.
            let signals = Set(pipe.drain().filter { $0 != WakePipe.inbox }.map(Int32.init))
            for number in signals.sorted() { handleSignal(number) }
            for key in screen.readKeys() {
                apply(state.handle(key, at: Self.now(), snapshot: shown))
                isDirty = true
            }
            takeInbox()
            let hadMessage = state.message != nil
            _ = state.expireMessage(at: Self.now())
            if hadMessage && state.message == nil { isDirty = true }
            if hasNewPlantData && Self.now() - lastFrame >= interval { isDirty = true }
        }
    }

    private mutating func draw() {
        // The latest plant is always shown: while frozen, the state keeps the cell views on the plant as it was.
        if hasNewPlantData || shown == nil {
            shown = latest
            if let shown { state.observe(shown) }
        }
        hasNewPlantData = false
        let frame = ScreenComposer.compose(snapshot: shown, state: state, size: screen.size)
        // Only the approvals pane fits: keys go to it (``ConsoleState/activePane``), and the focus chosen is kept.
        state.paneHeights = frame.paneHeights
        state.scrollLimit = frame.scrollLimit
        screen.draw(frame.canvas)
        lastFrame = Self.now()
        isDirty = false
    }

    /// A resize redraws; Ctrl-C (SIGINT) is a key: it cancels a dialog, and elsewhere quits as `q` does (asking first
    /// while approvals wait); SIGTERM and SIGHUP end the console at once. The terminal is restored whichever it was.
    private mutating func handleSignal(_ number: Int32) {
        if number == SIGWINCH {
            screen.resize()
            isDirty = true
        } else if number == SIGINT {
            apply(state.handle(.interrupt, at: Self.now(), snapshot: shown))
            isDirty = true
        } else {
            isRunning = false
        }
    }

    private mutating func takeInbox() {
        let contents = inbox.take()
        if let snapshot = contents.snapshot {
            latest = snapshot
            hasNewPlantData = true
        }
        for event in contents.events { state.receive(event) }
        if !contents.events.isEmpty { hasNewPlantData = true }
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
        for effect in effects {
            switch effect {
            case let .send(command): runtime.send(command, as: state.person)
            case .quit: isRunning = false
            case let .setFPS(value): fps = max(1, min(30, value))
            case let .switchOperator(name): runtime.takeOver(name, from: state.person)
            case let .setTheme(name):
                switchTheme(to: name)
            case .redrawAll: screen.invalidate()
            }
        }
    }

    /// Loads and applies a theme; a broken or unknown one leaves the current theme in place and says why.
    private mutating func switchTheme(to name: String) {
        do {
            let theme = try themes.load(name)
            screen.setTheme(theme)
            state.themeName = theme.name
            let colourless = screen.depth == .none && theme.usesColor ? " (no colour here: shown as mono)" : ""
            state.message = StatusMessage("theme \(theme.name)\(colourless)")
        } catch {
            let first = error.errors.first.map(ThemeLibrary.summary(of:)) ?? "\(error)"
            let more = error.errors.count > 1 ? " (+\(error.errors.count - 1) more; andon themes check)" : ""
            state.message = StatusMessage("theme unchanged: \(first)\(more)", tone: .refused)
        }
    }

    /// Monotonic seconds.
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
