import ArgumentParser

/// Starts the process: the allocator is set up before any other thread runs, then the command line is read.
@main
enum Entry {
    static func main() async {
        ProcessMemory.useOneArena()
        await Andon.main()
    }
}

/// The `andon` command: a terminal console for supervising a plant, and the tools around it.
struct Andon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "andon",
        abstract: "Supervise a manufacturing plant and govern its agents from the terminal.",
        subcommands: [DemoCommand.self, RunCommand.self, ServeCommand.self, AttachCommand.self, WhoCommand.self, PolicyCommand.self,
                      MCPCommand.self, AuditCommand.self, OperatorCommandGroup.self, ThemesCommand.self]
    )
}
