import AndonCore
import AndonService
import AndonWire
import Foundation
import Logging
import MCP

/// `andon mcp`: a Model Context Protocol server on standard input and output that an MCP client (an LLM desktop app,
/// an agent framework) starts as a subprocess. It attaches to a served runtime as one declared outside agent and
/// offers that agent's reads and propose-only acts as tools; the runtime's policy, approvals, audit, latency budget,
/// shadow mode and kill switch apply to every proposal exactly as to a built-in agent's.
public struct AgentMCPServer: Sendable {
    /// The agent's link to the runtime.
    let link: RemoteRuntime
    /// The agent's id.
    public let agentID: String
    let logger: Logger

    /// A server for agent `agentID` on the runtime at `socketPath`.
    public init(socketPath: String, agentID: String, logger: Logger = Logger(label: "andon.mcp")) {
        self.agentID = agentID
        self.logger = logger
        link = RemoteRuntime(socketPath: socketPath, hello: Hello(client: .agent, program: "andon mcp", session: UUID().uuidString,
                                                                   snapshotsPerSecond: 0.2, agentID: agentID))
    }

    /// Attaches to the runtime (throws with its refusal: an undeclared agent, a wrong version, no runtime), then serves
    /// MCP on standard input and output until the client closes it.
    public func run() async throws {
        let welcome = try await link.connect()
        logger.info("attached", metadata: ["plant": "\(welcome.runtime.plantID)", "agent": "\(agentID)"])
        let server = Server(name: "andon", version: "1.0.0", title: "Andon plant (\(welcome.runtime.plantName)) as agent \(agentID)",
                            instructions: AgentTools.instructions, capabilities: .init(tools: .init(listChanged: false)))
        await server.withMethodHandler(ListTools.self) { _ in .init(tools: AgentTools.all) }
        await server.withMethodHandler(CallTool.self) { [self] params in
            await call(params.name, arguments: params.arguments ?? [:])
        }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await link.keepConnected() }
            try await server.start(transport: StdioTransport(logger: logger))
            await server.waitUntilCompleted()
            group.cancelAll()
        }
    }

    /// Carries out one tool call: a request to the runtime, its answer in words and as structured content.
    func call(_ name: String, arguments: [String: Value]) async -> CallTool.Result {
        let request: AgentRequest
        switch AgentToolCall.request(name, arguments: arguments) {
        case let .success(made): request = made
        case let .failure(problem): return .init(content: [.text(text: problem.message, annotations: nil, _meta: nil)], isError: true)
        }
        do {
            let answer = try await link.ask(request)
            let text = ToolText.describe(answer, agent: agentID)
            let isError: Bool
            switch answer {
            case .refused: isError = true
            case let .outcome(outcome): isError = outcome.state == .refused
            default: isError = false
            }
            let structured: Value? = try? Value(answer)
            if structured != nil {
                return .init(content: [.text(text: text, annotations: nil, _meta: nil)], structuredContent: structured, isError: isError)
            }
            return .init(content: [.text(text: text, annotations: nil, _meta: nil)], isError: isError)
        } catch {
            return .init(content: [.text(text: "the runtime did not answer: \(error)", annotations: nil, _meta: nil)], isError: true)
        }
    }
}

/// Why a tool call's arguments make no request.
struct ToolProblem: Error {
    let message: String
}

/// Turns a tool call into the agent request it stands for.
enum AgentToolCall {
    static func request(_ name: String, arguments: [String: Value]) -> Result<AgentRequest, ToolProblem> {
        func text(_ key: String) -> String? { arguments[key]?.stringValue }
        switch name {
        case "list_cells":
            return .success(.cells)
        case "get_cell":
            guard let cell = text("cell") else { return .failure(ToolProblem(message: "get_cell needs 'cell': a cell id such as B2")) }
            return .success(.cell(id: cell))
        case "get_proposal":
            guard let id = text("proposal") else { return .failure(ToolProblem(message: "get_proposal needs 'proposal': its id or idempotency key")) }
            return .success(.proposal(id: id))
        case "list_my_proposals":
            return .success(arguments["pending_only"]?.boolValue == true ? .approvals : .proposals)
        case "withdraw_proposal":
            guard let id = text("proposal") else { return .failure(ToolProblem(message: "withdraw_proposal needs 'proposal': its id or idempotency key")) }
            return .success(.withdraw(id: id))
        case "recent_events":
            return .success(.events(limit: arguments["limit"]?.intValue ?? arguments["limit"]?.doubleValue.map { Int($0) }))
        case "propose_action":
            return proposal(arguments).map { .propose(proposal: $0) }
        default:
            return .failure(ToolProblem(message: "no tool '\(name)': the tools are \(AgentTools.all.map(\.name).joined(separator: ", "))"))
        }
    }

    private static func proposal(_ arguments: [String: Value]) -> Result<OutsideProposal, ToolProblem> {
        var missing: [String] = []
        func text(_ key: String) -> String {
            guard let value = arguments[key]?.stringValue else {
                missing.append(key)
                return ""
            }
            return value
        }
        let proposal = OutsideProposal(action: text("action"), target: text("target"), parameters: arguments["parameters"]?.objectValue?.mapValues(loose),
                                       risk: text("risk"), rationale: text("rationale"),
                                       evidence: arguments["evidence"]?.arrayValue?.map { $0.objectValue?.mapValues(loose) ?? [:] },
                                       idempotencyKey: text("idempotency_key"),
                                       basedOnRead: (arguments["based_on_read"]?.intValue).flatMap { $0 > 0 ? UInt64($0) : nil })
        guard missing.isEmpty else { return .failure(ToolProblem(message: "propose_action needs \(missing.joined(separator: ", ")) (text)")) }
        return .success(proposal)
    }

    /// A tool argument as the runtime checks it: numbers stay numbers, anything else is refused there with a reason.
    static func loose(_ value: Value) -> LooseValue {
        switch value {
        case let .int(number): .number(Double(number))
        case let .double(number): .number(number)
        case let .string(text): .text(text)
        case let .bool(flag): .flag(flag)
        case .null: .null
        case .data, .array, .object: .structure
        }
    }
}
