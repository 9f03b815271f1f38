import ArgumentParser

/// The `andon` command: a terminal console for supervising a plant with an embedded agent runtime.
@main
struct Andon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "andon",
        abstract: "Supervise a manufacturing plant and its agents.",
        subcommands: [PolicyCommand.self]
    )
}
