import CNCurses
import Glibc

/// Gives the terminal back if the process dies on a fatal signal (a Swift trap is SIGILL or SIGTRAP) while curses owns it.
enum TerminalRescue {
    /// The fatal signals covered.
    static let signals = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE]

    /// Installs the handlers; returns a function that puts the previous ones back.
    static func install() -> () -> Void {
        var previous: [(Int32, sigaction)] = []
        for number in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                // Not async-signal-safe, but the process is dying anyway and a usable terminal is worth the risk.
                endwin()
                var fallback = sigaction()
                fallback.__sigaction_handler.sa_handler = SIG_DFL
                sigaction(signal, &fallback, nil)
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(SA_RESETHAND)
            var old = sigaction()
            sigaction(number, &action, &old)
            previous.append((number, old))
        }
        return {
            for (number, old) in previous {
                var old = old
                sigaction(number, &old, nil)
            }
        }
    }
}
