import Foundation
import Synchronization

/// The terminating signal a headless run received, 0 while none has.
private let requestedSignal = Atomic<Int32>(0)

/// SIGTERM and SIGINT for headless runs: the run stops at the next step, commits what it holds, prints its report
/// and exits with 128 + the signal's number (143 for SIGTERM, 130 for SIGINT), as shells report a killed command.
enum Shutdown {
    /// Routes SIGTERM and SIGINT to ``signal``; reads are interrupted (no `SA_RESTART`), so a run waiting for
    /// input notices at once.
    static func install() {
        for number in [SIGTERM, SIGINT] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { requestedSignal.store($0, ordering: .relaxed) }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(number, &action, nil)
        }
    }

    /// The signal received, or nil.
    static var signal: Int32? {
        let number = requestedSignal.load(ordering: .relaxed)
        return number == 0 ? nil : number
    }

    /// True until a terminating signal arrives.
    static var isRunning: Bool { signal == nil }

    /// Says on standard error that a signal ended the run, and the exit status that tells so.
    static func exitStatus(after what: String) -> Int32? {
        guard let number = signal else { return nil }
        let name = number == SIGTERM ? "SIGTERM" : number == SIGINT ? "SIGINT" : "signal \(number)"
        printError("andon: \(name) received: \(what)")
        return 128 + number
    }
}
