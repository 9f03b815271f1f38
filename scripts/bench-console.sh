#!/usr/bin/env bash
# Leaves `andon demo` running in tmux at 160x48 and measures what it costs while nobody touches it:
# CPU seconds of the process (utime + stime from /proc/PID/stat), peak RSS (VmHWM) and bytes written to the
# terminal per second (tmux pipe-pane). Once for the demo plant, once for a generated plant of 10,000 cells.
#
# Usage: scripts/bench-console.sh [WARMUP_SECONDS] [MEASURE_SECONDS]   (defaults 10 and 60)
# Env:   ANDON=path/to/andon   use this binary instead of building `swift build -c release --product andon`
#        CELLS="18 10000"      which plants to run (18 is the demo plant; any other N is generated)
# Output: one line per plant, `console plant=... cpu_s=... cpu_pct=... rss_peak_mb=... tty_bytes_per_s=...`,
# and the bar (DESIGN.md §5: ≤ 1% CPU, ≤ 5 KB/s; ≤ 64 MB RSS for the demo, ≤ 256 MB for 10,000 cells).
set -euo pipefail

warmup=${1:-10}
measure=${2:-60}
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

if [[ -z "${ANDON:-}" ]]; then
    swift build -c release --product andon >&2
    ANDON="$repo/.build/release/andon"
fi
command -v tmux >/dev/null || { echo "bench-console: tmux is not installed" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/andon-bench-console.XXXXXX")
session="andon-bench-$$"
cleanup() {
    tmux kill-session -t "$session" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ticks=$(getconf CLK_TCK)

# utime + stime of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

run_one() {
    local cells=$1 args=()
    if [[ "$cells" == 18 ]]; then
        args=(--store "$work/demo.sqlite")
    else
        python3 "$repo/scripts/make-plant.py" "$cells" > "$work/plant-$cells.yaml"
        args=(--plant "$work/plant-$cells.yaml" --policies demo/policies.yaml --operators demo/operators.yaml
              --store "$work/plant-$cells.sqlite")
    fi
    tmux new-session -d -s "$session" -x 160 -y 48 \
        "cd '$repo' && LANG=C.UTF-8 exec '$ANDON' demo ${args[*]} 2>'$work/stderr-$cells.txt'"
    tmux set-option -t "$session" window-size manual >/dev/null 2>&1 || true
    tmux resize-window -t "$session" -x 160 -y 48 >/dev/null 2>&1 || true
    local pid
    pid=$(tmux list-panes -t "$session" -F '#{pane_pid}' | head -1)
    sleep "$warmup"
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "bench-console: andon demo ($cells cells) exited during warm-up:" >&2
        cat "$work/stderr-$cells.txt" >&2
        tmux kill-session -t "$session" 2>/dev/null || true
        return 1
    fi
    : > "$work/tty-$cells.bin"
    local before after
    before=$(cpu_ticks "$pid")
    tmux pipe-pane -t "$session" -o "cat >> '$work/tty-$cells.bin'"
    sleep "$measure"
    tmux pipe-pane -t "$session"
    after=$(cpu_ticks "$pid")
    local hwm bytes
    hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
    sleep 0.2
    bytes=$(stat -c %s "$work/tty-$cells.bin")
    tmux kill-session -t "$session"
    awk -v c="$cells" -v b="$before" -v a="$after" -v t="$ticks" -v m="$measure" -v h="$hwm" -v y="$bytes" 'BEGIN {
        cpu = (a - b) / t
        printf "console plant=%s cpu_s=%.2f cpu_pct=%.2f rss_peak_mb=%.1f tty_bytes_per_s=%.0f measured_s=%d\n",
               (c == 18 ? "demo-18" : "generated-" c), cpu, 100 * cpu / m, h / 1024, y / m, m
    }'
}

echo "# andon demo at 160x48: ${warmup}s warm-up, ${measure}s measured; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)" >&2
for cells in ${CELLS:-18 10000}; do
    run_one "$cells"
done
