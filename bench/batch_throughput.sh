#!/usr/bin/env bash
# `miaopi batch` throughput on generated applications, with 1 and 2
# threads, several runs each; prints every run and the median.
#
#   bench/batch_throughput.sh [BUILD_DIR] [N] [RUNS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
N=${2:-100000}
RUNS=${3:-5}
APPS="$BUILD/bench/food_sales_$N.jsonl"
[[ -f "$APPS" ]] || "$BUILD/bench/gen_food_sales" "$N" 42 >"$APPS"
echo "input: $N applications, $(du -h "$APPS" | cut -f1), pack samples/food_sales"
for threads in 1 2; do
  rates=()
  for ((run = 1; run <= RUNS; run++)); do
    line=$("$BUILD/apps/cli/miaopi" batch "$ROOT/samples/food_sales" "$APPS" -o /dev/null \
             --date 2026-09-10 --threads "$threads" --no-progress 2>&1 | tail -1)
    rate=$(sed -n 's/.*(\([0-9,]*\)\/s).*/\1/p' <<<"$line" | tr -d ,)
    rates+=("$rate")
    echo "threads=$threads run=$run: $line"
  done
  median=$(printf '%s\n' "${rates[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
  echo "threads=$threads median: $median applications/s"
done
