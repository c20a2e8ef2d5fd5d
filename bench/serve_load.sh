#!/usr/bin/env bash
# `miaopi serve` under load on this machine, load generator included
# (bench/http_load): the closed-loop maximum of /v1/decide and of /healthz
# (their ratio is what a decision costs above HTTP), /v1/batch against
# `miaopi batch` on the same applications, open-loop latency at fixed rates
# (coordinated omission corrected), and the same during a reload every
# 100 ms; before the latency runs, how long the machine itself stalls a
# running thread (bench/stall_probe). Figures go to docs/performance.md;
# nothing here is asserted.
#
#   bench/serve_load.sh [BUILD_DIR] [SECONDS] [SERVER_THREADS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build/release}
SECONDS_EACH=${2:-5}
THREADS=${3:-1}
MIAOPI="$BUILD/apps/cli/miaopi"
LOAD="$BUILD/bench/http_load"
WORK=$(mktemp -d)
SERVER=""
trap '[[ -n "$SERVER" ]] && kill "$SERVER" 2>/dev/null; rm -rf "$WORK"' EXIT
cp -r "$ROOT/samples/food_sales" "$WORK/pack"
head -1000 "$ROOT/samples/applications/food_sales_1000.jsonl" >"$WORK/apps.jsonl"
"$MIAOPI" serve "$WORK/pack" --listen 127.0.0.1:0 --threads "$THREADS" >"$WORK/out" 2>"$WORK/err" &
SERVER=$!
for _ in $(seq 1 100); do [[ -s "$WORK/out" ]] && break; sleep 0.05; done
HP=$(head -1 "$WORK/out" | sed 's/listening on //')
echo "server: miaopi serve samples/food_sales --threads $THREADS on $HP; $(nproc) cores shared with the load generator"
DECIDE="/v1/decide?date=2026-09-10"

run() { "$LOAD" "$HP" "$@" --seconds "$SECONDS_EACH"; }
rate_of() { sed -n 's/.* = \([0-9]*\)\/s;.*/\1/p'; }

health=$(run /healthz --method GET --connections 64)
echo "$health"
decide=$(run "$DECIDE" --body "$WORK/apps.jsonl" --connections 64)
echo "$decide"
awk -v d="$(rate_of <<<"$decide")" -v h="$(rate_of <<<"$health")" \
  'BEGIN { printf "decide / healthz: %.2f\n", d / h }'

# The floor under the percentiles below: how long this machine takes a core
# away from a running thread when nothing else of ours runs.
echo "machine stalls (bench/stall_probe 5, the server idle):"
"$BUILD/bench/stall_probe" 5 | sed 's/^/  /'
for rate in 10000 25000 50000; do run "$DECIDE" --body "$WORK/apps.jsonl" --connections 64 --rate "$rate"; done

# The same at 25,000/s while the pack is reloaded every 100 ms (two versions
# that decide some applications differently).
cp "$WORK/pack/food_sales.rules" "$WORK/a.rules"
sed 's/business.area_m2 >= 10/business.area_m2 >= 60/' "$WORK/a.rules" >"$WORK/b.rules"
(
  end=$((SECONDS + SECONDS_EACH + 2))
  k=0
  while ((SECONDS < end)); do
    if ((k % 2)); then cp "$WORK/a.rules" "$WORK/pack/food_sales.rules"; else cp "$WORK/b.rules" "$WORK/pack/food_sales.rules"; fi
    curl -s -o /dev/null -X POST "http://$HP/v1/admin/reload"
    k=$((k + 1))
    sleep 0.1
  done
  echo "reloads during the run: $k"
) &
RELOADER=$!
echo "during a reload every 100 ms: $(run "$DECIDE" --body "$WORK/apps.jsonl" --connections 64 --rate 25000)"
wait "$RELOADER"
echo "during a reload every 100 ms: $(run "$DECIDE" --body "$WORK/apps.jsonl" --connections 64 | sed 's/^/closed loop: /')"
cp "$WORK/a.rules" "$WORK/pack/food_sales.rules"
curl -s -o /dev/null -X POST "http://$HP/v1/admin/reload"

# /v1/batch: bodies of 1,000 applications; each batch request is decided on
# a thread of its own as its body arrives. One connection against
# `miaopi batch --threads 1`, and 4 against `miaopi batch` on every core.
tr '\n' '\036' <"$WORK/apps.jsonl" | sed 's/\x1e$//' >"$WORK/batch_line"
echo >>"$WORK/batch_line"
for _ in 1 2 3 4 5; do cat "$WORK/apps.jsonl"; done >"$WORK/apps5k.jsonl"
for pair in "1 1" "4 $(nproc)"; do
  read -r conns threads <<<"$pair"
  batch=$("$LOAD" "$HP" "/v1/batch?date=2026-09-10" --body "$WORK/batch_line" --body-line-separator 30 \
    --connections "$conns" --seconds "$SECONDS_EACH")
  echo "$batch"
  served=$(awk -v r="$(rate_of <<<"$batch")" 'BEGIN { printf "%d", r * 1000 }')
  line=$("$MIAOPI" batch "$WORK/pack" "$WORK/apps5k.jsonl" -o /dev/null --date 2026-09-10 --threads "$threads" \
    --no-progress 2>&1 | tail -1)
  direct=$(sed -n 's/.*(\([0-9,]*\)\/s).*/\1/p' <<<"$line" | tr -d ,)
  echo "/v1/batch on $conns connection(s): $served decisions/s; miaopi batch --threads $threads: $direct/s;" \
    "ratio $(awk -v a="$served" -v b="$direct" 'BEGIN { printf "%.2f", a / b }')"
done
