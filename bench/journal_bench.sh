#!/usr/bin/env bash
# What the decision journal costs, and how fast its tools run, on this
# machine (figures go to docs/performance.md; nothing is asserted):
#   1. `miaopi batch` on N applications without a journal, with one
#      (--journal-sync full and normal): medians of RUNS runs, the cost per
#      decision;
#   2. `miaopi replay` of that journal;
#   3. `miaopi diff` of two pack versions over DIFF_N applications against
#      two `miaopi batch` runs on the same cores;
#   4. `miaopi serve` closed loop (64 connections, bench/http_load) on
#      /v1/decide without a journal and with one (full, normal), and the
#      server's CPU time per request at a fixed open-loop rate (what the
#      journal costs the server when the load generator does not share it).
#
#   bench/journal_bench.sh [BUILD_DIR] [N] [RUNS] [DIFF_N] [SECONDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
N=${2:-100000}
RUNS=${3:-3}
DIFF_N=${4:-1000000}
SECONDS_EACH=${5:-5}
MIAOPI="$BUILD/apps/cli/miaopi"
WORK=$(mktemp -d -p "${JOURNAL_BENCH_DIR:-/tmp}")
SERVER=""
trap '[[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
APPS="$BUILD/bench/food_sales_$N.jsonl"
[[ -f "$APPS" ]] || "$BUILD/bench/gen_food_sales" "$N" 42 >"$APPS"
DIFF_APPS="$BUILD/bench/food_sales_$DIFF_N.jsonl"
[[ -f "$DIFF_APPS" ]] || "$BUILD/bench/gen_food_sales" "$DIFF_N" 42 >"$DIFF_APPS"
echo "machine: $(nproc) cores; journal folder on $(df -T "$WORK" | awk 'NR == 2 {print $2}') ($WORK)"

median() { sort -n | sed -n "$(( (RUNS + 1) / 2 ))p"; }
seconds_of() { sed -n 's/.* in \([0-9.]*\) s .*/\1/p'; }

echo "== 1. batch, $N applications, --threads 1"
declare -A med
for mode in none full normal; do
  times=()
  for ((run = 1; run <= RUNS; run++)); do
    rm -rf "$WORK/J"
    args=()
    [[ $mode != none ]] && args=(--journal "$WORK/J" --journal-sync "$mode")
    line=$("$MIAOPI" batch "$ROOT/samples/food_sales" "$APPS" -o /dev/null --date 2026-09-10 --threads 1 \
             --no-progress "${args[@]}" 2>&1 | grep applications)
    times+=("$(seconds_of <<<"$line")")
  done
  med[$mode]=$(printf '%s\n' "${times[@]}" | median)
  echo "journal=$mode: ${times[*]} s; median ${med[$mode]} s"
done
awk -v n="$N" -v a="${med[none]}" -v f="${med[full]}" -v m="${med[normal]}" 'BEGIN {
  printf "per decision: %.2f us without, +%.2f us with a journal (full), +%.2f us (normal); ratios %.2f / %.2f\n",
         a / n * 1e6, (f - a) / n * 1e6, (m - a) / n * 1e6, a / f, a / m }'
echo "journal size: $(du -sh "$WORK/J" | cut -f1) for $N entries"

echo "== 2. replay of that journal ($N entries), all cores"
start=$(date +%s.%N)
"$MIAOPI" replay "$WORK/J" --no-progress | tail -1
end=$(date +%s.%N)
awk -v n="$N" -v s="$start" -v e="$end" 'BEGIN { printf "replay: %.2f s, %.0f entries/s\n", e - s, n / (e - s) }'

echo "== 3. diff over $DIFF_N applications, all cores, against two batch runs"
cp -r "$ROOT/samples/food_sales" "$WORK/stricter"
sed -i 's/business.area_m2 >= 10/business.area_m2 >= 60/' "$WORK/stricter/food_sales.rules"
diffs=(); batches=()
for ((run = 1; run <= RUNS; run++)); do
  s=$(date +%s.%N)
  "$MIAOPI" diff "$ROOT/samples/food_sales" "$WORK/stricter" "$DIFF_APPS" --date 2026-09-10 --json --no-progress \
    >"$WORK/diff.json" 2>/dev/null
  e=$(date +%s.%N)
  diffs+=("$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')")
  s=$(date +%s.%N)
  "$MIAOPI" batch "$ROOT/samples/food_sales" "$DIFF_APPS" -o /dev/null --date 2026-09-10 --no-progress 2>/dev/null
  "$MIAOPI" batch "$WORK/stricter" "$DIFF_APPS" -o /dev/null --date 2026-09-10 --no-progress 2>/dev/null
  e=$(date +%s.%N)
  batches+=("$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')")
done
d=$(printf '%s\n' "${diffs[@]}" | median)
b=$(printf '%s\n' "${batches[@]}" | median)
echo "diff: ${diffs[*]} s (median $d); two batch runs: ${batches[*]} s (median $b); diff / two batches = $(awk -v d="$d" -v b="$b" 'BEGIN { printf "%.2f", d / b }')"
grep -o '"changed":[0-9]*' "$WORK/diff.json" | head -1

echo "== 4. serve --threads 1, closed loop, 64 connections, /v1/decide, $SECONDS_EACH s each"
head -1000 "$ROOT/samples/applications/food_sales_1000.jsonl" >"$WORK/apps1000.jsonl"
declare -A rate cpu
for mode in none full normal; do
  rm -rf "$WORK/SJ"
  args=()
  [[ $mode != none ]] && args=(--journal "$WORK/SJ" --journal-sync "$mode")
  "$MIAOPI" serve "$ROOT/samples/food_sales" --listen 127.0.0.1:0 --threads 1 "${args[@]}" >"$WORK/out" 2>"$WORK/err" &
  SERVER=$!
  for _ in $(seq 1 100); do [[ -s "$WORK/out" ]] && break; sleep 0.05; done
  HP=$(head -1 "$WORK/out" | sed 's/listening on //')
  line=$("$BUILD/bench/http_load" "$HP" "/v1/decide?date=2026-09-10" --body "$WORK/apps1000.jsonl" --connections 64 \
           --seconds "$SECONDS_EACH")
  # CPU per request at 15,000/s (utime + stime of every server thread, in clock ticks).
  ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER/stat"; }
  before=$(ticks)
  open=$("$BUILD/bench/http_load" "$HP" "/v1/decide?date=2026-09-10" --body "$WORK/apps1000.jsonl" --connections 64 \
           --seconds "$SECONDS_EACH" --rate 15000)
  after=$(ticks)
  answered=$(sed -n 's/.*: \([0-9]*\) answered.*/\1/p' <<<"$open")
  cpu[$mode]=$(awk -v t="$((after - before))" -v hz="$(getconf CLK_TCK)" -v n="$answered" 'BEGIN { printf "%.1f", t / hz / n * 1e6 }')
  kill -TERM "$SERVER"; wait "$SERVER" || true; SERVER=""
  rate[$mode]=$(sed -n 's/.* = \([0-9]*\)\/s;.*/\1/p' <<<"$line")
  echo "journal=$mode: $line"
  echo "  at 15,000/s: $open"
  echo "  server CPU per request at 15,000/s: ${cpu[$mode]} us"
  [[ $mode != none ]] && echo "  entries kept: $(sqlite3 "$WORK/SJ/journal.db" 'SELECT count(*) FROM entries')"
done
awk -v a="${rate[none]}" -v f="${rate[full]}" -v m="${rate[normal]}" \
  'BEGIN { printf "serve with a journal / without (closed loop, generator on the same 2 cores): full %.2f, normal %.2f\n", f / a, m / a }'
awk -v a="${cpu[none]}" -v f="${cpu[full]}" -v m="${cpu[normal]}" \
  'BEGIN { printf "server CPU per request: %.1f us without, %.1f us (full), %.1f us (normal): capacity ratio %.2f / %.2f\n", a, f, m, a / f, a / m }'
