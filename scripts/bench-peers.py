#!/usr/bin/env python3
"""Measures the peers a user would pick instead of Andon, on the same work as two of Andon's benchmarks.

Usage: scripts/bench-peers.py [--out FILE.json] [--rounds N] [--quick]

Prints one line per figure and, with --out, writes them as JSON for scripts/bench-table.py. A peer that is not
installed is reported as missing (with what to install) and the other one still runs; the exit status is 0 unless
a peer that is installed gives a decision other than the cases expect.

Cedar (`pip install cedarpy`), against `PolicyBenchmarks.DecisionDemoPolicy`:
  demo/policies.yaml is translated rule by rule into one Cedar policy set, and every request of
  demo/policies.cases.yaml into a Cedar request. Before anything is timed, every case's decision *and* the rules it
  names must come out of Cedar as the case expects; otherwise the script stops.
  - Andon's three outcomes in one policy set: a `deny` rule is a `forbid` (which wins over any permit, as a deny
    wins in Andon); an `allow` rule and an `approve` rule are both a `permit`, told apart by an `@outcome`
    annotation. Cedar's Deny is Andon's deny (its reasons are the forbids that matched; none for the default deny);
    an Allow whose reasons include an `@outcome("approve")` permit is Andon's approve (naming those rules: any
    matching approve rule outranks an allow), otherwise it is allow. One Cedar call gives the whole answer.
  - Principal `Agent::"<kind>"` (maintenance, quality, flow, safety, planner, external); action `Action::"<kind>"`;
    resource `Target::"<cell or line id>"`; everything else is in the context: `risk`, `line`, and the optional
    `data_age_ms`, `change_centi` (percent × 100, signed), `oee_bp` (OEE × 10,000), `shift_elapsed_ms`, `state`
    (PackML name), `status` (console word, derived from the state when the request gives none, as Andon does) and
    `shadow`. Cedar has no floating point, so these are scaled integers (exact for every case).
  - "A condition on a value the request does not carry is false" is `context has x && …`; |percent| is written as
    two comparisons. Cedar's `like` has no one-character wildcard, so a target glob with `?` (`"?6"`) is expanded
    into the ids of demo/plant.yaml that it matches (B6, M6, F6): exact for the demo plant, not for ids outside it.
  - Timed three ways, each over the cases in turn, and all three reported: `is_authorized_batch` of 1,000 requests
    with the policy set and entities parsed once into handles (`PolicySet`, `Entities`: how a service would hold
    them); `is_authorized` one request per call with the same handles (what a runtime deciding proposals one at a
    time pays); and `is_authorized` given the policy text, parsed again on every call (the package's basic
    example). Each is the median over rounds of µs per decision, Python's side (request dict to JSON, result
    JSON to objects) included, because a Python user pays it. Requests give their entities in the structured form
    (`{"type": …, "id": …}`), which Cedar reads without its parser (the faster form). Also reported: Cedar's own
    metrics for a request in the batch (`build_request_duration_micros` + `authz_duration_micros`, median), the
    evaluator without the binding around it.

LangGraph with its SQLite checkpointer (`pip install langgraph langgraph-checkpoint-sqlite`), against
`ApprovalBenchmarks.ApprovalRoundTrip`:
  a graph of three nodes on one thread: `propose` (a maintenance agent proposes a 20 % speed cut on a cell whose
  vibration passed its warning limit), `approval` (calls `interrupt()` with the proposal and waits for a person),
  `act` (applies the cut). One round trip is `invoke` of a new thread, which stops at the interrupt, then
  `invoke(Command(resume=…))` with the supervisor's approval, which runs the approval and the action to the end.
  The checkpointer is `SqliteSaver` on a file in a temporary directory with `PRAGMA synchronous = FULL` (as Andon's
  store), and both calls run with `durability="sync"`, so every checkpoint is committed before `invoke` returns.
  The graph is compiled once, outside the measurement (Andon builds its engine outside it too); the median is in
  ms per round trip. LangGraph makes no policy decision here; Andon's round trip includes one.
"""
import argparse
import fnmatch
import json
import os
import re
import statistics
import sys
import tempfile
import time

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def seconds(value):
    """A duration of the policy files (`10s`, `450m`, `2h`, `250ms`, or a number of seconds) in seconds."""
    if isinstance(value, (int, float)):
        return float(value)
    m = re.fullmatch(r"([\d.]+)\s*(us|ms|s|m|h|d)", str(value).strip())
    if not m:
        raise ValueError(f"not a duration: {value!r}")
    return float(m.group(1)) * {"us": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def fraction(value):
    """`60%` or `0.6` as 0.6."""
    text = str(value).strip()
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def listed(value):
    return value if isinstance(value, list) else [value]


# PackML states and the console's status words (Sources/AndonCore/Model/PackMLState.swift).
STATUS_OF_STATE = {
    "Execute": "EXEC", "Held": "HELD", "Holding": "HELD", "Suspended": "SUSP", "Suspending": "SUSP",
    "Aborted": "ABORTED", "Aborting": "ABORTED", "Stopped": "STOPPED", "Stopping": "STOPPED", "Idle": "IDLE",
    "Complete": "COMPLETE", "Completing": "COMPLETE", "Clearing": "CHANGING", "Resetting": "CHANGING",
    "Starting": "CHANGING", "Unholding": "CHANGING", "Unsuspending": "CHANGING",
}
STATUS_WORDS = {"EXEC", "HELD", "STARVED", "BLOCKED", "SUSP", "ABORTED", "STOPPED", "IDLE", "COMPLETE", "CHANGING", "STALE"}


def cedar_strings(values):
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def cedar_policies(policy, plant_ids):
    """The Cedar policy set for an Andon policy (the constructs demo/policies.yaml uses; anything else raises)."""
    texts = []
    for rule in policy["rules"]:
        match = rule.get("match") or {}
        unknown = set(match) - {"action", "target", "line", "risk", "agent", "when"}
        if unknown:
            raise ValueError(f"rule {rule['id']}: cannot translate {sorted(unknown)}")
        scope_action = "action"
        if "action" in match:
            actions = listed(match["action"])
            scope_action = "action in [" + ", ".join(f'Action::{json.dumps(a)}' for a in actions) + "]" \
                if len(actions) > 1 else f"action == Action::{json.dumps(actions[0])}"
        scope_principal = "principal"
        if "agent" in match:
            agents = listed(match["agent"])
            scope_principal = "principal in [" + ", ".join(f'Agent::{json.dumps(a)}' for a in agents) + "]" \
                if len(agents) > 1 else f"principal == Agent::{json.dumps(agents[0])}"
        conditions = []
        if "target" in match:
            ids = []
            for pattern in listed(match["target"]):
                if "*" in pattern or "?" in pattern:
                    ids += [i for i in plant_ids if fnmatch.fnmatchcase(i, pattern)]
                else:
                    ids.append(pattern)
            conditions.append("resource in [" + ", ".join(f'Target::{json.dumps(i)}' for i in ids) + "]")
        if "line" in match:
            lines = listed(match["line"])
            if any("*" in p or "?" in p for p in lines):
                raise ValueError(f"rule {rule['id']}: cannot translate a line glob")
            conditions.append(f"{cedar_strings(lines)}.contains(context.line)")
        if "risk" in match:
            risks = listed(match["risk"])
            conditions.append(f"context.risk == {json.dumps(risks[0])}" if len(risks) == 1
                              else f"{cedar_strings(risks)}.contains(context.risk)")
        for key, value in (match.get("when") or {}).items():
            if key in ("data_age_over", "data_age_at_most", "shift_elapsed_over", "shift_elapsed_at_most"):
                field = "data_age_ms" if key.startswith("data_age") else "shift_elapsed_ms"
                op = ">" if key.endswith("_over") else "<="
                conditions.append(f"(context has {field} && context.{field} {op} {round(seconds(value) * 1000)})")
            elif key == "change_percent_over":
                n = round(float(value) * 100)
                conditions.append(f"(context has change_centi && (context.change_centi > {n} || context.change_centi < -{n}))")
            elif key == "change_percent_at_most":
                n = round(float(value) * 100)
                conditions.append(f"(context has change_centi && context.change_centi <= {n} && context.change_centi >= -{n})")
            elif key in ("oee_below", "oee_above"):
                op = "<" if key == "oee_below" else ">"
                conditions.append(f"(context has oee_bp && context.oee_bp {op} {round(fraction(value) * 10000)})")
            elif key == "state":
                names = listed(value)
                states = [n for n in names if n in STATUS_OF_STATE]
                words = [n for n in names if n in STATUS_WORDS]
                either = []
                if states:
                    either.append(f"(context has state && {cedar_strings(states)}.contains(context.state))")
                if words:
                    either.append(f"(context has status && {cedar_strings(words)}.contains(context.status))")
                conditions.append("(" + " || ".join(either) + ")")
            elif key == "shadow":
                conditions.append(f"context.shadow == {'true' if value else 'false'}")
            else:
                raise ValueError(f"rule {rule['id']}: cannot translate condition {key}")
        effect = "forbid" if rule["decision"] == "deny" else "permit"
        body = "\nwhen {\n  " + " &&\n  ".join(conditions) + "\n}" if conditions else ""
        texts.append(f'@id({json.dumps(rule["id"])})\n@outcome({json.dumps(rule["decision"])})\n'
                     f"{effect} ({scope_principal}, {scope_action}, resource){body};")
    return "\n\n".join(texts) + "\n"


def cedar_request(request):
    """A case's request as a Cedar request."""
    context = {"risk": request["risk"], "line": request.get("line", request["target"]),
               "shadow": bool(request.get("shadow", False))}
    if "data_age" in request:
        context["data_age_ms"] = round(seconds(request["data_age"]) * 1000)
    if "change_percent" in request:
        context["change_centi"] = round(float(request["change_percent"]) * 100)
    if "oee" in request:
        context["oee_bp"] = round(fraction(request["oee"]) * 10000)
    if "shift_elapsed" in request:
        context["shift_elapsed_ms"] = round(seconds(request["shift_elapsed"]) * 1000)
    if "state" in request:
        context["state"] = request["state"]
    if "status" in request:
        context["status"] = request["status"]
    elif "state" in request:
        context["status"] = STATUS_OF_STATE[request["state"]]
    return {"principal": {"type": "Agent", "id": request["agent"]}, "action": {"type": "Action", "id": request["action"]},
            "resource": {"type": "Target", "id": request["target"]}, "context": context}


def andon_outcome(result, outcome_of, order):
    """Andon's decision and named rules from a Cedar answer."""
    reasons = [result.diagnostics.id_annotations_by_reason.get(r, r) for r in result.diagnostics.reasons]
    if not result.allowed:
        return "deny", sorted(reasons, key=order.index)
    approving = [r for r in reasons if outcome_of[r] == "approve"]
    if approving:
        return "approve", sorted(approving, key=order.index)
    return "allow", sorted(reasons, key=order.index)


def median_per(run, count, rounds):
    """Median over `rounds` of (seconds of `run()`) / count, in µs."""
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        samples.append((time.perf_counter() - start) / count * 1e6)
    return statistics.median(samples), min(samples)


def bench_cedar(rounds, quick):
    try:
        import cedarpy
        import yaml
    except ImportError as error:
        return {"missing": f"{error.name} is not installed (pip install cedarpy pyyaml)"}
    policy = yaml.safe_load(open(os.path.join(repo, "demo/policies.yaml")))
    cases = yaml.safe_load(open(os.path.join(repo, "demo/policies.cases.yaml")))["cases"]
    plant = yaml.safe_load(open(os.path.join(repo, "demo/plant.yaml")))
    plant_ids = [line["id"] for line in plant["lines"]] + [c["id"] for line in plant["lines"] for c in line.get("cells", [])]
    text = cedar_policies(policy, plant_ids)
    outcome_of = {r["id"]: r["decision"] for r in policy["rules"]}
    order = [r["id"] for r in policy["rules"]]
    policy_set = cedarpy.PolicySet.from_str(text)
    entities = cedarpy.Entities.from_json_str("[]")
    requests = [cedar_request(c["request"]) for c in cases]

    for case, request in zip(cases, requests):
        result = cedarpy.is_authorized(request, policy_set, entities)
        if result.diagnostics.errors:
            sys.exit(f"cedar: {case['name']}: {result.diagnostics.errors}")
        got = andon_outcome(result, outcome_of, order)
        want = (case["expect"]["decision"], case["expect"].get("rules", []))
        if got != (want[0], list(want[1])):
            sys.exit(f"cedar disagrees with the case {case['name']!r}: {got} (expected {want})")

    batch = [requests[i % len(requests)] for i in range(1000)]
    singles = batch[:200] if quick else batch
    batch_us, batch_best = median_per(lambda: cedarpy.is_authorized_batch(batch, policy_set, entities), len(batch), rounds)
    single_us, single_best = median_per(lambda: [cedarpy.is_authorized(r, policy_set, entities) for r in singles],
                                        len(singles), rounds)
    text_singles = singles[:100]
    text_us, text_best = median_per(lambda: [cedarpy.is_authorized(r, text, "[]") for r in text_singles],
                                    len(text_singles), rounds)
    # Cedar's own account of the evaluation alone (building the request, then deciding), from the last batch.
    metrics = [r.metrics for r in cedarpy.is_authorized_batch(batch, policy_set, entities)]
    evaluator_us = statistics.median(m["build_request_duration_micros"] + m["authz_duration_micros"] for m in metrics)
    return {
        "version": cedarpy.__dict__.get("__version__") or package_version("cedarpy"),
        "cases": len(cases), "agree": True, "policies": len(policy["rules"]),
        "batch_us": batch_us, "batch_best_us": batch_best,
        "single_us": single_us, "single_best_us": single_best,
        "single_text_us": text_us, "single_text_best_us": text_best, "evaluator_us": evaluator_us,
    }


def bench_langgraph(rounds, quick):
    try:
        import sqlite3
        from typing import Optional, TypedDict
        from langgraph.checkpoint.sqlite import SqliteSaver
        from langgraph.graph import END, START, StateGraph
        from langgraph.types import Command, interrupt
    except ImportError as error:
        return {"missing": f"{error.name} is not installed (pip install langgraph langgraph-checkpoint-sqlite)"}

    class Cell(TypedDict):
        cell: str
        vibration: float
        warn: float
        speed: float
        proposal: Optional[dict]
        approved_by: Optional[str]

    def propose(state):
        if state["vibration"] <= state["warn"]:
            return {"proposal": None}
        return {"proposal": {"action": "reduce_speed", "target": state["cell"], "percent": 20, "risk": "medium",
                             "reason": "vibration above its warning limit"}}

    def approval(state):
        answer = interrupt({"proposal": state["proposal"], "roles": ["supervisor"]})
        if answer.get("decision") != "approve":
            return {"proposal": None}
        return {"approved_by": answer["by"]}

    def act(state):
        if state["proposal"] is None:
            return {}
        return {"speed": state["speed"] * (1 - state["proposal"]["percent"] / 100)}

    builder = StateGraph(Cell)
    builder.add_node("propose", propose)
    builder.add_node("approval", approval)
    builder.add_node("act", act)
    builder.add_edge(START, "propose")
    builder.add_edge("propose", "approval")
    builder.add_edge("approval", "act")
    builder.add_edge("act", END)

    directory = tempfile.mkdtemp(prefix="andon-peers-")
    path = os.path.join(directory, "checkpoints.sqlite")
    connection = sqlite3.connect(path, check_same_thread=False)
    saver = SqliteSaver(connection)
    saver.setup()
    connection.execute("PRAGMA synchronous = FULL")
    graph = builder.compile(checkpointer=saver)
    counter = [0]

    def round_trip():
        counter[0] += 1
        config = {"configurable": {"thread_id": f"cell-A-{counter[0]}"}}
        first = graph.invoke({"cell": "A", "vibration": 2.81, "warn": 2.8, "speed": 1.0, "proposal": None,
                              "approved_by": None}, config, durability="sync")
        if "__interrupt__" not in first:
            raise RuntimeError("the graph did not stop for the approval")
        final = graph.invoke(Command(resume={"decision": "approve", "by": "ana"}), config, durability="sync")
        if final["approved_by"] != "ana" or abs(final["speed"] - 0.8) > 1e-9:
            raise RuntimeError(f"the approved action did not run: {final}")

    try:
        for _ in range(5):
            round_trip()
        count = 20 if quick else 100
        samples = []
        for _ in range(count):
            start = time.perf_counter()
            round_trip()
            samples.append((time.perf_counter() - start) * 1e3)
        checkpoints = connection.execute("select count(*) from checkpoints").fetchone()[0]
    finally:
        connection.close()
        for name in os.listdir(directory):
            os.remove(os.path.join(directory, name))
        os.rmdir(directory)
    return {"version": package_version("langgraph"), "checkpointer": package_version("langgraph-checkpoint-sqlite"),
            "round_trips": count, "round_trip_ms": statistics.median(samples), "round_trip_best_ms": min(samples),
            "checkpoints_per_round_trip": checkpoints / (count + 5)}


def package_version(name):
    try:
        from importlib.metadata import version
        return version(name)
    except Exception:
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", help="write the figures as JSON here")
    parser.add_argument("--rounds", type=int, default=15, help="rounds of each Cedar measurement (median taken)")
    parser.add_argument("--quick", action="store_true", help="fewer calls per round (a smoke run)")
    args = parser.parse_args()
    figures = {"cedarpy": bench_cedar(args.rounds, args.quick), "langgraph": bench_langgraph(args.rounds, args.quick)}
    cedar, graph = figures["cedarpy"], figures["langgraph"]
    if "missing" in cedar:
        print(f"cedarpy: {cedar['missing']}")
    else:
        print(f"cedarpy {cedar['version']}: {cedar['cases']} cases agree; µs per decision, median of {args.rounds}: "
              f"batch {cedar['batch_us']:.2f}, single {cedar['single_us']:.2f}, single from policy text {cedar['single_text_us']:.1f}; "
              f"Cedar's own metrics per request {cedar['evaluator_us']:.0f}")
    if "missing" in graph:
        print(f"langgraph: {graph['missing']}")
    else:
        print(f"langgraph {graph['version']} + SqliteSaver: approval round trip median {graph['round_trip_ms']:.2f} ms "
              f"(best {graph['round_trip_best_ms']:.2f}; {graph['checkpoints_per_round_trip']:.1f} checkpoints each)")
    if args.out:
        with open(args.out, "w") as f:
            json.dump(figures, f, indent=2)


if __name__ == "__main__":
    main()
