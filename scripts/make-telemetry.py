#!/usr/bin/env python3
"""Writes a recorded telemetry stream of N lines: the demo recording repeated, each pass carrying on where the last
ended (sequence numbers, timestamps, and each cell's produced and scrap counters), so the stream reads as one long
run of the plant, with no restarts or resets.

    scripts/make-telemetry.py 1000000 > /tmp/riverside-1m.jsonl
    scripts/make-telemetry.py 1000000 demo/telemetry/riverside-10m.jsonl > …   (another recording)

Used by `scripts/bench.sh` for the whole-command figure (`andon run --headless` on a million lines).
"""
import json
import os
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: scripts/make-telemetry.py LINES [RECORDING]")
    wanted = int(sys.argv[1])
    path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "demo", "telemetry", "riverside-10m.jsonl")
    messages = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    first_ts, last_ts = messages[0]["ts"], messages[-1]["ts"]
    # One pass lasts from its first timestamp to one second after its last, so the next pass's first second follows.
    span = last_ts - first_ts + 1
    last_seq = max(m["seq"] for m in messages)
    final_counts = {}
    for m in messages:
        if "produced" in m:
            final_counts[m["cell"]] = (m["produced"], m["scrap"])
    out = sys.stdout
    written, repetition = 0, 0
    offsets = {}
    while written < wanted:
        for m in messages:
            if written == wanted:
                break
            line = dict(m)
            line["seq"] = m["seq"] + repetition * last_seq
            line["ts"] = m["ts"] + repetition * span
            if "produced" in m:
                produced, scrap = offsets.get(m["cell"], (0, 0))
                line["produced"] = m["produced"] + produced
                line["scrap"] = m["scrap"] + scrap
            out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")))
            out.write("\n")
            written += 1
        repetition += 1
        for cell, (produced, scrap) in final_counts.items():
            before = offsets.get(cell, (0, 0))
            offsets[cell] = (before[0] + produced, before[1] + scrap)


if __name__ == "__main__":
    main()
