import AndonCore
import MCP

/// The tools `andon mcp` offers: reads and propose-only acts of one declared outside agent. None approves,
/// acknowledges, changes policy or acts without a proposal; every proposal goes through the plant's policy.
enum AgentTools {
    /// What the model is told about the server as a whole.
    static let instructions = """
    You are connected to Andon, which supervises a manufacturing plant, as one declared outside agent. You may read the \
    plant and propose actions; you may not act directly. Every proposal goes through the plant's policy at once and is \
    answered with its outcome: executed (the policy allowed it and it ran after its record was committed), denied (with \
    the rule and its reason), or pending approval: people at the plant's consoles must approve it before its deadline, \
    and nothing happens until they do. Do not propose the same thing again while it is pending: ask for its outcome with \
    get_proposal. Give numeric evidence (readings with units and the limits they are compared with) and a plain \
    rationale; people read both before they decide. Reuse an idempotency key only to retry the same proposal.
    """

    static let listCells = Tool(
        name: "list_cells",
        title: "List the plant's cells",
        description: "Every cell of the plant: line, PackML state and status, speed, data age (stale or not), active alarms, and each sensor's latest reading against its limits. The answer names a read number; pass it to propose_action as based_on_read so the policy judges the data's age as you saw it.",
        inputSchema: .object(["type": "object", "properties": .object([:]), "additionalProperties": false]),
        annotations: .init(title: "List cells", readOnlyHint: true, openWorldHint: false)
    )

    static let getCell = Tool(
        name: "get_cell",
        title: "Read one cell",
        description: "One cell in full: state, speed, data age, every sensor with its reading, nominal value and limits (high_warn, high_alarm, trip), and its alarms. The answer names a read number for propose_action's based_on_read.",
        inputSchema: .object([
            "type": "object",
            "properties": .object(["cell": .object(["type": "string", "description": "The cell's id, as list_cells gives it (B2)."])]),
            "required": .array(["cell"]),
            "additionalProperties": false,
        ]),
        annotations: .init(title: "Read a cell", readOnlyHint: true, openWorldHint: false)
    )

    static var proposeAction: Tool {
        let actions = ActionKind.allCases.map { action -> String in
            let parameters = action.parameters.map { "\($0.name) \(format($0.range.lowerBound))…\(format($0.range.upperBound))\($0.isRequired ? " (required)" : "")" }
            return "\(action.rawValue)\(action.targetsLine ? " [target: a line]" : "")\(parameters.isEmpty ? "" : ": " + parameters.joined(separator: ", "))"
        }
        return Tool(
            name: "propose_action",
            title: "Propose an action",
            description: """
            Propose one action on a cell (or, for adjust_line_rate, a line). The plant's policy judges it at once; the answer is its outcome: \
            'executed' (allowed and carried out), 'denied' (with rule and reason: do not retry unchanged), 'pending' (waits for people to approve it \
            by a deadline; it does NOT run unless they approve: check later with get_proposal), 'shadow' (judged and recorded only: the agent is \
            in shadow mode or the kill switch is on), or 'refused' (the request itself was wrong, or too frequent: the reason says which). \
            Actions and parameters: \(actions.joined(separator: "; ")). Only the actions this agent is declared for are accepted.
            """,
            inputSchema: .object([
                "type": "object",
                "properties": .object([
                    "action": .object(["type": "string", "enum": .array(ActionKind.allCases.map { .string($0.rawValue) }), "description": "What to do."]),
                    "target": .object(["type": "string", "description": "The cell's id (B2), or the line's id for adjust_line_rate."]),
                    "parameters": .object([
                        "type": "object",
                        "description": "Numeric parameters of the action (percent, minutes, parts), as listed in the tool's description.",
                        "additionalProperties": .object(["type": "number"]),
                    ]),
                    "risk": .object(["type": "string", "enum": .array(RiskClass.allCases.map { .string($0.rawValue) }),
                                     "description": "How much harm the action can do if it is wrong; the policy asks more people for more risk."]),
                    "rationale": .object(["type": "string", "maxLength": .int(2000), "description": "Why, in a sentence or two, for the people who approve it."]),
                    "evidence": .object([
                        "type": "array",
                        "maxItems": .int(32),
                        "description": "The figures behind it: readings with units and the limits they are compared with.",
                        "items": .object([
                            "type": "object",
                            "properties": .object([
                                "name": .object(["type": "string", "description": "What was measured (vibration, 30-minute slope)."]),
                                "value": .object(["type": "number"]),
                                "unit": .object(["type": "string"]),
                                "limit": .object(["type": "number", "description": "The limit it is compared with, if any."]),
                            ]),
                            "required": .array(["name", "value"]),
                            "additionalProperties": false,
                        ]),
                    ]),
                    "idempotency_key": .object(["type": "string", "maxLength": .int(200),
                                                "description": "Names this proposal: a retry with the same key has effect once; a new proposal needs a new key."]),
                    "based_on_read": .object(["type": "integer", "minimum": .int(1), "description": "The read number of the list_cells or get_cell answer this is based on."]),
                ]),
                "required": .array(["action", "target", "risk", "rationale", "idempotency_key"]),
                "additionalProperties": false,
            ]),
            annotations: .init(title: "Propose an action (policy decides)", readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false)
        )
    }

    static let getProposal = Tool(
        name: "get_proposal",
        title: "Ask a proposal's outcome",
        description: "Where one of this agent's proposals stands now, by proposal id (p-1-42) or idempotency key: executed, denied, pending (with its approval id, who may approve and the deadline), approved, rejected, expired or withdrawn.",
        inputSchema: .object([
            "type": "object",
            "properties": .object(["proposal": .object(["type": "string", "description": "The proposal id or the idempotency key it was sent with."])]),
            "required": .array(["proposal"]),
            "additionalProperties": false,
        ]),
        annotations: .init(title: "Proposal outcome", readOnlyHint: true, openWorldHint: false)
    )

    static let listProposals = Tool(
        name: "list_my_proposals",
        title: "This agent's proposals",
        description: "This agent's recent proposals in this run, newest first, each with where it stands; with pending_only, only those waiting for approval.",
        inputSchema: .object([
            "type": "object",
            "properties": .object(["pending_only": .object(["type": "boolean", "description": "Only proposals waiting for people."])]),
            "additionalProperties": false,
        ]),
        annotations: .init(title: "My proposals", readOnlyHint: true, openWorldHint: false)
    )

    static let withdrawProposal = Tool(
        name: "withdraw_proposal",
        title: "Withdraw a pending proposal",
        description: "Withdraws one of this agent's proposals that is still pending approval (by id or idempotency key), for instance when its condition has cleared. Nothing else can be withdrawn.",
        inputSchema: .object([
            "type": "object",
            "properties": .object(["proposal": .object(["type": "string", "description": "The proposal id or its idempotency key."])]),
            "required": .array(["proposal"]),
            "additionalProperties": false,
        ]),
        annotations: .init(title: "Withdraw a proposal", readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false)
    )

    static let recentEvents = Tool(
        name: "recent_events",
        title: "Recent plant events",
        description: "The plant's most recent events, oldest first: state changes, alarms, proposals, policy decisions, approvals, actions, and what people did.",
        inputSchema: .object([
            "type": "object",
            "properties": .object(["limit": .object(["type": "integer", "minimum": .int(1), "maximum": .int(200), "description": "How many (50 when not given)."])]),
            "additionalProperties": false,
        ]),
        annotations: .init(title: "Recent events", readOnlyHint: true, openWorldHint: false)
    )

    /// Every tool, in the order listed.
    static var all: [Tool] { [listCells, getCell, proposeAction, getProposal, listProposals, withdrawProposal, recentEvents] }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
