"""An MCP client session against `andon mcp`, driven by the PyPI `mcp` package (a client library Andon did not write),
over stdio. It prints one JSON object with what it saw; the Swift test (McpEndToEndTests) checks it.

    python3 mcp_session.py ANDON SOCKET propose      # initialize, list tools, read, propose allowed / denied / pending
    python3 mcp_session.py ANDON SOCKET outcome ID   # a new session asks what became of proposal ID
"""
import asyncio
import json
import sys
import time

from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client


def field(thing, snake, camel):
    """A field of a result, as the mcp package spells it (snake_case in 2.x, camelCase in 1.x)."""
    if thing is None:
        return None
    return getattr(thing, snake) if hasattr(thing, snake) else getattr(thing, camel, None)


def text_of(result):
    return "\n".join(part.text for part in result.content if getattr(part, "type", "") == "text")


async def call(session, name, arguments):
    result = await session.call_tool(name, arguments)
    return {"text": text_of(result), "isError": bool(field(result, "is_error", "isError")),
            "structured": field(result, "structured_content", "structuredContent")}


def outcome(called):
    return ((called["structured"] or {}).get("outcome") or {}).get("outcome") or {}


async def main():
    andon, socket_path, phase = sys.argv[1], sys.argv[2], sys.argv[3]
    server = StdioServerParameters(command=andon, args=["mcp", "--socket", socket_path])
    report = {}
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            initialized = await session.initialize()
            report["server"] = field(initialized, "server_info", "serverInfo").name
            report["instructions"] = initialized.instructions or ""
            if phase == "propose":
                tools = (await session.list_tools()).tools
                report["tools"] = {}
                for tool in tools:
                    schema = field(tool, "input_schema", "inputSchema")
                    report["tools"][tool.name] = {
                        "required": schema.get("required", []),
                        "properties": sorted(schema.get("properties", {}).keys()),
                        "readOnly": field(tool.annotations, "read_only_hint", "readOnlyHint"),
                        "destructive": field(tool.annotations, "destructive_hint", "destructiveHint"),
                        "description": tool.description or "",
                    }
                cells = await call(session, "list_cells", {})
                read_number = cells["structured"]["cells"]["read"]
                report["cells"] = [cell["id"] for cell in cells["structured"]["cells"]["cells"]]
                report["cell"] = await call(session, "get_cell", {"cell": "B4"})
                evidence = [{"name": "vibration", "value": 1.1, "unit": "mm/s", "limit": 2.8}]
                stamp = str(time.time_ns())
                allowed = await call(session, "propose_action", {
                    "action": "reduce_speed", "target": "B1", "parameters": {"percent": 5}, "risk": "low",
                    "rationale": "a small cut on fresh data", "evidence": evidence, "idempotency_key": "allowed-" + stamp,
                    "based_on_read": read_number})
                denied = await call(session, "propose_action", {
                    "action": "stop_cell", "target": "B3", "risk": "critical", "rationale": "stop it",
                    "evidence": evidence, "idempotency_key": "denied-" + stamp})
                pending = await call(session, "propose_action", {
                    "action": "reduce_speed", "target": "B4", "parameters": {"percent": 20}, "risk": "medium",
                    "rationale": "a bigger cut needs a person", "evidence": evidence, "idempotency_key": "pending-" + stamp})
                retried = await call(session, "propose_action", {
                    "action": "reduce_speed", "target": "B4", "parameters": {"percent": 20}, "risk": "medium",
                    "rationale": "a bigger cut needs a person (retried)", "evidence": evidence, "idempotency_key": "pending-" + stamp})
                bad = await call(session, "propose_action", {
                    "action": "reduce_speed", "target": "B4", "parameters": {"percent": 20}, "risk": "medium",
                    "rationale": "evidence in words", "evidence": [{"name": "vibration", "value": "high"}], "idempotency_key": "bad-" + stamp})
                report["allowed"] = {"state": outcome(allowed).get("state"), "text": allowed["text"]}
                report["denied"] = {"state": outcome(denied).get("state"), "rules": outcome(denied).get("rules"), "text": denied["text"]}
                report["pending"] = {"state": outcome(pending).get("state"), "id": outcome(pending).get("proposalID"),
                                     "deadline": outcome(pending).get("deadlineClock"), "text": pending["text"]}
                report["retried"] = {"state": outcome(retried).get("state"), "replay": outcome(retried).get("isReplay"),
                                     "id": outcome(retried).get("proposalID")}
                report["bad"] = {"isError": bad["isError"], "state": outcome(bad).get("state"), "text": bad["text"]}
                report["events"] = (await call(session, "recent_events", {"limit": 20}))["text"]
            else:
                proposal = sys.argv[4]
                deadline = time.time() + 30
                while True:
                    asked = await call(session, "get_proposal", {"proposal": proposal})
                    state = outcome(asked).get("state")
                    if state != "pending" or time.time() > deadline:
                        break
                    await asyncio.sleep(0.5)
                report["outcome"] = {"state": state, "text": asked["text"]}
    print(json.dumps(report))


if __name__ == "__main__":
    asyncio.run(main())
