import AndonCore
import AndonRuntime
import ArgumentParser
import Foundation

/// What a headless run says when its audit store fails: at once on standard error, and in its exit status.
enum AuditAlarm {
    /// Exit status of a run whose records did not all reach the store (or whose store could not be trusted).
    static let exitStatus: Int32 = 3

    /// Says on standard error, the moment it happens, that the store refuses records (or takes them again).
    static func sayAtOnce(_ problem: String?) {
        if let problem {
            printError("andon: AUDIT STORE DOWN: \(problem); decisions and actions that need a record are refused until it comes back")
        } else {
            printError("andon: audit store back: records are committed again")
        }
    }

    /// Exits 3, saying how many records never reached the store and where the run stopped, unless all did.
    static func exitIfIncomplete(_ figures: AuditFigures, stoppedAt time: Double, end: Double?) throws {
        guard !figures.isComplete else { return }
        var text = "andon: \(figures.unwritten) audit record\(figures.unwritten == 1 ? "" : "s") could not be written"
        if let problem = figures.problem ?? figures.firstProblem { text += " (\(problem))" }
        if let end, time < end { text += "; the run stopped at \(TimeText.clock(time)) rather than go on without its record" }
        if figures.safetyHoldsUnrecorded > 0 {
            text += "; \(figures.safetyHoldsUnrecorded) safety hold\(figures.safetyHoldsUnrecorded == 1 ? "" : "s") ran meanwhile"
                + (figures.journalProblem.map { " and the fallback journal failed too: \($0)" } ?? ", kept in the fallback journal")
        }
        printError(text)
        throw ExitCode(exitStatus)
    }
}
