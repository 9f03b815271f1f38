import ArgumentParser

/// The `andon` command: a terminal console for supervising a plant, and the tools around it.
@main
struct Andon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "andon",
        abstract: "Supervise a manufacturing plant and govern its agents from the terminal.",
        subcommands: [DemoCommand.self, RunCommand.self, PolicyCommand.self, AuditCommand.self, ThemesCommand.self]
    )
}
