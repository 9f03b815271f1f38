#!/usr/bin/env python3
"""Prints p0 and p50 of every benchmark metric found in two folders of ordo-one percentile exports (before, after).

Usage: scripts/bench-compare.py BEFORE_DIR AFTER_DIR   (scripts/bench-compare.sh fills them)
"""
import glob
import os
import re
import sys


def read(folder):
    figures = {}
    for path in glob.glob(os.path.join(folder, "*.histogram.percentiles.tsv")):
        name = os.path.basename(path).split(".")
        benchmark, metric = ".".join(name[1:3]), name[3]
        with open(path) as f:
            header = f.readline()
            values = dict(line.rstrip("\n").split("\t") for line in f if line.strip())
        groups = re.findall(r"\(([^()]*)\)", header)
        scale = {"K": 1e3, "M": 1e6, "G": 1e9}.get(groups[-1], 1) if groups else 1
        unit = groups[-2] if scale != 1 and len(groups) > 1 else (groups[-1] if groups else "")
        figures[(benchmark, metric)] = (float(values["0"]) * scale, float(values["50"]) * scale, unit)
    return figures


def fmt(x):
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.3g}"


before, after = read(sys.argv[1]), read(sys.argv[2])
rows = [("benchmark", "metric", "unit", "before p0", "before p50", "after p0", "after p50")]
for key in sorted(set(before) | set(after)):
    b, a = before.get(key), after.get(key)
    unit = (a or b)[2]
    rows.append((key[0], key[1], unit, fmt(b[0]) if b else "—", fmt(b[1]) if b else "—", fmt(a[0]) if a else "—", fmt(a[1]) if a else "—"))
widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
for n, r in enumerate(rows):
    print(" | ".join(c.ljust(w) if i < 3 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))))
    if n == 0:
        print("-|-".join("-" * w for w in widths))
