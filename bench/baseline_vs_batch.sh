#!/usr/bin/env bash
# `miaopi batch --threads 1` against hand-written C++ on every benchmark
# workload, end to end (JSONL in → records out), in one run:
#
#   FS-001  samples/food_sales with a 10,000-entry credit blacklist;
#           baselines bench/baseline_food_sales.cc (RapidJSON, a DOM a line)
#           and bench/baseline_food_sales_ondemand.cc (simdjson On-Demand)
#   wide    bench/wide (WD-001: lists of licences, staff, equipment and
#           scope, 1.0–1.65 KB a line) with a 10,000-entry blacklist;
#           baseline bench/baseline_wide.cc (simdjson On-Demand)
#   NH-P02, NH-B02, NH-B04
#           three items of rules/nanhai without licences (no licence
#           library: every `uses licence` unknown, as `miaopi batch
#           rules/nanhai` decides them), applications from gen_nanhai
#           --item; baselines bench/baseline_nanhai_{p02,b02,b04}.cc
#           (simdjson On-Demand, bench/baseline_nanhai.h)
#
# Runs interleave (each baseline, then miaopi, per workload, RUNS times),
# every run checks that the records are the same byte for byte, and the
# script prints each run, the medians and each ratio miaopi/baseline.
#
# Every program runs on one CPU (PIN, default the last; PIN= to let the
# scheduler choose): on a shared VM the two CPUs differ, and a run that
# moves between them moves its time by a third.
#
#   bench/baseline_vs_batch.sh [BUILD_DIR] [N] [RUNS]
#
# With COUNT=K it counts work instead of time, which this shared VM's noise
# does not move: instructions per application under cachegrind over the
# first K applications of each workload, less the same program on an empty
# file (start-up: the pack, the tables), for every program, and each ratio.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
N=${2:-100000}
RUNS=${3:-5}
WORK="$BUILD/bench/baseline"
MIAOPI="$BUILD/apps/cli/miaopi"
PIN=${PIN-$(($(nproc) - 1))}
on_cpu=()
if [[ -n "$PIN" ]] && command -v taskset >/dev/null; then on_cpu=(taskset -c "$PIN"); fi
mkdir -p "$WORK"

# A pack folder: the rules and tables of $2, the blacklist made 10,000 long.
make_pack() {
  local dir="$WORK/$1" from="$2"
  rm -rf "$dir"
  mkdir -p "$dir/tables"
  cp "$from"/*.rules "$dir/"
  cp "$ROOT/samples/food_sales/tables/foshan_districts.csv" "$dir/tables/"
  "$BUILD/bench/gen_food_sales" --blacklist 10000 >"$dir/tables/credit_blacklist.csv"
}
make_pack food_sales_10k "$ROOT/samples/food_sales"
rm -f "$WORK/food_sales_10k/properties.rules"  # properties are not evaluated; keep the pack as benchmarked before
make_pack wide_10k "$ROOT/bench/wide"
# The Nanhai pack as shipped (its rules and tables; the same hash).
rm -rf "$WORK/nanhai"
mkdir -p "$WORK/nanhai/tables"
cp "$ROOT/rules/nanhai"/*.rules "$WORK/nanhai/"
cp "$ROOT/rules/nanhai/tables"/*.csv "$WORK/nanhai/tables/"
FS_APPS="$WORK/food_sales_$N.jsonl"
WIDE_APPS="$WORK/wide_$N.jsonl"
[[ -f "$FS_APPS" ]] || "$BUILD/bench/gen_food_sales" "$N" 42 >"$FS_APPS"
[[ -f "$WIDE_APPS" ]] || "$BUILD/bench/gen_wide" "$N" 42 >"$WIDE_APPS"
# N applications of one Nanhai item (the licence records are not used).
nanhai_apps() {
  local apps="$WORK/nanhai_${1}_$N.jsonl"
  [[ -f "$apps" ]] || "$BUILD/bench/gen_nanhai" "$N" --item "$1" --seed 42 --date 2026-09-10 \
    --applications "$apps" --licences "$WORK/nanhai_licences.jsonl"
  echo "$apps"
}

# workload name, pack, applications, baselines…
WORKLOADS=(
  "FS-001|$WORK/food_sales_10k|$FS_APPS|baseline_food_sales baseline_food_sales_ondemand"
  "wide|$WORK/wide_10k|$WIDE_APPS|baseline_wide"
  "NH-P02|$WORK/nanhai|$(nanhai_apps NH-P02)|baseline_nanhai_p02"
  "NH-B02|$WORK/nanhai|$(nanhai_apps NH-B02)|baseline_nanhai_b02"
  "NH-B04|$WORK/nanhai|$(nanhai_apps NH-B04)|baseline_nanhai_b04"
)

if [[ -n "${COUNT:-}" ]]; then
  command -v valgrind >/dev/null || { echo "COUNT needs valgrind (scripts/deps installs it)" >&2; exit 2; }
  : >"$WORK/empty.jsonl"
  # Instructions of one run (cachegrind's I refs).
  instructions() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
      sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
  }
  per_app() {  # program and its arguments with IN standing for the input file
    local with=("${@//@IN@/$WORK/first.jsonl}") without=("${@//@IN@/$WORK/empty.jsonl}")
    echo $((($(instructions "${with[@]}") - $(instructions "${without[@]}")) / COUNT))
  }
  for w in "${WORKLOADS[@]}"; do
    IFS='|' read -r name pack apps baselines <<<"$w"
    head -n "$COUNT" "$apps" >"$WORK/first.jsonl"
    hash=$("$MIAOPI" check "$pack" | grep -o 'sha256:[0-9a-f]*')
    me=$(per_app "$MIAOPI" batch "$pack" @IN@ -o "$WORK/miaopi_$name.jsonl" --date 2026-09-10 --threads 1 --no-progress)
    "$MIAOPI" batch "$pack" "$WORK/first.jsonl" -o "$WORK/miaopi_$name.jsonl" --date 2026-09-10 --threads 1 --no-progress \
      2>/dev/null
    for b in $baselines; do
      mb=$(per_app "$BUILD/bench/$b" "$pack" @IN@ "$WORK/$b.jsonl" --date 2026-09-10 --pack-hash "$hash")
      "$BUILD/bench/$b" "$pack" "$WORK/first.jsonl" "$WORK/$b.jsonl" --date 2026-09-10 --pack-hash "$hash" >/dev/null 2>&1
      cmp -s "$WORK/$b.jsonl" "$WORK/miaopi_$name.jsonl" || { echo "$name: the records of $b and miaopi differ" >&2; exit 1; }
      awk -v n="$name" -v b="$b" -v e="$me" -v m="$mb" -v k="$COUNT" 'BEGIN {
        printf "%s: instructions per application (first %d): %s %d, miaopi batch %d; %s ÷ miaopi: %.2f\n", n, k, b, m, e, b, m / e }'
    done
  done
  exit 0
fi
for w in "${WORKLOADS[@]}"; do
  IFS='|' read -r name pack apps _ <<<"$w"
  echo "$name: $N applications ($(du -h "$apps" | cut -f1), $(($(wc -c <"$apps") / N)) bytes a line), pack $(basename "$pack")"
done

rate_of() { sed -n 's/.*(\([0-9,]*\)\/s).*/\1/p' | tr -d ,; }
median() { sort -n | sed -n "$(((RUNS + 1) / 2))p"; }
declare -A rates
for ((run = 1; run <= RUNS; run++)); do
  for w in "${WORKLOADS[@]}"; do
    IFS='|' read -r name pack apps baselines <<<"$w"
    hash=$("$MIAOPI" check "$pack" | grep -o 'sha256:[0-9a-f]*')
    line="run $run $name:"
    for b in $baselines; do
      out=$("${on_cpu[@]}" "$BUILD/bench/$b" "$pack" "$apps" "$WORK/$b.jsonl" --date 2026-09-10 --pack-hash "$hash" 2>&1)
      rates[$name/$b]+="$(rate_of <<<"$out") "
      line+=" $b $(rate_of <<<"$out")/s,"
    done
    out=$("${on_cpu[@]}" "$MIAOPI" batch "$pack" "$apps" -o "$WORK/miaopi_$name.jsonl" --date 2026-09-10 --threads 1 --no-progress 2>&1 | tail -1)
    rates[$name/miaopi]+="$(rate_of <<<"$out") "
    echo "$line miaopi batch $(rate_of <<<"$out")/s"
    for b in $baselines; do
      if ! cmp -s "$WORK/$b.jsonl" "$WORK/miaopi_$name.jsonl"; then
        echo "$name: the records of $b and miaopi differ:"
        cmp "$WORK/$b.jsonl" "$WORK/miaopi_$name.jsonl" || true
        exit 1
      fi
    done
  done
done
echo "same records: yes (every workload, every baseline, byte for byte)"
for w in "${WORKLOADS[@]}"; do
  IFS='|' read -r name pack apps baselines <<<"$w"
  me=$(tr ' ' '\n' <<<"${rates[$name/miaopi]}" | grep . | median)
  for b in $baselines; do
    mb=$(tr ' ' '\n' <<<"${rates[$name/$b]}" | grep . | median)
    awk -v n="$name" -v b="$b" -v e="$me" -v m="$mb" \
      'BEGIN { printf "%s: median %s %d/s, miaopi batch --threads 1 %d/s; ratio miaopi/%s: %.2f\n", n, b, m, e, b, e / m }'
  done
done
