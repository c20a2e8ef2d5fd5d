#!/usr/bin/env bash
# `miaopi serve` as a process, talked to with curl as an approval backend
# would: every route and every status, decide answers identical to
# `miaopi eval` and batch answers identical to `miaopi batch` (the sample
# and the Nanhai packs, with licences and contexts), tokens, reloads by
# request, SIGHUP and --watch, pipelining and Connection: close, and a
# clean exit on SIGTERM. (tests/service/ holds the load and fault tests.)
set -u
MIAOPI="$1"
ROOT="$2"
cd "$ROOT" || exit 1
source "$ROOT/tests/serve_lib.sh"

# ---------------------------------------------------------------- the sample pack
start_server samples/food_sales --listen 127.0.0.1:0 --threads 2 --max-body 100000 || exit 1
expect_eq "GET /healthz" 200 "$(status GET /healthz)"
expect_eq "GET /readyz" 200 "$(status GET /readyz)"
expect_eq "GET /v1/pack" 200 "$(status GET /v1/pack)"
grep -q '"items":\[{"item":"FS-001","title":"食品销售经营者备案（仅销售预包装食品）","effective":"2026-09-01","until":null,"rules":12}\]' "$TMP/body" ||
  fail "/v1/pack: $(cat "$TMP/body")"
HASH=$("$MIAOPI" check samples/food_sales | grep -o 'sha256:[0-9a-f]*')
expect_eq "X-Miaopi-Pack" "$HASH" "$(header X-Miaopi-Pack)"

# Every golden application: the same bytes as `miaopi eval`, 200 or 422.
n=0
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  n=$((n + 1))
  printf '%s' "$line" >"$TMP/app.json"
  code=$(status POST "/v1/decide?date=2026-09-10" --data-binary @"$TMP/app.json" -H 'Content-Type: application/json')
  "$MIAOPI" eval samples/food_sales "$TMP/app.json" --date 2026-09-10 --json >"$TMP/eval.out"
  eval_exit=$?
  cmp -s "$TMP/body" "$TMP/eval.out" || fail "decide #$n differs from eval: $(cat "$TMP/body") vs $(cat "$TMP/eval.out")"
  if [[ $eval_exit -eq 0 ]]; then expect_eq "decide #$n status" 200 "$code"; else expect_eq "decide #$n status" 422 "$code"; fi
  expect_eq "decide #$n X-Miaopi-Pack" "$HASH" "$(header X-Miaopi-Pack)"
done <tests/golden/decide/food_sales/apps.jsonl
[[ $n -gt 10 ]] || fail "only $n golden applications"

# explain and item from the query
status POST "/v1/decide?date=2026-09-10&explain=true&item=FS-001" --data-binary @tests/golden/decide/food_sales/base.json >/dev/null
"$MIAOPI" eval samples/food_sales tests/golden/decide/food_sales/base.json --date 2026-09-10 --explain --item FS-001 --json >"$TMP/eval.out"
cmp -s "$TMP/body" "$TMP/eval.out" || fail "explain=true differs from eval --explain"

# remedies and notice from the query: the same bytes as eval --remedies / --notice.
printf '%s' "$(sed -n 2p samples/applications/food_sales_1000.jsonl)" >"$TMP/review.json"
status POST "/v1/decide?date=2026-09-10&remedies=true" --data-binary @"$TMP/review.json" >/dev/null
"$MIAOPI" eval samples/food_sales "$TMP/review.json" --date 2026-09-10 --remedies --json >"$TMP/eval.out"
cmp -s "$TMP/body" "$TMP/eval.out" || fail "remedies=true differs from eval --remedies"
grep -q '"remedies":\[{"rule":' "$TMP/body" || fail "remedies=true: no remedies in $(cat "$TMP/body")"
status POST "/v1/decide?date=2026-09-10&notice=true" --data-binary @"$TMP/review.json" >/dev/null
"$MIAOPI" eval samples/food_sales "$TMP/review.json" --date 2026-09-10 --notice --json >"$TMP/eval.out"
cmp -s "$TMP/body" "$TMP/eval.out" || fail "notice=true differs from eval --notice"
grep -q '"notice":"一次性告知书' "$TMP/body" || fail "notice=true: no notice in $(cat "$TMP/body")"
status POST "/v1/batch?date=2026-09-10&remedies=true" --data-binary @samples/applications/food_sales_1000.jsonl >/dev/null
"$MIAOPI" batch samples/food_sales samples/applications/food_sales_1000.jsonl -o "$TMP/batch.out" --date 2026-09-10 --remedies --no-progress 2>/dev/null
cmp -s "$TMP/body" "$TMP/batch.out" || fail "batch remedies=true differs from miaopi batch --remedies"
expect_eq "remedies=maybe" 400 "$(status POST '/v1/decide?remedies=maybe' --data-binary '{}')"
expect_eq "notice given twice" 400 "$(status POST '/v1/decide?notice=true&notice=false' --data-binary '{}')"

# Batch: the same bytes as `miaopi batch`, chunked JSONL.
code=$(status POST "/v1/batch?date=2026-09-10" --data-binary @samples/applications/food_sales_1000.jsonl)
expect_eq "POST /v1/batch" 200 "$code"
"$MIAOPI" batch samples/food_sales samples/applications/food_sales_1000.jsonl -o "$TMP/batch.out" --date 2026-09-10 --no-progress 2>/dev/null
cmp -s "$TMP/body" "$TMP/batch.out" || fail "batch differs from miaopi batch"
expect_eq "batch Content-Type" "application/x-ndjson" "$(header Content-Type)"
expect_eq "batch Transfer-Encoding" "chunked" "$(header Transfer-Encoding)"
# A batch larger than the service's queues (3 MB in, 2 MB out: backpressure
# both ways), sent whole and sent chunked.
for _ in 1 2 3 4 5; do cat samples/applications/food_sales_1000.jsonl; done >"$TMP/apps5k.jsonl"
"$MIAOPI" batch samples/food_sales "$TMP/apps5k.jsonl" -o "$TMP/batch5k.out" --date 2026-09-10 --no-progress 2>/dev/null
expect_eq "POST /v1/batch of 5,000" 200 "$(status POST "/v1/batch?date=2026-09-10" --data-binary @"$TMP/apps5k.jsonl")"
cmp -s "$TMP/body" "$TMP/batch5k.out" || fail "a batch of 5,000 differs from miaopi batch"
status POST "/v1/batch?date=2026-09-10" -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/apps5k.jsonl" >/dev/null
cmp -s "$TMP/body" "$TMP/batch5k.out" || fail "a chunked batch of 5,000 differs from miaopi batch"
printf '{"id":1}\nnot json\n\n' >"$TMP/bad.jsonl"
status POST "/v1/batch?date=2026-09-10" --data-binary @"$TMP/bad.jsonl" >/dev/null
"$MIAOPI" batch samples/food_sales "$TMP/bad.jsonl" -o "$TMP/batch.out" --date 2026-09-10 --no-progress 2>/dev/null
cmp -s "$TMP/body" "$TMP/batch.out" || fail "batch of bad lines differs from miaopi batch"

# Errors in HTTP terms, each a JSON body {"error": CODE, "message": …}.
expect_eq "unknown path" 404 "$(status GET /v2/nothing)"
grep -q '"error":"not_found"' "$TMP/body" || fail "404 body: $(cat "$TMP/body")"
expect_eq "wrong method" 405 "$(status GET /v1/decide)"
expect_eq "Allow" "POST" "$(header Allow)"
expect_eq "bad date" 400 "$(status POST '/v1/decide?date=2026-02-30' --data-binary '{}')"
expect_eq "unknown option" 400 "$(status POST '/v1/decide?colour=red' --data-binary '{}')"
expect_eq "explain=yes" 400 "$(status POST '/v1/decide?explain=yes' --data-binary '{}')"
expect_eq "date given twice" 400 "$(status POST '/v1/decide?date=2026-09-10&date=2026-09-11' --data-binary '{}')"
expect_eq "badly escaped query" 400 "$(status POST '/v1/decide?item=%zz' --data-binary '{}')"
grep -q '"error":"bad_query"' "$TMP/body" || fail "400 body: $(cat "$TMP/body")"
expect_eq "error record" 422 "$(status POST '/v1/decide?date=2026-09-10' --data-binary 'not json')"
grep -q '"code":"invalid_json"' "$TMP/body" || fail "422 body: $(cat "$TMP/body")"
head -c 200000 /dev/zero | tr '\0' 'x' >"$TMP/big"
expect_eq "body over --max-body" 413 "$(status POST /v1/decide --data-binary @"$TMP/big")"
grep -q '"error":"too_large"' "$TMP/body" || fail "413 body: $(cat "$TMP/body")"
head -c 150000 /dev/zero | tr '\0' 'y' >"$TMP/long_line.jsonl"
printf '\n{"id":2}\n' >>"$TMP/long_line.jsonl"
status POST '/v1/batch?date=2026-09-10' --data-binary @"$TMP/long_line.jsonl" >/dev/null
grep -q '"line":1,"error":{"code":"too_large"' "$TMP/body" || fail "a batch line over --max-body: $(head -c 300 "$TMP/body")"
grep -q '"id":2,"line":2' "$TMP/body" || fail "the batch went on after a line over --max-body"
expect_eq "chunked body over --max-body" 413 "$(status POST /v1/decide -H 'Transfer-Encoding: chunked' --data-binary @"$TMP/big")"
expect_eq "a decide token is not needed without --tokens" 200 "$(status POST /v1/admin/reload)"

# Pipelining: three requests in one write, three answers in order.
hostport=${URL#http://}
exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
body='{"id":"P2","item":"FS-001"}'
printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nPOST /v1/decide?date=2026-09-10 HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%sGET /v1/pack HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' \
  "${#body}" "$body" >&3
timeout 120 cat <&3 >"$TMP/pipelined"  # ends when the server closes (Connection: close)
exec 3<&-
order=$(grep -o '"status":"alive"\|"id":"P2"\|"items":\[' "$TMP/pipelined" | tr '\n' ' ')
expect_eq "pipelined answers in order" '"status":"alive" "id":"P2" "items":[ ' "$order"
grep -qi '^Connection: close' "$TMP/pipelined" || fail "Connection: close not honoured"
# Garbage bytes: 400, and the server goes on.
printf 'GARBAGE\x01\x02 / HTTP/9\r\n\r\n' | timeout 5 curl -s -o /dev/null --data-binary @- "telnet://${URL#http://}" 2>/dev/null
expect_eq "alive after garbage" 200 "$(status GET /healthz)"

curl -s "$URL/metrics" >"$TMP/metrics"
for metric in 'miaopi_decisions_total{item="FS-001",outcome="approve"}' 'miaopi_error_records_total{code="invalid_json"}' \
  'miaopi_http_request_duration_seconds_bucket{route="decide"' 'miaopi_http_requests_in_flight' \
  'miaopi_pack_info{hash="'"$HASH"'"' 'miaopi_reloads_total{result="ok"} 1' 'miaopi_licence_store_errors_total' \
  'miaopi_http_requests_total{route="other",status="404"} 1'; do
  grep -qF "$metric" "$TMP/metrics" || fail "/metrics lacks $metric"
done
stop_server

# ---------------------------------------------------------------- Nanhai, with licences and contexts
"$MIAOPI" licences import samples/nanhai/licences.jsonl --db "$TMP/nh.db" >/dev/null 2>&1 || fail "licence import"
start_server rules/nanhai --listen 127.0.0.1:0 --licences "$TMP/nh.db" || exit 1
status POST "/v1/batch?date=2026-09-10" --data-binary @samples/nanhai/applications_1000.jsonl >/dev/null
"$MIAOPI" batch rules/nanhai samples/nanhai/applications_1000.jsonl --licences "$TMP/nh.db" -o "$TMP/batch.out" \
  --date 2026-09-10 --no-progress 2>/dev/null
cmp -s "$TMP/body" "$TMP/batch.out" || fail "Nanhai batch differs from miaopi batch"
head -40 samples/nanhai/applications_1000.jsonl >"$TMP/nh40.jsonl"
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%s' "$line" >"$TMP/app.json"
  status POST "/v1/decide?date=2026-09-10" --data-binary @"$TMP/app.json" >/dev/null
  "$MIAOPI" eval rules/nanhai "$TMP/app.json" --licences "$TMP/nh.db" --date 2026-09-10 --json >"$TMP/eval.out"
  cmp -s "$TMP/body" "$TMP/eval.out" || fail "Nanhai decide #$n differs from eval"
done <"$TMP/nh40.jsonl"
grep -q '"decision":"approve"' "$TMP/batch.out" || fail "no Nanhai approval"
stop_server

# ---------------------------------------------------------------- tokens
DECIDE_TOKEN=d3c1d3-secret
ADMIN_TOKEN=adm1n-secret
{
  echo "# callers"
  echo "$(printf '%s' "$DECIDE_TOKEN" | sha256sum | cut -d' ' -f1) window-backend decide"
  echo "$(printf '%s' "$ADMIN_TOKEN" | sha256sum | cut -d' ' -f1) ops admin"
} >"$TMP/tokens"
for bad in "not-a-hash window decide" "$(printf '%064d' 0) window root" "$(printf '%064d' 0) window"; do
  printf '# ok\n%s\n' "$bad" >"$TMP/bad_tokens"
  "$MIAOPI" serve samples/food_sales --listen 127.0.0.1:0 --tokens "$TMP/bad_tokens" >"$TMP/out" 2>"$TMP/err"
  expect_eq "tokens file '$bad'" 4 "$?"
  grep -q "bad_tokens:2:" "$TMP/err" || fail "a bad tokens line is not named: $(cat "$TMP/err")"
done
: >"$TMP/bad_tokens"
"$MIAOPI" serve samples/food_sales --listen 127.0.0.1:0 --tokens "$TMP/bad_tokens" >"$TMP/out" 2>"$TMP/err"
expect_eq "an empty tokens file" 4 "$?"
"$MIAOPI" serve samples/food_sales --listen 0.0.0.0:0 >"$TMP/out" 2>"$TMP/err"
expect_eq "non-loopback without --tokens" 2 "$?"
grep -q "loopback only" "$TMP/err" || fail "refusal message: $(cat "$TMP/err")"
start_server samples/food_sales --listen 127.0.0.1:0 --tokens "$TMP/tokens" || exit 1
expect_eq "no token" 401 "$(status POST '/v1/decide?date=2026-09-10' --data-binary @tests/golden/decide/food_sales/base.json)"
grep -q '"error":"unauthorized"' "$TMP/body" || fail "401 body"
expect_eq "wrong token" 401 "$(status POST /v1/decide -H 'Authorization: Bearer nope' --data-binary '{}')"
expect_eq "decide token" 200 "$(status POST '/v1/decide?date=2026-09-10' -H "Authorization: Bearer $DECIDE_TOKEN" --data-binary @tests/golden/decide/food_sales/base.json)"
expect_eq "decide token on an admin route" 403 "$(status POST /v1/admin/reload -H "Authorization: Bearer $DECIDE_TOKEN")"
expect_eq "admin token" 200 "$(status POST /v1/admin/reload -H "Authorization: Bearer $ADMIN_TOKEN")"
expect_eq "health needs no token" 200 "$(status GET /healthz)"
stop_server

# ---------------------------------------------------------------- overload
start_server samples/food_sales --listen 127.0.0.1:0 --max-connections 2 || exit 1
hostport=${URL#http://}
exec 4<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
exec 5<>"/dev/tcp/${hostport%:*}/${hostport#*:}"
eventually() {  # eventually STATUS METHOD PATH: the status within 120 s (the server sees connections asynchronously)
  local want=$1 got
  shift
  for _ in $(seq 1 1200); do
    got=$(status "$@")
    [[ "$got" == "$want" ]] && break
    sleep 0.1
  done
  echo "$got"
}
expect_eq "a connection over --max-connections" 503 "$(eventually 503 GET /healthz)"
expect_eq "Retry-After" 1 "$(header Retry-After)"
grep -q '"error":"overloaded"' "$TMP/body" || fail "503 body: $(cat "$TMP/body")"
exec 4<&- 5<&-
expect_eq "served again once connections close" 200 "$(eventually 200 GET /healthz)"
stop_server

# ---------------------------------------------------------------- reloads
cp -r samples/food_sales "$TMP/pack"
start_server "$TMP/pack" --listen 127.0.0.1:0 --watch || exit 1
status GET /v1/pack >/dev/null
OLD=$(header X-Miaopi-Pack)
sed -i 's/version "2026.09.1"/version "2026.09.2"/' "$TMP/pack/food_sales.rules"
sleep 0.5  # --watch reloads too, once the folder is quiet
expect_eq "reload by request" 200 "$(status POST /v1/admin/reload)"
NEW=$(header X-Miaopi-Pack)
[[ "$NEW" != "$OLD" ]] || fail "the reload did not change the pack"
grep -q '"version":"2026.09.2"' "$TMP/body" || fail "reload body: $(cat "$TMP/body")"
status POST '/v1/decide?date=2026-09-10' --data-binary @tests/golden/decide/food_sales/base.json >/dev/null
expect_eq "decided with the new pack" "$NEW" "$(header X-Miaopi-Pack)"
echo 'rule BROKEN "x" require nonsense > 1 else reject' >>"$TMP/pack/food_sales.rules"
expect_eq "a broken pack is refused" 422 "$(status POST /v1/admin/reload)"
grep -q '"error":"pack_has_errors"' "$TMP/body" && grep -q '"diagnostics":\[{"file":' "$TMP/body" ||
  fail "refused reload body: $(cat "$TMP/body")"
status POST '/v1/decide?date=2026-09-10' --data-binary @tests/golden/decide/food_sales/base.json >/dev/null
expect_eq "the old pack keeps serving" "$NEW" "$(header X-Miaopi-Pack)"
# --watch: repair the file and wait for the server to pick it up.
sed -i '$d' "$TMP/pack/food_sales.rules"
sed -i 's/version "2026.09.2"/version "2026.09.3"/' "$TMP/pack/food_sales.rules"
wait_for_pack() {  # wait_for_pack HASH: up to 180 s for the server to serve it (each reload compiles the pack)
  for _ in $(seq 1 1800); do
    status GET /v1/pack >/dev/null
    [[ "$(header X-Miaopi-Pack)" == "$1" ]] && return
    sleep 0.1
  done
}
WATCHED=$("$MIAOPI" check "$TMP/pack" | grep -o 'sha256:[0-9a-f]*')
wait_for_pack "$WATCHED"
expect_eq "--watch reloaded" "$WATCHED" "$(header X-Miaopi-Pack)"
stop_server
grep -q "refused, the pack has errors" "$TMP/serve.err" || fail "the refused reload was not logged"
# SIGHUP, on a server that does not watch.
launch --log-level info serve "$TMP/pack" --listen 127.0.0.1:0
wait_listening
URL="http://$(head -1 "$TMP/serve.out" | sed 's/listening on //')"
sed -i 's/version "2026.09.3"/version "2026.09.4"/' "$TMP/pack/food_sales.rules"
HUPPED=$("$MIAOPI" check "$TMP/pack" | grep -o 'sha256:[0-9a-f]*')
sleep 0.3
status GET /v1/pack >/dev/null
[[ "$(header X-Miaopi-Pack)" != "$HUPPED" ]] || fail "without --watch the edit alone reloaded the pack"
kill -HUP "$PID"
wait_for_pack "$HUPPED"
expect_eq "SIGHUP reloaded" "$HUPPED" "$(header X-Miaopi-Pack)"
stop_server
grep -q "reload (SIGHUP): now serving pack" "$TMP/serve.err" || fail "the SIGHUP reload was not logged: $(cat "$TMP/serve.err")"

if ((failures)); then
  echo "$failures service check(s) failed"
  exit 1
fi
echo "service: every route, status, reload and token check passed"
