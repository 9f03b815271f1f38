"""Outside agents that misbehave on an Andon service socket, one per case, each printing what it saw as one JSON line.

    python3 bad_agent.py SOCKET CASE [KEY]

CASE: undeclared, malformed, unknown-action, unknown-target, out-of-range, non-numeric-evidence, huge-rationale, flood,
disconnect-mid-request, replayed-key, propose (a well-behaved proposal under KEY), outcome (ask KEY's outcome),
other-agent (a well-behaved proposal by another declared agent), command (an agent tries to approve). Standard library only.
"""
import json
import socket
import struct
import sys
import time

AGENT = "assistant"


def frame(message):
    body = json.dumps(message).encode()
    return struct.pack(">I", len(body)) + body


class Agent:
    def __init__(self, path, agent=AGENT):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.next_id = 0
        self.sock.sendall(frame({"hello": {"_0": {"protocolVersion": 1, "client": "agent", "program": "bad_agent.py",
                                                  "session": "bad-agent-%d" % time.time_ns(), "isReadOnly": False,
                                                  "snapshotsPerSecond": 1, "agentID": agent}}}))
        self.welcome = self.read()

    def read(self):
        header = b""
        while len(header) < 4:
            chunk = self.sock.recv(4 - len(header))
            if not chunk:
                return None
            header += chunk
        (length,) = struct.unpack(">I", header)
        body = b""
        while len(body) < length:
            chunk = self.sock.recv(min(65536, length - len(body)))
            if not chunk:
                return None
            body += chunk
        return json.loads(body)

    def send(self, request):
        self.next_id += 1
        self.sock.sendall(frame({"agent": {"requestID": self.next_id, "request": request}}))
        return self.next_id

    def ask(self, request):
        wanted = self.send(request)
        while True:
            message = self.read()
            if message is None:
                return None
            if "agent" in message and message["agent"]["requestID"] == wanted:
                return message["agent"]["answer"]
            if "result" in message:
                return message

    def closed(self, wait=8.0):
        deadline = time.time() + wait
        self.sock.settimeout(0.5)
        while time.time() < deadline:
            try:
                if not self.sock.recv(65536):
                    return True
            except socket.timeout:
                continue
            except (ConnectionResetError, BrokenPipeError):
                return True
        return False


def proposal(key, **changes):
    sent = {"action": "reduce_speed", "target": "B1", "parameters": {"percent": 5}, "risk": "low",
            "rationale": "vibration creeping up", "evidence": [{"name": "vibration", "value": 1.9, "unit": "mm/s", "limit": 2.8}],
            "idempotencyKey": key}
    sent.update(changes)
    return {"propose": {"proposal": sent}}


def outcome_of(answer):
    return ((answer or {}).get("outcome") or {}).get("outcome") or {}


def main():
    path, case = sys.argv[1], sys.argv[2]
    key = sys.argv[3] if len(sys.argv) > 3 else "key-%d" % time.time_ns()
    result = {"case": case}
    if case == "undeclared":
        agent = Agent(path, agent="rogue.agent")
        result["refused"] = (agent.welcome or {}).get("refused", {}).get("reason", "")
        result["closed"] = agent.closed()
        print(json.dumps(result))
        return
    # The well-behaved agent beside the bad ones is another declared agent, with a rate of its own.
    agent = Agent(path, agent="vibration.trend" if case == "other-agent" else AGENT)
    result["welcome"] = "welcome" in (agent.welcome or {})
    if case == "malformed":
        agent.sock.sendall(frame({"agent": {"requestID": 1, "request": {"propose": {"proposal": {"action": 7}}}}}))
        result["closed"] = agent.closed()
    elif case == "unknown-action":
        result["outcome"] = outcome_of(agent.ask(proposal(key, action="launch_rocket")))
    elif case == "unknown-target":
        result["outcome"] = outcome_of(agent.ask(proposal(key, target="Z9")))
    elif case == "out-of-range":
        result["outcome"] = outcome_of(agent.ask(proposal(key, parameters={"percent": 95})))
    elif case == "non-numeric-evidence":
        result["outcome"] = outcome_of(agent.ask(proposal(key, evidence=[{"name": "vibration", "value": "rather high", "unit": "mm/s"}])))
    elif case == "huge-rationale":
        try:
            agent.sock.sendall(frame(proposal(key, rationale="x" * (10 * 1024 * 1024))))
        except (BrokenPipeError, ConnectionResetError):
            pass
        result["closed"] = agent.closed()
    elif case == "flood":
        sent = 0
        try:
            for i in range(300):
                agent.sock.sendall(frame({"agent": {"requestID": i + 1, "request": proposal("%s-%d" % (key, i), target="B5")}}))
                sent += 1
        except (BrokenPipeError, ConnectionResetError):
            pass
        result["sent"] = sent
        states = {}
        refusals = set()
        answered = 0
        dropped = False
        deadline = time.time() + 20
        while answered < 300 and time.time() < deadline:
            try:
                message = agent.read()
            except (socket.timeout, ConnectionResetError, OSError):
                dropped = True
                break
            if message is None:
                dropped = True
                break
            if "agent" not in message:
                continue
            answered += 1
            answer = message["agent"]["answer"]
            if "outcome" in answer:
                state = answer["outcome"]["outcome"]["state"]
                states[state] = states.get(state, 0) + 1
                if state == "refused":
                    refusals.add(answer["outcome"]["outcome"]["message"].split(":")[1].strip())
            else:
                states["request-refused"] = states.get("request-refused", 0) + 1
        result.update({"answered": answered, "states": states, "refusals": sorted(refusals), "dropped": dropped})
    elif case == "disconnect-mid-request":
        agent.send(proposal(key, target="B6", parameters={"percent": 4}))
        agent.sock.close()
        # Back again: the proposal was made once, and its fate can be asked.
        again = Agent(path)
        result["outcome"] = outcome_of(again.ask({"proposal": {"id": key}}))
        result["retry"] = outcome_of(again.ask(proposal(key, target="B6", parameters={"percent": 4})))
    elif case == "replayed-key":
        first = outcome_of(agent.ask(proposal(key, target="B2", parameters={"percent": 3})))
        agent.sock.close()
        again = Agent(path)
        same = outcome_of(again.ask(proposal(key, target="B2", parameters={"percent": 3}, rationale="said again, in other words")))
        different = outcome_of(again.ask(proposal(key, target="B2", parameters={"percent": 9})))
        result.update({"first": first, "same": same, "different": different})
    elif case == "other-agent":
        result["outcome"] = outcome_of(agent.ask(proposal(key, target="B3", parameters={"percent": 20}, risk="medium")))
    elif case == "propose":
        result["outcome"] = outcome_of(agent.ask(proposal(key, target="B3", parameters={"percent": 20}, risk="medium")))
    elif case == "outcome":
        result["outcome"] = outcome_of(agent.ask({"proposal": {"id": key}}))
        result["retry"] = outcome_of(agent.ask(proposal(key, target="B3", parameters={"percent": 20}, risk="medium")))
    elif case == "command":
        agent.sock.sendall(frame({"command": {"requestID": 99, "command": {"approve": {"approvalID": "p-1-1"}}}}))
        answer = agent.read()
        result["refused"] = json.dumps(answer)
        result["plant"] = (agent.ask({"plant": {}}) or {}).get("plant", {}).get("brief", {}).get("name")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
