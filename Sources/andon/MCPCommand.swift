import AndonCore
import AndonMCP
import AndonService
import ArgumentParser
import Foundation

/// `andon mcp`: a Model Context Protocol server on standard input and output, attached to a served runtime as one
/// declared outside agent.
struct MCPCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp",
        abstract: "Serve MCP on stdin/stdout as a declared outside agent of a runtime served here.",
        discussion: """
        An MCP client (an LLM desktop app, an agent framework) starts this as a subprocess. It attaches to the runtime \
        (andon serve or andon demo) as the outside agent --agent, which the plant must declare (kind: external), and \
        offers propose-only tools: list_cells, get_cell, propose_action, get_proposal, list_my_proposals, \
        withdraw_proposal, recent_events. Every proposal goes through the plant's policy; nothing acts directly. \
        Without --agent it attaches as 'assistant', the outside agent the demo plant declares. Log lines go to \
        standard error (warnings) or to --log; standard output carries MCP only.
        """
    )

    @Option(help: "The runtime's socket (default: the one runtime serving here, or the plant's).")
    var socket: String?

    @Option(help: "The plant whose socket to look for when several runtimes serve.")
    var plant: String?

    @Option(help: "The declared outside agent to attach as.")
    var agent = "assistant"

    @Option(help: "Write log lines to this file.")
    var log: String?

    mutating func run() async throws {
        try LogSetup.forHeadless(path: log)
        let path: String
        do {
            path = try socket ?? ServiceSocket.find(plantID: plant.flatMap { try? PlantSpec.load(path: $0).id })
        } catch {
            printError("andon mcp: \(error)")
            throw ExitCode(1)
        }
        do {
            try await AgentMCPServer(socketPath: path, agentID: agent).run()
        } catch {
            printError("andon mcp: \(error)")
            throw ExitCode(1)
        }
    }
}
