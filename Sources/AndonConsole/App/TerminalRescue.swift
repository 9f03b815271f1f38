import CNCurses
import Glibc

/// Handlers in place before ours, by signal number, so a crash still reaches them (the Swift backtracer among them).
nonisolated(unsafe) private var previousFatalHandlers: [sigaction] = Array(repeating: sigaction(), count: 65)

/// Gives the terminal back if the process dies on a fatal signal (a Swift trap is SIGILL or SIGTRAP) while curses owns it.
enum TerminalRescue {
    /// The fatal signals covered.
    static let signals = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE]

    /// Installs the handlers; returns a function that puts the previous ones back.
    static func install() -> () -> Void {
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                // Not async-signal-safe, but the process is dying anyway and a usable terminal is worth the risk.
                endwin()
                sigaction(signal, &previousFatalHandlers[Int(signal)], nil)
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(number, &action, &previousFatalHandlers[Int(number)])
        }
        return {
            for number in signals { sigaction(number, &previousFatalHandlers[Int(number)], nil) }
        }
    }
}
