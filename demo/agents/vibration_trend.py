#!/usr/bin/env python3
"""A vibration-trend agent outside Andon: it reads the plant over the service socket and proposes reduce_speed with
evidence when a vibration sensor is heading for its warning limit. Python standard library only, no model weights.

    python3 demo/agents/vibration_trend.py [--socket PATH] [--agent vibration.trend] [--interval 1] [--once]

It is one declared outside agent (demo/plant.yaml, kind: external): the runtime's policy judges each proposal, people
approve what the policy says they must, and every step is in the audit log. The agent never acts itself; it reads,
proposes and asks what became of its proposals. Protocol: docs/agents.md.

What it proposes, per cell of its line with a vibration sensor (fitted slope over the last readings it saw):
  - the reading is rising and would reach high_warn within 20 minutes: reduce_speed 5 %, low risk
    (the demo policy lets a small, low-risk speed cut on fresh data run on its own);
  - the reading is at or over high_warn and still rising: reduce_speed 15 %, medium risk
    (the demo policy asks an operator or supervisor to approve it: it waits in the console's approvals pane).
One proposal per condition and episode: the idempotency key names the cell, the step and the episode, so a retry after
a reconnect (or a restart of either side) has effect once.
"""
import argparse
import glob
import json
import os
import signal
import socket
import struct
import sys
import time
import uuid

PROTOCOL_VERSION = 1


class Link:
    """One connection to the runtime: length-prefixed JSON frames, requests answered by id."""

    def __init__(self, path, agent):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(10)
        self.sock.connect(path)
        self.next_id = 0
        self.send({"hello": {"_0": {"protocolVersion": PROTOCOL_VERSION, "client": "agent", "program": "vibration_trend.py",
                                    "session": str(uuid.uuid4()), "isReadOnly": False, "snapshotsPerSecond": 0.2, "agentID": agent}}})
        answer = self.read()
        if "welcome" not in answer:
            raise SystemExit("refused: %s" % answer.get("refused", {}).get("reason", answer))

    def send(self, message):
        body = json.dumps(message).encode()
        self.sock.sendall(struct.pack(">I", len(body)) + body)

    def read(self):
        header = self._exactly(4)
        (length,) = struct.unpack(">I", header)
        return json.loads(self._exactly(length))

    def _exactly(self, count):
        data = b""
        while len(data) < count:
            chunk = self.sock.recv(count - len(data))
            if not chunk:
                raise ConnectionError("the runtime closed the connection")
            data += chunk
        return data

    def ask(self, request):
        """Sends one agent request and returns its answer (skipping anything else the runtime sends)."""
        self.next_id += 1
        self.send({"agent": {"requestID": self.next_id, "request": request}})
        while True:
            message = self.read()
            if "agent" in message and message["agent"]["requestID"] == self.next_id:
                return message["agent"]["answer"]
            if "goodbye" in message:
                raise ConnectionError(message["goodbye"]["reason"])


def slope_per_minute(points):
    """Least-squares slope of (plant seconds, value) points, per minute."""
    n = len(points)
    if n < 3:
        return None
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread <= 0:
        return None
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / spread * 60


class Trend:
    """What the agent has seen of one sensor, and which of its proposals it has made in the current episode."""

    def __init__(self):
        self.points = []
        self.episode = 0
        self.made = set()


def decide(cell, sensor, trend, now):
    """The proposal this reading calls for, or None."""
    warn = sensor.get("highWarn")
    if warn is None or cell["isStale"]:
        return None
    value = sensor["value"]
    trend.points = [(t, v) for t, v in trend.points if now - t <= 600] + [(now, value)]
    slope = slope_per_minute(trend.points[-20:])
    if slope is None:
        return None
    # The condition clears (with some room) before a new episode may propose again.
    if value < warn * 0.8 and slope <= 0.05:
        if trend.made:
            trend.episode += 1
            trend.made = set()
        return None
    if slope <= 0.05:
        return None
    minutes_to_warn = (warn - value) / slope if value < warn else 0.0
    evidence = [
        {"name": "%s (latest)" % sensor["id"], "value": round(value, 3), "unit": sensor["unit"], "limit": warn},
        {"name": "%s slope" % sensor["id"], "value": round(slope, 3), "unit": sensor["unit"] + "/min"},
        {"name": "readings in fit", "value": len(trend.points[-20:]), "unit": "count"},
    ]
    if value >= warn:
        step, percent, risk = "over-warn", 15, "medium"
        why = "%s vibration %.2f %s is over its warning limit %.1f and still rising %.2f %s/min; a 15%% speed cut slows the wear" % (
            cell["id"], value, sensor["unit"], warn, slope, sensor["unit"])
    elif minutes_to_warn <= 20:
        step, percent, risk = "heading-for-warn", 5, "low"
        evidence.append({"name": "minutes to high_warn", "value": round(minutes_to_warn, 1), "unit": "min"})
        why = "%s vibration rising %.2f %s/min reaches its warning limit %.1f in about %.0f min; a 5%% speed cut buys time" % (
            cell["id"], slope, sensor["unit"], warn, minutes_to_warn)
    else:
        return None
    if step in trend.made:
        return None
    trend.made.add(step)
    return {"action": "reduce_speed", "target": cell["id"], "parameters": {"percent": percent}, "risk": risk, "rationale": why,
            "evidence": evidence, "idempotencyKey": "%s/%s/%s/e%d" % (cell["id"], sensor["id"], step, trend.episode)}


def default_socket():
    """$ANDON_SOCKET, else the one socket in the folders andon serve uses."""
    if os.environ.get("ANDON_SOCKET"):
        return os.environ["ANDON_SOCKET"]
    folders = []
    if os.environ.get("XDG_RUNTIME_DIR", "").startswith("/"):
        folders.append(os.path.join(os.environ["XDG_RUNTIME_DIR"], "andon"))
    folders += ["/run/andon", "/tmp/andon-%d" % os.getuid()]
    for folder in folders:
        found = sorted(glob.glob(os.path.join(folder, "*.sock")))
        if found:
            return found[0]
    return None


def run(args):
    link = Link(args.socket, args.agent)
    brief = link.ask({"plant": {}})["plant"]["brief"]
    agent = brief["agent"]
    print("attached to %s as %s %s (%s, %s; may propose %s at most %s)" % (
        brief["name"], agent["id"], agent["version"], agent["mode"], agent["scope"], ", ".join(agent["actions"]), agent["rateLimit"]), flush=True)
    trends = {}
    pending = {}
    while True:
        now = link.ask({"plant": {}})["plant"]["brief"]["time"]
        cells = link.ask({"cells": {}})["cells"]
        read = cells["read"]
        for cell in cells["cells"]:
            if agent["scope"] not in ("line %s" % cell["line"], "cell %s" % cell["id"]):
                continue
            for sensor in cell["sensors"]:
                if sensor["kind"] != "vibration":
                    continue
                trend = trends.setdefault((cell["id"], sensor["id"]), Trend())
                proposal = decide(cell, sensor, trend, now)
                if proposal is None:
                    continue
                proposal["basedOnRead"] = read
                outcome = link.ask({"propose": {"proposal": proposal}})
                if "outcome" in outcome:
                    result = outcome["outcome"]["outcome"]
                    print("%s %s %s%%: %s: %s" % (result.get("proposalID") or "-", cell["id"], proposal["parameters"]["percent"],
                                                  result["state"], result["message"]), flush=True)
                    if result["state"] == "pending":
                        pending[result["proposalID"]] = proposal["idempotencyKey"]
                else:
                    print("refused: %s" % outcome.get("refused", {}).get("reason", outcome), flush=True)
        # What became of proposals waiting for people.
        for proposal_id in list(pending):
            answer = link.ask({"proposal": {"id": proposal_id}})
            result = answer.get("outcome", {}).get("outcome")
            if result and result["state"] != "pending":
                print("%s: %s: %s" % (proposal_id, result["state"], result["message"]), flush=True)
                del pending[proposal_id]
        if args.once:
            return
        time.sleep(args.interval)


def main():
    # Whoever started us may have left SIGTERM ignored (a runtime handles it itself): stop when asked.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--socket", default=default_socket(), help="the runtime's service socket")
    parser.add_argument("--agent", default="vibration.trend", help="the declared outside agent to attach as")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between reads")
    parser.add_argument("--once", action="store_true", help="read and propose once, then stop")
    args = parser.parse_args()
    if not args.socket:
        parser.error("no runtime serves a socket here: start andon demo or andon serve, or give --socket PATH")
    delay = 0.5
    while True:
        try:
            run(args)
            return
        except (ConnectionError, OSError, socket.timeout) as problem:
            # The runtime went away (a restart, a stop): try again; the idempotency keys make retries harmless.
            print("connection lost (%s); retrying in %.1f s" % (problem, delay), file=sys.stderr, flush=True)
            time.sleep(delay)
            delay = min(5.0, delay * 2)
        except KeyboardInterrupt:
            return


if __name__ == "__main__":
    main()
