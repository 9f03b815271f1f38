import AndonStore
import Foundation
import Logging

/// Where log lines go: never onto a screen the console owns.
enum LogSetup {
    /// For a console: the file `path`, or `<state>/andon/<plant-id>.log` beside the audit store (private to the user).
    static func forConsole(path: String?, plantID: String) throws {
        let location = path ?? (AuditStore.defaultPath(plantID: plantID) as NSString).deletingPathExtension + ".log"
        try bootstrapLogging(path: location)
    }

    /// For a headless run: warnings and errors on standard error; with `path`, everything to that file.
    static func forHeadless(path: String?) throws {
        if let path {
            try bootstrapLogging(path: path)
            return
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .warning
            return handler
        }
    }
}
