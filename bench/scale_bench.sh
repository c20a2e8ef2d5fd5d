#!/usr/bin/env bash
# What the queue costs: `miaopi batch` against workers on NATS JetStream on
# the same cores, and the latency from submit to record (docs/scale.md,
# docs/performance.md). Each configuration gets a fresh nats-server; the
# applications are queued first, then the clock runs from starting the
# workers until `collect` has every record in order. Medians of RUNS.
# Usage: bench/scale_bench.sh [MIAOPI] [N] [RUNS]
set -euo pipefail
MIAOPI="${1:-build/release/apps/cli/miaopi}"
N="${2:-100000}"
RUNS="${3:-3}"
cd "$(dirname "$0")/.."
TMP=$(mktemp -d)
SERVER=""
trap '[[ -n "$SERVER" ]] && kill -9 "$SERVER" 2>/dev/null; pkill -P $$ 2>/dev/null; rm -rf "$TMP"' EXIT
PACK=samples/food_sales
DATE=2026-09-10

awk -v n="$N" 'NR == FNR { line[FNR] = $0; count = FNR; next }
  END { for (i = 0; i < n; i++) { l = line[i % count + 1]; sub(/"id": "APP-[0-9]+"/, "\"id\": \"APP-" i "\"", l); print l } }' \
  samples/applications/food_sales_1000.jsonl samples/applications/food_sales_1000.jsonl >"$TMP/apps.jsonl"
"$MIAOPI" batch "$PACK" "$TMP/apps.jsonl" --date "$DATE" --threads 1 -o "$TMP/batch.jsonl" 2>/dev/null

# start_server: a nats-server with its own store, the pack in force.
# Sets SERVER and URL; each measurement runs in a subshell, which stops its
# own server with stop_server.
start_server() {
  local store
  store=$(mktemp -d "$TMP/store.XXXXXX")
  PORT=$((20000 + RANDOM % 30000))
  nats-server -js -a 127.0.0.1 -p "$PORT" -sd "$store" >"$store.log" 2>&1 &
  SERVER=$!
  until grep -q "Server is ready" "$store.log"; do sleep 0.05; done
  URL="nats://127.0.0.1:$PORT"
  "$MIAOPI" publish-pack "$PACK" --nats "$URL" >/dev/null
}
stop_server() {
  kill -9 "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}

now() { date +%s.%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

time_batch() {  # time_batch THREADS
  local t0 t1
  t0=$(now)
  "$MIAOPI" batch "$PACK" "$TMP/apps.jsonl" --date "$DATE" --threads "$1" -o "$TMP/out.jsonl" 2>/dev/null
  t1=$(now)
  echo "$t1 - $t0" | bc -l
}

time_workers() {  # time_workers WORKERS [WORKER ARGS...]
  local workers=$1 t0 t1 pids=()
  shift
  start_server
  "$MIAOPI" submit "$TMP/apps.jsonl" --nats "$URL" --date "$DATE" 2>/dev/null
  t0=$(now)
  for ((w = 0; w < workers; w++)); do
    "$MIAOPI" worker --nats "$URL" --idle-exit 2 "$@" 2>/dev/null &
    pids+=($!)
  done
  "$MIAOPI" collect --nats "$URL" -o "$TMP/out.jsonl" 2>/dev/null
  t1=$(now)
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  stop_server
  cmp -s "$TMP/out.jsonl" "$TMP/batch.jsonl" || { echo "records differ from batch" >&2; exit 1; }
  echo "$t1 - $t0" | bc -l
}

declare -A SECONDS_OF
run() {  # run NAME COMMAND...
  local name=$1 times=()
  shift
  for ((r = 0; r < RUNS; r++)); do times+=("$("$@")"); done
  SECONDS_OF[$name]=$(printf '%s\n' "${times[@]}" | median)
  printf '%-34s %8.3f s  %9.0f applications/s   (runs: %s)\n' "$name" "${SECONDS_OF[$name]}" \
    "$(echo "$N / ${SECONDS_OF[$name]}" | bc -l)" "${times[*]}"
}

echo "$N applications (FS-001), $(nproc) cores, median of $RUNS runs; workers' records compared with batch's"
run "batch --threads 1" time_batch 1
run "batch --threads 2" time_batch 2
run "1 worker (fetch 512, async publish)" time_workers 1
run "2 workers (fetch 512, async publish)" time_workers 2
# One application per round trip is slow: those two, and the same worker
# to compare with, on the first tenth of the applications.
head -$((N / 10)) "$TMP/apps.jsonl" >"$TMP/tenth.jsonl"
mv "$TMP/apps.jsonl" "$TMP/all.jsonl"
mv "$TMP/batch.jsonl" "$TMP/batch-all.jsonl"
cp "$TMP/tenth.jsonl" "$TMP/apps.jsonl"
head -$((N / 10)) "$TMP/batch-all.jsonl" >"$TMP/batch.jsonl"
N=$((N / 10))
run "1 worker (fetch 512), a tenth" time_workers 1
run "1 worker, fetch 1, a tenth" time_workers 1 --fetch 1
run "1 worker, synchronous publish, a tenth" time_workers 1 --sync-publish
ratio() { awk -v a="${SECONDS_OF[$2]}" -v b="${SECONDS_OF[$1]}" 'BEGIN { printf "%.2f", a / b }'; }
echo "1 worker / batch --threads 1:  $(ratio "1 worker (fetch 512, async publish)" "batch --threads 1")× the throughput"
echo "2 workers / batch --threads 2: $(ratio "2 workers (fetch 512, async publish)" "batch --threads 2")× the throughput"
echo "fetch 1 / fetch 512:           $(ratio "1 worker, fetch 1, a tenth" "1 worker (fetch 512), a tenth")× the throughput"
echo "sync / async publish:          $(ratio "1 worker, synchronous publish, a tenth" "1 worker (fetch 512), a tenth")× the throughput"

# Latency at a steady trickle: one idle worker, applications paced at 200/s.
start_server
"$MIAOPI" worker --nats "$URL" --idle-exit 3 2>/dev/null &
head -2000 "$TMP/all.jsonl" >"$TMP/trickle.jsonl"
"$MIAOPI" submit "$TMP/trickle.jsonl" --nats "$URL" --date "$DATE" --rate 200 2>/dev/null
echo -n "2,000 applications paced at 200/s, one worker: "
"$MIAOPI" collect --nats "$URL" -o /dev/null 2>&1 | grep "submit to record"
stop_server
