#!/usr/bin/env bash
# What one attached console costs while the demo runs: CPU of the console process, bytes it writes to the terminal
# and bytes it reads from the socket, per second, at a terminal size; and the service's CPU with it attached.
#   scripts/console-cost.sh [ANDON_BINARY] [SECONDS] [COLUMNSxROWS] [CONSOLES]
# Build first: swift build -c release --product andon (the default binary is .build/release/andon).
set -euo pipefail
andon=${1:-.build/release/andon}
seconds=${2:-60}
size=${3:-160x48}
consoles=${4:-1}
cols=${size%x*}
rows=${size#*x}
dir=$(mktemp -d)
trap 'tmux -L andon-cost kill-server 2>/dev/null || true; kill $serve 2>/dev/null || true; rm -rf "$dir"' EXIT
export XDG_STATE_HOME=$dir/state XDG_CONFIG_HOME=$dir/config
"$andon" serve --speed 5 --store "$dir/state/plant.sqlite" --socket "$dir/run/plant.sock" --log "$dir/serve.log" 2>/dev/null &
serve=$!
for _ in $(seq 1 100); do [ -S "$dir/run/plant.sock" ] && break; sleep 0.1; done
ticks=$(getconf CLK_TCK)
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pids=()
for i in $(seq 1 "$consoles"); do
  tmux -L andon-cost new-session -d -s "c$i" -x "$cols" -y "$rows" "$andon attach --socket $dir/run/plant.sock --as ana --log /dev/null"
  tmux -L andon-cost pipe-pane -t "c$i" "cat > $dir/term$i.bytes"
done
sleep 5
for i in $(seq 1 "$consoles"); do
  shell=$(tmux -L andon-cost list-panes -t "c$i" -F '#{pane_pid}')
  pid=$(pgrep -P "$shell" -f "attach" || echo "$shell")
  pids+=("$pid")
done
declare -A cpu0 read0 term0
for i in "${!pids[@]}"; do
  p=${pids[$i]}
  cpu0[$i]=$(cpu "$p")
  read0[$i]=$(awk '/^rchar/ {print $2}' "/proc/$p/io")
  term0[$i]=$(stat -c %s "$dir/term$((i + 1)).bytes")
done
serve0=$(cpu "$serve")
sleep "$seconds"
for i in "${!pids[@]}"; do
  p=${pids[$i]}
  used=$(( $(cpu "$p") - cpu0[$i] ))
  read=$(( $(awk '/^rchar/ {print $2}' "/proc/$p/io") - read0[$i] ))
  term=$(( $(stat -c %s "$dir/term$((i + 1)).bytes") - term0[$i] ))
  awk -v u="$used" -v t="$ticks" -v s="$seconds" -v r="$read" -v w="$term" -v n="$((i + 1))" -v z="$size" \
    'BEGIN { printf "console %d at %s: CPU %.2f %%, terminal %.2f KB/s, socket %.2f KB/s\n", n, z, 100 * u / t / s, w / 1024 / s, r / 1024 / s }'
done
awk -v u="$(( $(cpu "$serve") - serve0 ))" -v t="$ticks" -v s="$seconds" -v n="$consoles" \
  'BEGIN { printf "service with %d console(s): CPU %.2f %%\n", n, 100 * u / t / s }'
