#!/usr/bin/env bash
# Two builds of miaopi side by side on the same inputs, runs interleaved
# (A, B, A, B, …) so the machine's drift hits both alike: `miaopi batch`
# on FS-001 and on the Nanhai sample (with its licence library), one and two
# threads, and the decide_bench micro benchmarks. Prints every run, the
# medians and the ratio after/before (above 1: the after build is faster;
# for times, below 1). Use it to show a refactoring costs nothing.
#
#   bench/before_after.sh BEFORE_BUILD AFTER_BUILD [N] [RUNS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BEFORE=$1
AFTER=$2
N=${3:-100000}
RUNS=${4:-7}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$AFTER/bench/gen_food_sales" "$N" 42 >"$WORK/fs.jsonl"
"$AFTER/bench/gen_nanhai" "$((N / 2))" --seed 7 --date 2026-09-10 --applications "$WORK/nh.jsonl" \
  --licences "$WORK/nh_licences.jsonl" >/dev/null
"$AFTER/apps/cli/miaopi" licences import "$WORK/nh_licences.jsonl" --db "$WORK/nh.db" >/dev/null
echo "inputs: $N FS-001 applications, $((N / 2)) Nanhai applications; $RUNS interleaved runs each"

rate_of() { sed -n 's/.*(\([0-9,]*\)\/s).*/\1/p' | tr -d ,; }
median() { sort -g | sed -n "$(( (RUNS + 1) / 2 ))p"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b / a }'; }

batch() {  # batch BUILD PACK APPS THREADS [more args]
  local build=$1 pack=$2 apps=$3 threads=$4
  shift 4
  "$build/apps/cli/miaopi" batch "$pack" "$apps" -o /dev/null --date 2026-09-10 --threads "$threads" \
    --no-progress "$@" 2>&1 | tail -1 | rate_of
}

compare_batch() {  # compare_batch NAME PACK APPS THREADS [more args]
  local name=$1
  shift
  local a=() b=()
  for ((run = 1; run <= RUNS; run++)); do
    a+=("$(batch "$BEFORE" "$@")")
    b+=("$(batch "$AFTER" "$@")")
  done
  local ma mb
  ma=$(printf '%s\n' "${a[@]}" | median)
  mb=$(printf '%s\n' "${b[@]}" | median)
  echo "$name: before ${a[*]}"
  echo "$name: after  ${b[*]}"
  echo "$name: median before $ma/s, after $mb/s, after/before $(ratio "$ma" "$mb")"
}

compare_batch "batch FS-001 1 thread" "$ROOT/samples/food_sales" "$WORK/fs.jsonl" 1
compare_batch "batch FS-001 2 threads" "$ROOT/samples/food_sales" "$WORK/fs.jsonl" 2
compare_batch "batch Nanhai 1 thread" "$ROOT/rules/nanhai" "$WORK/nh.jsonl" 1 --licences "$WORK/nh.db"
compare_batch "batch Nanhai 2 threads" "$ROOT/rules/nanhai" "$WORK/nh.jsonl" 2 --licences "$WORK/nh.db"

# Micro benchmarks: nanoseconds per decision (lower is better), medians of
# RUNS interleaved repetitions of each.
filter='BM_Decide(PreParsed|FromText|ToJsonRecord|WithTrace)$|BM_LoadPack$'
micro() {  # micro BUILD → "name ns" lines
  "$1/bench/decide_bench" --benchmark_filter="$filter" --benchmark_min_time=0.3 --benchmark_format=csv 2>/dev/null |
    awk -F, 'NR > 1 && $1 ~ /BM_/ { gsub(/"/, "", $1); print $1, ($5 == "ms" ? $4 * 1e6 : $4) }'
}
for ((run = 1; run <= RUNS; run++)); do
  micro "$BEFORE" >>"$WORK/micro_before"
  micro "$AFTER" >>"$WORK/micro_after"
done
for name in $(awk '{ print $1 }' "$WORK/micro_before" | sort -u); do
  mb=$(awk -v n="$name" '$1 == n { print $2 }' "$WORK/micro_before" | median)
  ma=$(awk -v n="$name" '$1 == n { print $2 }' "$WORK/micro_after" | median)
  echo "$name: median before $(printf '%.0f' "$mb") ns, after $(printf '%.0f' "$ma") ns, after/before $(ratio "$mb" "$ma")"
done
