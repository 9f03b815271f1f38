#!/usr/bin/env bash
# Runs one benchmark target in two trees back to back (before, then after) and prints p0 and p50 of every metric
# side by side, with the load average around each run: on a shared 2-core machine only back-to-back figures compare.
#
#   scripts/bench-compare.sh BEFORE_TREE TARGET [FILTER]
#   e.g. git archive v1 | tar -x -C /tmp/before && scripts/bench-compare.sh /tmp/before IngestBenchmarks 'Telemetry.*'
#
# Each tree's Benchmarks/ package is built in release by the tool as needed. Malloc counts do not depend on load;
# wall-clock figures do, so read p0 (the least disturbed iteration) beside p50.
set -euo pipefail
[[ $# -ge 2 ]] || { echo "usage: scripts/bench-compare.sh BEFORE_TREE TARGET [FILTER]" >&2; exit 2; }
before=$(cd "$1" && pwd)
target=$2
filter=()
[[ $# -ge 3 ]] && filter=(--filter "$3")
after=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d "${TMPDIR:-/tmp}/andon-compare.XXXXXX")
trap 'rm -rf "$out"' EXIT

for side in before after; do
    tree=$before
    [[ $side == after ]] && tree=$after
    mkdir -p "$out/$side"
    echo "load $(cut -d' ' -f1-3 /proc/loadavg) before the $side run" > "$out/$side/load"
    (cd "$tree/Benchmarks" && swift package --allow-writing-to-directory "$out/$side" benchmark --target "$target" "${filter[@]}" \
        --no-progress --format histogramPercentiles --path "$out/$side" > "$out/$side/log" 2>&1) \
        || { echo "bench-compare: the $side run failed:" >&2; tail -20 "$out/$side/log" >&2; exit 1; }
    echo "load $(cut -d' ' -f1-3 /proc/loadavg) after the $side run" >> "$out/$side/load"
done
cat "$out/before/load" "$out/after/load"
python3 "$after/scripts/bench-compare.py" "$out/before" "$out/after"
