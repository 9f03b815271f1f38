import ArgumentParser

/// The `andon` command line (minimal root, so `andon audit` can be tried; the real root command lives elsewhere).
@main
struct Andon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "andon",
        abstract: "Supervise a manufacturing plant and its agents from the terminal.",
        subcommands: [AuditCommand.self]
    )
}
