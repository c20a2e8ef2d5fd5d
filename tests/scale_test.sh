#!/usr/bin/env bash
# Scale-out on real NATS servers (docs/scale.md): each scenario starts
# `nats-server -js` on free loopback ports, runs `miaopi` workers, submit
# and collect as an operator would, and checks the records against
# `miaopi batch` byte for byte and the RESULTS stream's own count.
#   1. three workers over 100,000 applications: one record each, identical
#   2. kill -9 of a worker mid-run: nothing lost, nothing twice
#   3. a 3-node cluster, streams replicated 3 times, kill -9 of a node mid-run
#   4. a pack switched mid-run: each worker's records name the old hash, then
#      the new, never back; the journal ingested from the stream replays
#   5. a server down at start: the worker retries with backoff, then works;
#      journal ingest resumes where it stopped
#   6. applications too large for the server's message limit
# Usage: scale_test.sh MIAOPI ROOT [SCENARIO...]
set -u
MIAOPI="$1"
ROOT="$2"
shift 2
SCENARIOS="${*:-1 2 3 4 5 6}"
cd "$ROOT" || exit 1
TMP=$(mktemp -d)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_eq() { [[ "$2" == "$3" ]] || fail "$1: expected '$2', got '$3'"; }
note() { echo "-- $*"; }

DATE=2026-09-10
PACK=samples/food_sales

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return; }
  done
}

# start_nats NAME PORT MONITOR [ARGS...]: a JetStream server in $TMP/NAME.
start_nats() {
  local name=$1 port=$2 mon=$3
  shift 3
  mkdir -p "$TMP/$name"
  nats-server -js -a 127.0.0.1 -p "$port" -m "$mon" -sd "$TMP/$name/store" -n "$name" "$@" >"$TMP/$name/log" 2>&1 &
  PIDS+=($!)
  eval "PID_$name=$!"
  for _ in $(seq 100); do
    grep -q "Server is ready" "$TMP/$name/log" && return 0
    sleep 0.1
  done
  fail "nats-server $name did not start: $(tail -3 "$TMP/$name/log")"
  return 1
}

# jsz MONITOR WHAT STREAM: from the server's monitoring JSON, the stream's
# message count (messages), the server leading its replicas (leader), or
# the applications its "workers" consumer holds unacknowledged (ack_pending).
jsz() {
  curl -s "http://127.0.0.1:$1/jsz?streams=true&consumers=true" | python3 -c '
import json, sys
what, want = sys.argv[1:3]
for account in json.load(sys.stdin).get("account_details", []):
    for stream in account.get("stream_detail", []):
        if stream["name"] != want:
            continue
        if what == "messages":
            print(stream["state"]["messages"])
        elif what == "leader":
            print(stream.get("cluster", {}).get("leader", ""))
        else:
            print(next((c.get("num_ack_pending", 0) for c in stream.get("consumer_detail") or [] if c["name"] == "workers"), 0))
        sys.exit(0)
print(-1 if what == "messages" else 0 if what == "ack_pending" else "")' "$2" "$3"
}
stream_messages() { jsz "$1" messages "$2"; }
stream_leader() { jsz "$1" leader "$2"; }
ack_pending() { jsz "$1" ack_pending APPS; }

# wait_results MONITOR N: until RESULTS holds at least N records.
wait_results() {
  for _ in $(seq 600); do
    [[ $(stream_messages "$1" RESULTS) -ge $2 ]] && return 0
    sleep 0.1
  done
  fail "RESULTS never reached $2 records"
}

start_worker() {  # start_worker NAME URL [ARGS...]
  local name=$1 url=$2
  shift 2
  "$MIAOPI" worker --nats "$url" --name "$name" "$@" >"$TMP/worker-$name.log" 2>&1 &
  PIDS+=($!)
  eval "WPID_$name=$!"
}

# Applications: the sample's 1,000 over and over with their own ids, and a
# few lines every run must answer with an error record.
make_apps() {  # make_apps N FILE
  awk -v n="$1" 'NR == FNR { line[FNR] = $0; count = FNR; next }
    END { for (i = 0; i < n; i++) { l = line[i % count + 1]; sub(/"id": "APP-[0-9]+"/, "\"id\": \"APP-" i "\"", l); print l } }' \
    samples/applications/food_sales_1000.jsonl samples/applications/food_sales_1000.jsonl >"$2"
  {
    echo ''
    echo 'not json'
    echo '{"item": "NO-SUCH-ITEM"}'
  } >>"$2"
}

batch_of() {  # batch_of PACK IN OUT
  "$MIAOPI" batch "$1" "$2" --date "$DATE" -o "$3" 2>/dev/null
}

run_scenario_1() {
  note "1: three workers over 100,000 applications"
  local port mon url
  port=$(free_port) mon=$(free_port)
  start_nats s1 "$port" "$mon" || return
  url="nats://127.0.0.1:$port"
  make_apps 100000 "$TMP/apps1.jsonl"
  local n
  n=$(wc -l <"$TMP/apps1.jsonl")
  "$MIAOPI" publish-pack "$PACK" --nats "$url" >"$TMP/publish1" || fail "publish-pack"
  "$MIAOPI" submit "$TMP/apps1.jsonl" --nats "$url" --date "$DATE" 2>"$TMP/submit1" || fail "submit: $(cat "$TMP/submit1")"
  expect_eq "applications queued" "$n" "$(stream_messages "$mon" APPS)"
  for w in a b c; do start_worker "$w" "$url" --idle-exit 3; done
  "$MIAOPI" collect --nats "$url" --timeout 120 -o "$TMP/out1.jsonl" 2>"$TMP/collect1" || fail "collect: $(cat "$TMP/collect1")"
  batch_of "$PACK" "$TMP/apps1.jsonl" "$TMP/batch1.jsonl"
  cmp -s "$TMP/out1.jsonl" "$TMP/batch1.jsonl" || fail "three workers' records differ from miaopi batch"
  expect_eq "one record per application in RESULTS" "$n" "$(stream_messages "$mon" RESULTS)"
  expect_eq "the work queue is empty" 0 "$(stream_messages "$mon" APPS)"
  for w in a b c; do
    eval "wait \$WPID_$w" || fail "worker $w exit code"
    grep -q "worker stopped" "$TMP/worker-$w.log" || fail "worker $w log: $(tail -3 "$TMP/worker-$w.log")"
  done
  local shares
  shares=$(grep -ho "stopped: [0-9,]* applications" "$TMP"/worker-[abc].log | tr -d , | awk '{print $2}' | tr '\n' ' ')
  note "the workers' shares: $shares"
  for s in $shares; do [[ $s -gt 0 ]] || fail "a worker decided nothing: $shares"; done
  # publish-pack refuses a pack with errors; the one in force stays.
  mkdir -p "$TMP/broken" && cp -r "$PACK"/. "$TMP/broken/" && echo "rule oops" >>"$TMP/broken/food_sales.rules"
  "$MIAOPI" publish-pack "$TMP/broken" --nats "$url" >/dev/null 2>&1
  expect_eq "publish-pack of a broken pack" 3 $?
  "$MIAOPI" publish-pack "$PACK" --nats "$url" >"$TMP/publish1b"
  [[ $(cat "$TMP/publish1b") == *"already stored"* ]] || fail "a pack stored twice: $(cat "$TMP/publish1b")"
}

run_scenario_2() {
  note "2: kill -9 of a worker mid-run"
  local port mon url
  port=$(free_port) mon=$(free_port)
  start_nats s2 "$port" "$mon" || return
  url="nats://127.0.0.1:$port"
  make_apps 60000 "$TMP/apps2.jsonl"  # long enough that the kill falls mid-run
  local n
  n=$(wc -l <"$TMP/apps2.jsonl")
  "$MIAOPI" publish-pack "$PACK" --nats "$url" >/dev/null || fail "publish-pack"
  "$MIAOPI" submit "$TMP/apps2.jsonl" --nats "$url" --date "$DATE" 2>/dev/null || fail "submit"
  # The victim works alone until it is stopped holding a batch it has not
  # acknowledged (the server says so), then dies; the survivor takes over.
  start_worker victim "$url" --ack-wait 2 --fetch 256
  wait_results "$mon" 8000
  local held=0
  for _ in $(seq 100); do
    kill -STOP "$WPID_victim"
    held=$(ack_pending "$mon")
    [[ $held -gt 0 ]] && break
    kill -CONT "$WPID_victim"
    sleep 0.02
  done
  kill -9 "$WPID_victim"
  wait "$WPID_victim" 2>/dev/null
  note "killed a worker holding $held unacknowledged applications at $(stream_messages "$mon" RESULTS) records"
  [[ $held -gt 0 ]] || fail "the victim never held a batch when stopped"
  start_worker survivor "$url" --ack-wait 2 --idle-exit 6
  "$MIAOPI" collect --nats "$url" --timeout 120 -o "$TMP/out2.jsonl" 2>"$TMP/collect2" || fail "collect: $(cat "$TMP/collect2")"
  wait "$WPID_survivor"
  batch_of "$PACK" "$TMP/apps2.jsonl" "$TMP/batch2.jsonl"
  cmp -s "$TMP/out2.jsonl" "$TMP/batch2.jsonl" || fail "records after a kill -9 differ from miaopi batch"
  expect_eq "one record per application after a kill -9" "$n" "$(stream_messages "$mon" RESULTS)"
  local again
  again=$(grep -o "([0-9,]* delivered again" "$TMP/worker-survivor.log" | tr -d '(,' | awk '{print $1}')
  note "the survivor decided ${again:-?} applications a second time (the victim's unacknowledged batch)"
  [[ ${again:-0} -gt 0 ]] || fail "no application came back from the killed worker: $(tail -2 "$TMP/worker-survivor.log")"
}

run_scenario_3() {
  note "3: a 3-node cluster, replicas 3, kill -9 of a node mid-run"
  local ports=() mons=() routes=() i
  for i in 1 2 3; do
    ports+=("$(free_port)")
    mons+=("$(free_port)")
    routes+=("$(free_port)")
  done
  local route_urls="nats-route://127.0.0.1:${routes[0]},nats-route://127.0.0.1:${routes[1]},nats-route://127.0.0.1:${routes[2]}"
  for i in 0 1 2; do
    start_nats "n$((i + 1))" "${ports[$i]}" "${mons[$i]}" --cluster_name miaopi --cluster "nats://127.0.0.1:${routes[$i]}" \
      --routes "$route_urls" || return
  done
  local url="nats://127.0.0.1:${ports[0]},nats://127.0.0.1:${ports[1]},nats://127.0.0.1:${ports[2]}"
  make_apps 20000 "$TMP/apps3.jsonl"
  local n
  n=$(wc -l <"$TMP/apps3.jsonl")
  "$MIAOPI" publish-pack "$PACK" --nats "$url" --replicas 3 >/dev/null 2>"$TMP/publish3" || fail "publish-pack: $(cat "$TMP/publish3")"
  "$MIAOPI" submit "$TMP/apps3.jsonl" --nats "$url" --replicas 3 --date "$DATE" 2>"$TMP/submit3" ||
    fail "submit: $(cat "$TMP/submit3")"
  start_worker c1 "$url" --ack-wait 3 --idle-exit 10
  start_worker c2 "nats://127.0.0.1:${ports[2]},nats://127.0.0.1:${ports[0]}" --ack-wait 3 --idle-exit 10
  wait_results "${mons[0]}" 5000
  # The node that leads RESULTS goes: the stream must elect another.
  local leader victim_pid
  leader=$(stream_leader "${mons[0]}" RESULTS)
  [[ $leader == n[123] ]] || { fail "no leader for RESULTS: '$leader'"; leader=n2; }
  eval "victim_pid=\$PID_$leader"
  kill -9 "$victim_pid"
  wait "$victim_pid" 2>/dev/null
  local alive
  alive=$([[ $leader == n1 ]] && echo 1 || echo 0)
  note "killed node $leader, RESULTS' leader, at $(stream_messages "${mons[$alive]}" RESULTS) records"
  "$MIAOPI" collect --nats "$url" --timeout 120 -o "$TMP/out3.jsonl" 2>"$TMP/collect3" || fail "collect: $(cat "$TMP/collect3")"
  wait "$WPID_c1" "$WPID_c2"
  batch_of "$PACK" "$TMP/apps3.jsonl" "$TMP/batch3.jsonl"
  cmp -s "$TMP/out3.jsonl" "$TMP/batch3.jsonl" || fail "records after a node's kill -9 differ from miaopi batch"
  for i in 0 1 2; do
    [[ n$((i + 1)) == "$leader" ]] && continue
    expect_eq "one record per application on node n$((i + 1))" "$n" "$(stream_messages "${mons[$i]}" RESULTS)"
  done
  local new_leader
  new_leader=$(stream_leader "${mons[$alive]}" RESULTS)
  note "RESULTS' new leader: $new_leader"
  [[ $new_leader == n[123] && $new_leader != "$leader" ]] || fail "RESULTS has no new leader: '$new_leader'"
}

run_scenario_4() {
  note "4: a pack switched mid-run"
  local port mon url
  port=$(free_port) mon=$(free_port)
  start_nats s4 "$port" "$mon" || return
  url="nats://127.0.0.1:$port"
  # The new version asks for 20 m² instead of 10: some approvals become reviews.
  mkdir -p "$TMP/v2" && cp -r "$PACK"/. "$TMP/v2/"
  sed -i 's/2026\.09\.1/2026.09.2/' "$TMP/v2/food_sales.rules"
  sed -i 's/>= 10/>= 20/' "$TMP/v2/food_sales.rules"
  make_apps 30000 "$TMP/apps4.jsonl"
  local n
  n=$(wc -l <"$TMP/apps4.jsonl")
  batch_of "$PACK" "$TMP/apps4.jsonl" "$TMP/old4.jsonl"
  batch_of "$TMP/v2" "$TMP/apps4.jsonl" "$TMP/new4.jsonl" || fail "the new version does not compile"
  cmp -s "$TMP/old4.jsonl" "$TMP/new4.jsonl" && fail "the two versions decide alike: the test would prove nothing"
  [[ $(grep -c '"decision":"approve"' "$TMP/old4.jsonl") -gt $(grep -c '"decision":"approve"' "$TMP/new4.jsonl") ]] ||
    fail "the new version should approve fewer"
  local old new
  old=$("$MIAOPI" publish-pack "$PACK" --nats "$url" | awk '{print $6}')
  # Paced (about 7 s in all), so that the switch falls mid-run whatever the speed.
  "$MIAOPI" submit "$TMP/apps4.jsonl" --nats "$url" --date "$DATE" --rate 4000 2>/dev/null &
  local submitter=$!
  start_worker p "$url" --idle-exit 4
  start_worker q "$url" --idle-exit 4
  wait_results "$mon" 8000
  new=$("$MIAOPI" publish-pack "$TMP/v2" --nats "$url" | awk '{print $6}')
  [[ $old == sha256:* && $new == sha256:* ]] || fail "publish-pack names no hash: $old $new"
  note "switched from $old to $new at $(stream_messages "$mon" RESULTS) records"
  "$MIAOPI" collect --nats "$url" --count "$n" --timeout 120 -o "$TMP/out4.jsonl" 2>/dev/null || fail "collect"
  wait "$submitter" || fail "submit"
  wait "$WPID_p" "$WPID_q"
  expect_eq "one record per application across the switch" "$n" "$(stream_messages "$mon" RESULTS)"
  # Each record is the old version's or the new one's, as its hash says.
  paste -d '\t' "$TMP/out4.jsonl" "$TMP/old4.jsonl" "$TMP/new4.jsonl" | awk -F '\t' -v old="$old" -v new="$new" '
    index($1, old) { o++; if ($1 != $2) bad++; next }
    index($1, new) { w++; if ($1 != $3) bad++; next }
    { if ($1 != $2 || $1 != $3) bad++ }
    END { print o + 0, w + 0, bad + 0 }' >"$TMP/split4"
  read -r n_old n_new n_bad <"$TMP/split4"
  note "records: $n_old with the old pack, $n_new with the new"
  expect_eq "records unlike their version's batch" 0 "$n_bad"
  [[ $n_old -gt 0 && $n_new -gt 0 ]] || fail "the switch did not fall mid-run: $n_old old, $n_new new"
  # The journal built from the stream: per worker, old then new, never back.
  "$MIAOPI" journal ingest "$TMP/j4" --nats "$url" 2>"$TMP/ingest4" || fail "ingest: $(cat "$TMP/ingest4")"
  expect_eq "entries ingested" "$n" "$(sqlite3 "$TMP/j4/journal.db" "SELECT count(*) FROM entries")"
  local back
  back=$(sqlite3 "$TMP/j4/journal.db" "WITH first_new AS (SELECT caller, min(seq) AS seq FROM entries
    WHERE pack = '$new' GROUP BY caller) SELECT count(*) FROM entries e JOIN first_new f ON e.caller = f.caller
    WHERE e.pack = '$old' AND e.seq > f.seq")
  expect_eq "old-pack records after a worker's first new-pack record" 0 "$back"
  "$MIAOPI" replay "$TMP/j4" >"$TMP/replay4" 2>&1 || fail "replay: $(tail -3 "$TMP/replay4")"
  expect_eq "replay of the ingested journal" "$n decisions replayed: $n byte-identical, 0 different" "$(tail -1 "$TMP/replay4")"
  "$MIAOPI" journal verify "$TMP/j4" >/dev/null 2>&1 || fail "journal verify after ingest"
  # diff reads the stream's decisions as it reads the file they came from.
  "$MIAOPI" diff "$PACK" "$TMP/v2" "$url" --json >"$TMP/diff_stream.json" 2>/dev/null || fail "diff over the stream"
  "$MIAOPI" diff "$PACK" "$TMP/v2" "$TMP/apps4.jsonl" --date "$DATE" --json >"$TMP/diff_file.json" 2>/dev/null
  # (diff over JSONL skips the blank line, which the stream holds as an error record.)
  python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
same = a["applications"] == b["applications"] + 1 and a["changed"] == b["changed"] > 0
same = same and all(a["matrix"][o] == b["matrix"][o] for o in ("approve", "review", "reject"))
same = same and {k: v for k, v in a["items"].items() if k != "(none)"} == {k: v for k, v in b["items"].items() if k != "(none)"}
sys.exit(0 if same and a["input"].startswith("nats://") else 1)' \
    "$TMP/diff_stream.json" "$TMP/diff_file.json" || fail "diff over the stream differs from diff over the file"
  [[ $(ls "$TMP/j4/packs" | wc -l) -eq 2 ]] || fail "both packs archived: $(ls "$TMP/j4/packs")"
}

run_scenario_5() {
  note "5: a server down at start"
  local port mon url
  port=$(free_port) mon=$(free_port)
  url="nats://127.0.0.1:$port"
  start_worker early "$url" --idle-exit 5
  sleep 4
  local tries
  tries=$(grep -c "cannot reach" "$TMP/worker-early.log")
  note "$tries connection attempts logged in 4 s: $(grep -m1 'cannot reach' "$TMP/worker-early.log")"
  [[ $tries -ge 2 && $tries -le 8 ]] || fail "retries in 4 s: $tries (backoff, not a busy loop)"
  grep -q "retrying in" "$TMP/worker-early.log" || fail "no clear retry line"
  start_nats s5 "$port" "$mon" || return
  "$MIAOPI" publish-pack "$PACK" --nats "$url" >/dev/null || fail "publish-pack"
  head -600 samples/applications/food_sales_1000.jsonl >"$TMP/apps5a.jsonl"
  tail -400 samples/applications/food_sales_1000.jsonl >"$TMP/apps5b.jsonl"
  "$MIAOPI" submit "$TMP/apps5a.jsonl" --nats "$url" --date "$DATE" 2>/dev/null || fail "submit"
  "$MIAOPI" collect --nats "$url" --timeout 60 -o "$TMP/out5a.jsonl" 2>/dev/null || fail "collect after a late server"
  batch_of "$PACK" "$TMP/apps5a.jsonl" "$TMP/batch5a.jsonl"
  cmp -s "$TMP/out5a.jsonl" "$TMP/batch5a.jsonl" || fail "records of the late-started worker differ"
  # Ingest, more work, ingest again: the second run takes only the new ones.
  "$MIAOPI" journal ingest "$TMP/j5" --nats "$url" 2>/dev/null || fail "first ingest"
  "$MIAOPI" submit "$TMP/apps5b.jsonl" --nats "$url" --date "$DATE" 2>"$TMP/submit5b" || fail "second submit: $(cat "$TMP/submit5b")"
  "$MIAOPI" collect --nats "$url" --from 601 --timeout 60 -o "$TMP/out5b.jsonl" 2>/dev/null || fail "second collect"
  "$MIAOPI" journal ingest "$TMP/j5" --nats "$url" 2>"$TMP/ingest5" || fail "second ingest"
  [[ $(cat "$TMP/ingest5") == *"ingested 400 records from RESULTS sequence 601"* ]] || fail "resume: $(cat "$TMP/ingest5")"
  expect_eq "entries after two ingests" 1000 "$(sqlite3 "$TMP/j5/journal.db" "SELECT count(*) FROM entries")"
  expect_eq "no entry twice" 1000 "$(sqlite3 "$TMP/j5/journal.db" "SELECT count(DISTINCT input) FROM entries")"
  "$MIAOPI" replay "$TMP/j5" >/dev/null 2>&1 || fail "replay after two ingests"
  wait "$WPID_early" || fail "the late-started worker's exit code"
  # An ack wait the results' duplicate window (600 s) does not cover twice: said.
  "$MIAOPI" worker --nats "$url" --ack-wait 400 --consumer longwait --idle-exit 1 >/dev/null 2>"$TMP/longwait"
  grep -q "less than twice the ack wait" "$TMP/longwait" || fail "no warning for a long ack wait: $(cat "$TMP/longwait")"
  # A work queue that does not exist: a clear error, exit 4.
  "$MIAOPI" worker --nats "$url" --stream NO_SUCH_QUEUE --idle-exit 1 >/dev/null 2>"$TMP/nostream"
  expect_eq "worker on a missing stream" 4 $?
  grep -q "NO_SUCH_QUEUE" "$TMP/nostream" || fail "the error names no stream: $(cat "$TMP/nostream")"
}

run_scenario_6() {
  note "6: applications too large for the server's message limit"
  local port mon url
  port=$(free_port) mon=$(free_port)
  printf 'max_payload: 16384\n' >"$TMP/small.conf"
  start_nats s6 "$port" "$mon" -c "$TMP/small.conf" || return
  url="nats://127.0.0.1:$port"
  local first pad
  first=$(head -1 samples/applications/food_sales_1000.jsonl)
  pad() { printf '%s, "note": "%s"}\n' "${first%\}}" "$(head -c "$1" /dev/zero | tr '\0' x)"; }
  {
    echo "$first"
    pad 14000  # too long to queue: goes empty, with its length
    pad 11600  # queued, but its record cannot carry it as well
    sed -n 2p samples/applications/food_sales_1000.jsonl
  } >"$TMP/apps6.jsonl"
  "$MIAOPI" publish-pack "$PACK" --nats "$url" >/dev/null || fail "publish-pack"
  "$MIAOPI" submit "$TMP/apps6.jsonl" --nats "$url" --date "$DATE" 2>"$TMP/submit6" || fail "submit: $(cat "$TMP/submit6")"
  start_worker big "$url" --idle-exit 2
  "$MIAOPI" collect --nats "$url" --timeout 60 -o "$TMP/out6.jsonl" 2>/dev/null || fail "collect"
  wait "$WPID_big" || fail "worker exit code: $(tail -3 "$TMP/worker-big.log")"
  batch_of "$PACK" "$TMP/apps6.jsonl" "$TMP/batch6.jsonl"
  expect_eq "records" 4 "$(wc -l <"$TMP/out6.jsonl")"
  expect_eq "line 2's record" '{"line":2,"error":{"code":"too_large","message":"the line has 14046 bytes; more than the queue'"'"'s message limit"}}' \
    "$(sed -n 2p "$TMP/out6.jsonl" | sed 's/has [0-9]* bytes/has 14046 bytes/')"
  for i in 1 3 4; do
    expect_eq "line $i's record as batch's" "$(sed -n ${i}p "$TMP/batch6.jsonl")" "$(sed -n ${i}p "$TMP/out6.jsonl")"
  done
  "$MIAOPI" journal ingest "$TMP/j6" --nats "$url" 2>"$TMP/ingest6" || fail "ingest: $(cat "$TMP/ingest6")"
  expect_eq "the application left out of its record's message" 0 \
    "$(sqlite3 "$TMP/j6/journal.db" "SELECT length(input) FROM entries WHERE options = '{\"line\":3}'")"
}

# Between scenarios: every server and worker of the last one gone.
end_scenario() {
  for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  PIDS=()
}

for s in $SCENARIOS; do
  "run_scenario_$s"
  end_scenario
done
if ((failures)); then
  echo "$failures failure(s)"
  for f in "$TMP"/worker-*.log; do
    echo "== $f"
    tail -5 "$f"
  done
  exit 1
fi
echo "scale: all scenarios passed"
