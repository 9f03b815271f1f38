import CNCurses
import Foundation
import Glibc

/// Why the console could not take over the terminal.
public struct ConsoleError: Error, CustomStringConvertible, Sendable {
    /// What went wrong.
    public var description: String
}

/// The ncurses backend: owns the terminal, writes only the cells that changed since the last frame, one `doupdate` per frame.
///
/// Not thread-safe, like ncurses itself: create, use and close it on one thread.
final class CursesScreen {
    private var previous: Canvas?
    private var theme: Theme
    private var pairs: [Int: Int32] = [:]
    private var resolved: [CellStyle: (attrs: attr_t, pair: Int32)] = [:]
    private let terminal: OpaquePointer
    private let streams: [UnsafeMutablePointer<FILE>]
    /// The colours the terminal shows (``ColorDepth/none`` under `NO_COLOR`).
    let depth: ColorDepth
    /// True when the locale encodes text as UTF-8; otherwise the console draws ASCII only.
    let isUTF8: Bool
    private var isOpen = true
    /// The descriptor keys are read from: standard input, or the controlling terminal when standard input carries data.
    let keyboard: Int32

    /// Takes over the terminal (`setlocale`, `newterm`, raw-ish input, no cursor), or says clearly why it can't.
    ///
    /// `noColor` (the `NO_COLOR` convention) renders every theme as `mono`; so does a terminal without colours.
    init(theme: Theme, noColor: Bool) throws {
        guard isatty(STDOUT_FILENO) == 1 else {
            throw ConsoleError(description: "the console draws on standard output, which is not a terminal (use --headless)")
        }
        // Keys come from standard input when it is the terminal; when it carries telemetry (a pipe from
        // mosquitto_sub), from the controlling terminal, as less and fzf do.
        let keys = isatty(STDIN_FILENO) == 1 ? dup(STDIN_FILENO) : open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard keys >= 0 else {
            throw ConsoleError(description: "standard input is not a terminal and there is no controlling terminal (/dev/tty) to read keys from "
                               + "(use --headless, or run it from a terminal)")
        }
        let name = (ProcessInfo.processInfo.environment["TERM"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !name.isEmpty else {
            throw ConsoleError(description: "TERM is not set, so the terminal's abilities are unknown (set TERM, e.g. TERM=xterm-256color, or use --headless)")
        }
        setlocale(LC_ALL, "")
        // newterm, unlike initscr, returns nil for a terminal type ncurses doesn't know instead of exiting the process.
        guard let output = fdopen(dup(STDOUT_FILENO), "w"), let input = fdopen(keys, "r"),
              let terminal = newterm(nil, output, input) else {
            throw ConsoleError(description: "ncurses does not know the terminal type '\(name)' (set TERM to one it knows, e.g. xterm-256color, or use --headless)")
        }
        guard Self.canPositionCursor() else {
            endwin()
            delscreen(terminal)
            throw ConsoleError(description: "the terminal type '\(name)' can't position the cursor, so the console can't draw on it "
                               + "(use a terminal such as xterm-256color, tmux-256color, vt100 or linux, or use --headless for a report)")
        }
        self.terminal = terminal
        streams = [output, input]
        keyboard = keys
        isUTF8 = andon_locale_is_utf8() != 0
        cbreak()
        noecho()
        nonl()
        let screen = andon_stdscr()
        keypad(screen, true)
        nodelay(screen, true)
        intrflush(screen, false)
        set_escdelay(25)
        curs_set(0)
        if !noColor, has_colors() {
            start_color()
            use_default_colors()
            depth = ColorDepth(colors: Int(andon_colors()))
        } else {
            depth = .none
        }
        self.theme = depth == .none ? .mono : theme
    }

    /// True when terminfo gives the terminal a cursor-addressing string ("cup"); `dumb` has none.
    private static func canPositionCursor() -> Bool {
        guard let cup = tigetstr("cup") else { return false }
        return Int(bitPattern: cup) != -1
    }

    /// The terminal size now.
    var size: TerminalSize {
        var rows: Int32 = 0, columns: Int32 = 0
        andon_getmaxyx(andon_stdscr(), &rows, &columns)
        return TerminalSize(columns: Int(columns), rows: Int(rows))
    }

    /// Switches theme; the next frame is drawn in full.
    func setTheme(_ theme: Theme) {
        self.theme = depth == .none ? .mono : theme
        resolved = [:]
        invalidate()
    }

    /// Forgets the previous frame so the next draws every cell.
    func invalidate() {
        previous = nil
        clearok(andon_stdscr(), true)
    }

    /// Asks the terminal for its size and tells ncurses (after SIGWINCH).
    func resize() {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_row > 0, size.ws_col > 0 {
            resizeterm(Int32(size.ws_row), Int32(size.ws_col))
        }
        invalidate()
    }

    /// Draws `canvas`, writing only cells that differ from the previous frame, then updates the terminal once.
    func draw(_ canvas: Canvas) {
        let screen = andon_stdscr()
        let before = previous.flatMap { $0.size == canvas.size ? $0 : nil }
        if before == nil { werase(screen) }
        let columns = canvas.size.columns
        for y in 0..<canvas.size.rows {
            for x in 0..<columns {
                let cell = canvas[x, y]
                if let before, before[x, y] == cell { continue }
                if cell.isContinuation { continue }
                put(cell, x: x, y: y)
            }
        }
        previous = canvas
        wnoutrefresh(screen)
        doupdate()
    }

    /// Keys waiting on stdin, without blocking.
    func readKeys() -> [Key] {
        var keys: [Key] = []
        var character: wint_t = 0
        while keys.count < 256 {
            let result = wget_wch(andon_stdscr(), &character)
            if result == ERR { break }
            if result == andon_key_code_yes() {
                if let key = Self.key(code: Int32(character)) { keys.append(key) }
            } else if let key = Self.key(character: UInt32(character)) {
                keys.append(key)
            }
        }
        return keys
    }

    /// Gives the terminal back (`endwin`); safe to call twice.
    func close() {
        guard isOpen else { return }
        isOpen = false
        curs_set(1)
        endwin()
        delscreen(terminal)
        for stream in streams { fclose(stream) }
    }

    private func put(_ cell: CanvasCell, x: Int, y: Int) {
        let (attrs, pair) = style(cell.style)
        if !isUTF8 {
            if let acs = acs(cell.grapheme) {
                _ = andon_put_acs(Int32(y), Int32(x), acs, attrs, pair)
                return
            }
            let ascii: UInt32 = cell.grapheme.unicodeScalars.first.map { $0.isASCII ? $0.value : 63 } ?? 32
            var text: [wchar_t] = [wchar_t(bitPattern: ascii), 0]
            _ = andon_put_cell(Int32(y), Int32(x), &text, attrs, pair)
            return
        }
        var text: [wchar_t] = cell.grapheme.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        text.append(0)
        _ = andon_put_cell(Int32(y), Int32(x), &text, attrs, pair)
    }

    private func acs(_ grapheme: Character) -> chtype? {
        switch grapheme {
        case "─": andon_acs_hline()
        case "│": andon_acs_vline()
        case "┌": andon_acs_ulcorner()
        case "┐": andon_acs_urcorner()
        case "└": andon_acs_llcorner()
        case "┘": andon_acs_lrcorner()
        default: nil
        }
    }

    private func style(_ style: CellStyle) -> (attr_t, Int32) {
        if let known = resolved[style] { return known }
        let look = theme.resolve(style, at: depth)
        var attrs = andon_a_normal()
        if look.attributes.contains(.bold) { attrs |= andon_a_bold() }
        if look.attributes.contains(.reverse) { attrs |= andon_a_reverse() }
        if look.attributes.contains(.dim) { attrs |= andon_a_dim() }
        if look.attributes.contains(.underline) { attrs |= andon_a_underline() }
        var pair: Int32 = 0
        if theme.usesColor, depth != .none {
            pair = self.pair(foreground: depth.foreground(look.foreground, on: look.background), background: depth.number(look.background))
        }
        resolved[style] = (attrs, pair)
        return (attrs, pair)
    }

    private func pair(foreground: Int, background: Int) -> Int32 {
        if foreground < 0 && background < 0 { return 0 }
        let key = (foreground + 1) << 32 | (background + 1)
        if let known = pairs[key] { return known }
        let number = Int32(pairs.count + 1)
        guard number < andon_color_pairs(), number < Int32(Int16.max) else { return 0 }
        init_extended_pair(number, Int32(foreground), Int32(background))
        pairs[key] = number
        return number
    }
}
