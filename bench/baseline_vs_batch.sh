#!/usr/bin/env bash
# `miaopi batch --threads 1` against the hand-written baseline
# (bench/baseline_food_sales.cc) on the same applications, end to end
# (JSONL in → records out), in one run: checks that both write the same
# records byte for byte, then prints each run, the medians and the ratio.
# The pack is samples/food_sales with a 10,000-entry credit blacklist.
#
#   bench/baseline_vs_batch.sh [BUILD_DIR] [N] [RUNS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
N=${2:-100000}
RUNS=${3:-5}
WORK="$BUILD/bench/baseline"
mkdir -p "$WORK"
PACK="$WORK/food_sales_10k"
rm -rf "$PACK"
mkdir -p "$PACK/tables"
cp "$ROOT/samples/food_sales/food_sales.rules" "$PACK/"
cp "$ROOT/samples/food_sales/tables/foshan_districts.csv" "$PACK/tables/"
"$BUILD/bench/gen_food_sales" --blacklist 10000 >"$PACK/tables/credit_blacklist.csv"
APPS="$WORK/food_sales_$N.jsonl"
[[ -f "$APPS" ]] || "$BUILD/bench/gen_food_sales" "$N" 42 >"$APPS"
MIAOPI="$BUILD/apps/cli/miaopi"
HASH=$("$MIAOPI" check "$PACK" | grep -o 'sha256:[0-9a-f]*')
echo "input: $N applications ($(du -h "$APPS" | cut -f1)), pack FS-001 with a 10,000-entry blacklist"

rate_of() { sed -n 's/.*(\([0-9,]*\)\/s).*/\1/p' | tr -d ,; }
median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
engine=() baseline=()
for ((run = 1; run <= RUNS; run++)); do
  b=$("$BUILD/bench/baseline_food_sales" "$PACK" "$APPS" "$WORK/baseline.jsonl" --date 2026-09-10 --pack-hash "$HASH" 2>&1)
  m=$("$MIAOPI" batch "$PACK" "$APPS" -o "$WORK/miaopi.jsonl" --date 2026-09-10 --threads 1 --no-progress 2>&1 | tail -1)
  baseline+=("$(rate_of <<<"$b")")
  engine+=("$(rate_of <<<"$m")")
  echo "run $run: baseline ${baseline[-1]}/s, miaopi batch ${engine[-1]}/s"
  if ! cmp -s "$WORK/baseline.jsonl" "$WORK/miaopi.jsonl"; then
    echo "the records differ:"; cmp "$WORK/baseline.jsonl" "$WORK/miaopi.jsonl" || true
    exit 1
  fi
done
mb=$(printf '%s\n' "${baseline[@]}" | median)
me=$(printf '%s\n' "${engine[@]}" | median)
echo "same records: yes ($N of them, byte for byte)"
echo "median: baseline $mb/s, miaopi batch --threads 1 $me/s"
awk -v e="$me" -v b="$mb" 'BEGIN { printf "ratio miaopi/baseline: %.2f\n", e / b }'
