#!/usr/bin/env bash
# Runs every benchmark of Andon and prints one table: what, target (DESIGN.md §5), measured median, unit, pass/fail.
#
#   scripts/bench.sh                 everything (about 10 minutes on 2 cores, most of it building)
#   scripts/bench.sh --no-console    skip the tmux console runs (scripts/bench-console.sh)
#   scripts/bench.sh --filter REGEX  only the ordo-one benchmarks whose name matches (console still runs)
#   BENCH_10K=0 scripts/bench.sh     without the 10,000-cell frame benchmarks and console run (they take a few minutes)
#
# The ordo-one benchmarks run from Benchmarks/ (its own package) with `swift package benchmark`; their
# percentiles are exported to a temporary folder and read back by scripts/bench-table.py, together with
# `andon demo --headless --for 8h` timed as a command and the console figures. The checked-in bars in
# Benchmarks/Thresholds/ are checked separately by `cd Benchmarks && swift package benchmark thresholds check`.
# In the same run, scripts/bench-peers.py measures the peers a user would pick instead (Cedar through cedarpy on the
# demo policy's decisions, LangGraph with its SQLite checkpointer on the approval round trip); the table shows them
# as ratios to Andon's figures, or says that they are not installed.
# Numbers taken while other processes compete for the 2 cores are noisy: the table prints the load average.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
console=1
filter=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --no-console) console=0 ;;
        --filter) filter=(--filter "$2"); shift ;;
        *) echo "usage: scripts/bench.sh [--no-console] [--filter REGEX]" >&2; exit 2 ;;
    esac
    shift
done

out=$(mktemp -d "${TMPDIR:-/tmp}/andon-bench.XXXXXX")
trap 'rm -rf "$out"' EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

cd "$repo/Benchmarks"
echo "== building (release)" >&2
swift build -c release >&2
swift build -c release --product andon >&2
andon="$repo/Benchmarks/.build/release/andon"

echo "== ordo-one benchmarks" >&2
# One target at a time, so that one crashing target does not lose the others' exports.
skip=()
[[ "${BENCH_10K:-1}" == 1 ]] || skip=(--skip '.*10000cells')
for target in PolicyBenchmarks ApprovalBenchmarks IngestBenchmarks RuntimeBenchmarks ConsoleBenchmarks StoreBenchmarks; do
    swift package --allow-writing-to-directory "$out" benchmark --target "$target" "${filter[@]}" "${skip[@]}" \
        --no-progress --format histogramPercentiles --path "$out" >> "$out/benchmark.txt" 2>&1 \
        || echo "bench: $target failed; see the tool's output above" >&2
done
grep -v '^Warning: Custom threshold' "$out/benchmark.txt" | grep -E 'error|fail|Fatal' >&2 || true

echo "== andon demo --headless --for 8h" >&2
cd "$repo"
for run in 1 2 3; do
    /usr/bin/time -f "time wall_s=%e rss_peak_kb=%M" -o "$out/headless-$run.time" \
        "$andon" demo --headless --for 8h --report json > "$out/headless-$run.json"
done

echo "== peers: Cedar (cedarpy) and LangGraph with SqliteSaver, when installed" >&2
python3 "$repo/scripts/bench-peers.py" --out "$out/peers.json" >&2 || echo "bench: scripts/bench-peers.py failed" >&2

if [[ $console == 1 ]]; then
    echo "== andon demo in tmux" >&2
    cells="18"
    [[ "${BENCH_10K:-1}" == 1 ]] && cells="18 10000"
    ANDON="$andon" CELLS="$cells" "$repo/scripts/bench-console.sh" > "$out/console.txt"
fi

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "Machine: $(nproc) cores, ${cpu:-unknown CPU}; load average before ${load_before}, after ${load_after}; $(date -u +%Y-%m-%dT%H:%MZ)"
python3 "$repo/scripts/bench-table.py" "$out"
