#!/usr/bin/env python3
"""Prints Andon's benchmark table from the files scripts/bench.sh collects in OUT.

Usage: scripts/bench-table.py OUT

OUT holds the ordo-one percentile exports (*.histogram.percentiles.tsv, values already scaled to the unit in
their header: per operation for benchmarks with a scaling factor), headless-N.{json,time} from timing
`andon demo --headless --for 8h`, console.txt from scripts/bench-console.sh, and peers.json from
scripts/bench-peers.py (the peers, shown as ratios to Andon's figures of the same run; a peer not installed is
shown as such).
Exit status: 0 when every row with a target passes, 1 otherwise.
"""
import glob
import json
import os
import re
import statistics
import sys

out = sys.argv[1]
rows = []  # (what, target text, measured, unit, verdict)


def percentile(target, name, metric, p=50):
    """The p-th percentile of a benchmark's metric and its unit, or (None, None) when it did not run."""
    safe = metric.replace("/", "_")
    files = glob.glob(os.path.join(out, f"*.{target}.{name}.{safe}.histogram.percentiles.tsv"))
    if not files:
        return None, None
    with open(files[0]) as f:
        header = f.readline()
        values = dict(line.rstrip("\n").split("\t") for line in f if line.strip())
    groups = re.findall(r"\(([^()]*)\)", header)
    value = float(values[str(p)])
    magnitude = {"K": 1e3, "M": 1e6, "G": 1e9}
    if groups and groups[-1] in magnitude:  # counts are printed in thousands (K) or millions (M)
        value *= magnitude[groups.pop()]
    return value, (groups[-1] if groups else "")


def to_ns(value, unit):
    return value * {"ns": 1, "µs": 1e3, "μs": 1e3, "us": 1e3, "ms": 1e6, "s": 1e9}.get(unit, 1)


def row(what, target, measured, unit, ok):
    verdict = "—" if ok is None else ("pass" if ok else "FAIL")
    rows.append((what, target, measured, unit, verdict))


def fmt(x, digits=3):
    if x is None:
        return "not run"
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.{digits}g}"


def time_row(what, target, name, metric="wallClock", bar_ns=None, unit_out="µs"):
    value, unit = percentile(target, name, metric)
    if value is None:
        row(what, "" if bar_ns is None else f"≤ {fmt(bar_ns / {'ns': 1, 'µs': 1e3, 'ms': 1e6, 's': 1e9}[unit_out])} {unit_out}", None, unit_out, None)
        return None
    ns = to_ns(value, unit)
    shown = ns / {"ns": 1, "µs": 1e3, "ms": 1e6, "s": 1e9}[unit_out]
    target_text = "" if bar_ns is None else f"≤ {fmt(bar_ns / {'ns': 1, 'µs': 1e3, 'ms': 1e6, 's': 1e9}[unit_out])} {unit_out}"
    row(what, target_text, shown, unit_out, None if bar_ns is None else ns <= bar_ns)
    return ns


# Policy
policy_ns = time_row("policy decision, demo policy set", "PolicyBenchmarks", "DecisionDemoPolicy", bar_ns=1000, unit_out="ns")
time_row("  policy decision, 500 generated rules (no bar)", "PolicyBenchmarks", "Decision500Rules", unit_out="ns")
allocs, _ = percentile("PolicyBenchmarks", "DecisionDemoPolicy", "mallocCountTotal")
row("  allocations per decision, demo policy", "", allocs, "mallocs", None)

# Telemetry
rate, _ = percentile("IngestBenchmarks", "TelemetryThroughTwinAndAgents", "events/s")
row("telemetry through twin + agents (demo plant, 75 agents, recorded stream)", "≥ 1,000,000 events/s", rate, "events/s",
    None if rate is None else rate >= 1_000_000)
bare, _ = percentile("IngestBenchmarks", "TelemetryThroughTwinOnly", "events/s")
row("  the same through the contract check and twin only, no agents (no bar)", "", bare, "events/s", None)
mallocs, _ = percentile("IngestBenchmarks", "TelemetryThroughTwinAndAgents", "mallocCountTotal")
row("  allocations per event", "", None if mallocs is None else mallocs / 10_711, "mallocs/event", None)
wall, wall_unit = percentile("IngestBenchmarks", "IngestRecordedStream", "wallClock")
lines_per_s = None if wall is None else 10_711 / (to_ns(wall, wall_unit) / 1e9)
row("telemetry ingest + validation + twin update, from a file", "≥ 500,000 lines/s", lines_per_s, "lines/s",
    None if lines_per_s is None else lines_per_s >= 500_000)
rate, _ = percentile("RuntimeBenchmarks", "TelemetryDemoPlant", "events/s")
row("  events through the whole simulated engine (demo, no bar)", "", rate, "events/s", None)
cpu, cpu_unit = percentile("RuntimeBenchmarks", "TelemetryDemoPlant", "cpuTotal")
count, _ = percentile("RuntimeBenchmarks", "TelemetryDemoPlant", "events")
per_cpu = None if not cpu or not count else count / (to_ns(cpu, cpu_unit) / 1e9)
row("  the same per CPU-second", "", per_cpu, "events/s", None)

# Approvals
approval_ns = time_row("durable approval round trip (fsync)", "ApprovalBenchmarks", "ApprovalRoundTrip", bar_ns=1_000_000)
time_row("  of which: audit append, 1 record, fsync", "ApprovalBenchmarks", "AuditAppendSync")
time_row("  of which: audit append, 1 record, no fsync", "ApprovalBenchmarks", "AuditAppendNoSync")

# Peers, same run (scripts/bench-peers.py)
peers_path = os.path.join(out, "peers.json")
peers = json.load(open(peers_path)) if os.path.exists(peers_path) else {}


def ratio(peer_ns, andon_ns):
    return "—" if andon_ns is None or peer_ns is None else f"{peer_ns / andon_ns:,.0f}× Andon's"


cedar = peers.get("cedarpy")
if cedar is None or "missing" in cedar:
    rows.append(("peer: Cedar (cedarpy), the demo policy's decisions", "", None, "", cedar["missing"] if cedar else "not run"))
else:
    for key, how in [("batch_us", "is_authorized_batch of 1,000, parsed handles"),
                     ("single_us", "is_authorized, one per call, parsed handles"),
                     ("single_text_us", "is_authorized, one per call, policy text"),
                     ("evaluator_us", "Cedar's own metrics: build request + authorize")]:
        rows.append((f"  peer: Cedar (cedarpy {cedar['version']}), {how}", "", cedar[key], "µs per decision",
                     ratio(cedar[key] * 1e3, policy_ns)))
graph = peers.get("langgraph")
if graph is None or "missing" in graph:
    rows.append(("peer: LangGraph + SqliteSaver, approval round trip", "", None, "", graph["missing"] if graph else "not run"))
else:
    rows.append((f"  peer: LangGraph {graph['version']} + SqliteSaver, approval round trip (interrupt, resume)", "",
                 graph["round_trip_ms"], "ms", ratio(graph["round_trip_ms"] * 1e6, approval_ns)))

# Audit store at a year's length
time_row("open and recover an audit store of 1,000,000 records", "StoreBenchmarks", "OpenAndRecover1M", bar_ns=1e9, unit_out="ms")
memory, memory_unit = percentile("StoreBenchmarks", "OpenAndRecover1M", "peakMemoryResident")
if memory is not None:
    mb = memory * {"": 1, "B": 1}.get(memory_unit, 1) / (1024 * 1024) if memory_unit in ("", "B") else memory
    row("  peak memory of the same (whole process)", "≤ 64 MB", mb, "MB", None)
verified, _ = percentile("StoreBenchmarks", "Verify1M", "records/s")
row("audit verify, whole chain of 1,000,000 records (no bar)", "", verified, "records/s", None)

# Console frames
for cells in [18, 200, 2000, 10000]:
    time_row(f"compose one frame 200×60 (new snapshot), {cells:,} cells", "ConsoleBenchmarks", f"ComposeFrame200x60-{cells}cells", bar_ns=1_000_000)
for cells in [18, 200, 2000, 10000]:
    time_row(f"  redraw of the same snapshot 200×60, {cells:,} cells", "ConsoleBenchmarks", f"ComposeRedraw200x60-{cells}cells")
for cells in [18, 200, 2000, 10000]:
    time_row(f"  redraw + text render 200×60, {cells:,} cells", "ConsoleBenchmarks", f"ComposeRenderText200x60-{cells}cells")
for cells in [18, 200, 2000, 10000]:
    time_row(f"  engine.snapshot(), {cells:,} cells", "ConsoleBenchmarks", f"Snapshot-{cells}cells")

# Headless
time_row("8 simulated hours headless (benchmark)", "RuntimeBenchmarks", "DemoHeadless8h", bar_ns=1e9, unit_out="s")
time_row("  CPU time of the same", "RuntimeBenchmarks", "DemoHeadless8h", metric="cpuTotal", unit_out="s")
walls, rss = [], []
for path in sorted(glob.glob(os.path.join(out, "headless-*.time"))):
    text = open(path).read()
    m = re.search(r"wall_s=([\d.]+) rss_peak_kb=(\d+)", text)
    if m:
        walls.append(float(m.group(1)))
        rss.append(int(m.group(2)) / 1024)
if walls:
    wall = statistics.median(walls)
    row(f"andon demo --headless --for 8h (CLI, median of {len(walls)})", "≤ 1 s", wall, "s", wall <= 1)
    row("  peak RSS, headless 8h", "≤ 64 MB", statistics.median(rss), "MB", statistics.median(rss) <= 64)

# Console
console = os.path.join(out, "console.txt")
if os.path.exists(console):
    for line in open(console):
        if not line.startswith("console "):
            continue
        f = dict(kv.split("=") for kv in line.split()[1:])
        plant = f["plant"]
        demo = plant.startswith("demo")
        label = "andon demo" if demo else f"andon demo --plant {plant}"
        cpu = float(f["cpu_pct"])
        tty = float(f["tty_bytes_per_s"])
        mem = float(f["rss_peak_mb"])
        # §5 holds `andon demo` to 1 % CPU and 5 KB/s; for 10,000 cells its bar is memory only, so those are shown.
        row(f"{label} at 160×48, CPU ({f['measured_s']} s)", "≤ 1 %" if demo else "", cpu, "% of a core", cpu <= 1 if demo else None)
        row(f"{label} at 160×48, written to the terminal", "≤ 5 KB/s" if demo else "", tty / 1024, "KB/s",
            tty <= 5 * 1024 if demo else None)
        bar = 64 if demo else 256
        row(f"{label}, peak RSS", f"≤ {bar} MB", mem, "MB", mem <= bar)

widths = [max(len(str(r[i] if isinstance(r[i], str) else fmt(r[i]))) for r in rows + [("what", "target", "measured (median)", "unit", "result")]) for i in range(5)]
header = ("what", "target", "measured (median)", "unit", "result")
print(" | ".join(h.ljust(w) for h, w in zip(header, widths)))
print("-|-".join("-" * w for w in widths))
for r in rows:
    cells = [r[0], r[1], fmt(r[2]), r[3], r[4]]
    print(" | ".join(c.ljust(w) if i != 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))))
sys.exit(1 if any(r[4] == "FAIL" for r in rows) else 0)
