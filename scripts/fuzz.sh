#!/usr/bin/env bash
# Builds the fuzz targets (Fuzz/) with libFuzzer and AddressSanitizer and runs one of them.
#
#   scripts/fuzz.sh TARGET SECONDS     run one door's target, e.g. scripts/fuzz.sh telemetry 60
#   scripts/fuzz.sh --build            only build every target
#   scripts/fuzz.sh --list             the targets
#
# TARGET is a door: telemetry, plant, policy, roster, scenario, theme, request, wire. The run starts from the checked-in
# seeds (Fuzz/Corpus/TARGET) and the inputs that once broke the door (Fuzz/FailCases/TARGET), and keeps what it
# learns in .build-fuzz/corpus/TARGET, never in the repository. Any
# crash, trap, leak, timeout (10 s for one input) or memory blow-up (2 GB) stops the run with a non-zero exit and
# leaves the input as .build-fuzz/findings/TARGET/crash-*; minimise it with libFuzzer's -minimize_crash=1, keep it
# in Fuzz/FailCases/TARGET/ and `swift test` replays it from then on. Extra libFuzzer flags may follow SECONDS.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(telemetry plant policy roster scenario theme request wire)
scratch="$PWD/.build-fuzz"

build() {
    local status=0
    mkdir -p "$scratch"
    swift build -c release --package-path Fuzz --scratch-path "$scratch" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library > "$scratch/fuzz-build.log" 2>&1 || status=$?
    grep -v '^\[' "$scratch/fuzz-build.log" || true
    [ "$status" -eq 0 ] || { echo "fuzz.sh: the build failed" >&2; exit 2; }
    for target in "${targets[@]}"; do
        [ -x "$(binary "$target")" ] || { echo "fuzz.sh: the $target target did not build" >&2; exit 2; }
    done
}

binary() {
    local name="$1"
    echo "$scratch/release/Fuzz${name^}"
}

case "${1:-}" in
    --list) printf '%s\n' "${targets[@]}"; exit 0 ;;
    --build) build; exit 0 ;;
    "" | -h | --help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac

target="$1"
seconds="${2:?how many seconds to run}"
shift 2
[[ " ${targets[*]} " == *" $target "* ]] || { echo "fuzz.sh: no target '$target' (one of: ${targets[*]})" >&2; exit 2; }
[ -n "${FUZZ_SKIP_BUILD:-}" ] || build

corpus="$scratch/corpus/$target"
findings="$scratch/findings/$target"
mkdir -p "$corpus" "$findings"
dict=()
[ -f "Fuzz/$target.dict" ] && dict=(-dict="Fuzz/$target.dict")
kept=("Fuzz/Corpus/$target")
[ -d "Fuzz/FailCases/$target" ] && kept+=("Fuzz/FailCases/$target")
# The Swift runtime's own crash handler would read memory AddressSanitizer guards: let libFuzzer report instead.
# Fuzz/lsan.supp names the one allocation LeakSanitizer is told to overlook, and why.
LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp" SWIFT_BACKTRACE=enable=no "$(binary "$target")" "$corpus" "${kept[@]}" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "${dict[@]}" "$@"
