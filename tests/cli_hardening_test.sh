#!/usr/bin/env bash
# What the audit found around the core, as a user meets it: write failures
# (exit 4 with a message), closed pipes (a quiet end, never 141), an output
# that is the input, signals mid-batch (exit 130, whole lines, a summary),
# the licence library read while it is imported, and empty option values.
set -u
MIAOPI="$1"
ROOT="$2"
cd "$ROOT"
FS=samples/food_sales
NH=rules/nanhai
APP=tests/golden/decide/food_sales/base.json
APPS=samples/applications/food_sales_1000.jsonl
TMP=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# ---- a full disk: every command that writes reports it and exits 4
full() {  # full DESCRIPTION -- COMMAND... (stdout to /dev/full)
  local what=$1
  shift 2
  "$@" >/dev/full 2>"$TMP/err" <"${IN:-/dev/null}"
  local got=$?
  [[ $got -eq 4 ]] || fail "$what > /dev/full: exit $got, expected 4"
  grep -q "cannot write\|writing the records failed" "$TMP/err" || fail "$what > /dev/full: no message ($(head -c 200 "$TMP/err"))"
}
full "eval" -- "$MIAOPI" eval $FS $APP --date 2026-09-10
full "check" -- "$MIAOPI" check $FS
full "check --json" -- "$MIAOPI" check --json $FS
full "test" -- "$MIAOPI" test $FS
full "graph" -- "$MIAOPI" graph $FS --item FS-001 --date 2026-09-10
full "batch" -- "$MIAOPI" batch $FS $APPS --date 2026-09-10
"$MIAOPI" batch $FS $APPS --date 2026-09-10 -o /dev/full 2>"$TMP/err"
[[ $? -eq 4 ]] || fail "batch -o /dev/full: not exit 4"
"$MIAOPI" licences import samples/nanhai/licences.jsonl --db "$TMP/lib.db" >/dev/null 2>&1
full "licences find" -- "$MIAOPI" licences find --db "$TMP/lib.db" id_card 440605196907088471
printf ':help\n:rules\n' >"$TMP/script"
IN="$TMP/script" full "repl" -- "$MIAOPI" repl $FS --date 2026-09-10

# ---- a reader that goes away: a quiet end, not SIGPIPE's 141
for i in $(seq 1 30); do cat $APPS; done >"$TMP/big.jsonl"
"$MIAOPI" batch $FS "$TMP/big.jsonl" --date 2026-09-10 2>"$TMP/err" | head -1 >/dev/null
status=${PIPESTATUS[0]}
[[ $status -eq 0 ]] || fail "batch | head -1: exit $status"
[[ ! -s "$TMP/err" ]] || fail "batch | head -1 printed: $(head -c 200 "$TMP/err")"
"$MIAOPI" graph $NH --item NH-B04 --date 2026-09-10 --format dot 2>"$TMP/err" | head -c 10 >/dev/null
status=${PIPESTATUS[0]}
[[ $status -eq 0 ]] || fail "graph | head: exit $status"

# ---- an output that is the input is refused, and the input kept
cp $APPS "$TMP/in.jsonl"
before=$(sha256sum <"$TMP/in.jsonl")
"$MIAOPI" batch $FS "$TMP/in.jsonl" -o "$TMP/in.jsonl" --date 2026-09-10 2>"$TMP/err"
[[ $? -eq 2 ]] || fail "batch -o onto its input: not exit 2"
ln "$TMP/in.jsonl" "$TMP/hard.jsonl"
ln -s "$TMP/in.jsonl" "$TMP/soft.jsonl"
"$MIAOPI" batch $FS "$TMP/in.jsonl" -o "$TMP/hard.jsonl" --date 2026-09-10 2>/dev/null
[[ $? -eq 2 ]] || fail "batch -o onto a hard link of its input: not exit 2"
"$MIAOPI" batch $FS "$TMP/soft.jsonl" -o "$TMP/in.jsonl" --date 2026-09-10 2>/dev/null
[[ $? -eq 2 ]] || fail "batch -o onto its input through a symlink: not exit 2"
[[ $(sha256sum <"$TMP/in.jsonl") == "$before" ]] || fail "the input changed"
"$MIAOPI" batch $FS "$TMP" --date 2026-09-10 >/dev/null 2>"$TMP/err"
[[ $? -eq 4 ]] || fail "batch of a directory: not exit 4"
grep -q "is a directory" "$TMP/err" || fail "batch of a directory: $(cat "$TMP/err")"

# ---- SIGINT and SIGTERM mid-batch: lines in flight finish, whole; exit 130
for sig in INT TERM; do
  mkfifo "$TMP/fifo_$sig"
  "$MIAOPI" batch $FS - --date 2026-09-10 -o "$TMP/sig_$sig.jsonl" <"$TMP/fifo_$sig" 2>"$TMP/sig_$sig.err" &
  pid=$!
  exec 7>"$TMP/fifo_$sig"
  cat "$TMP/big.jsonl" >&7   # the writer stays open: the batch then waits in read()
  sleep 2
  kill -$sig $pid
  wait $pid
  status=$?
  exec 7>&-
  [[ $status -eq 130 ]] || fail "SIG$sig mid-batch: exit $status, expected 130"
  grep -q "interrupted after line" "$TMP/sig_$sig.err" || fail "SIG$sig: no summary ($(cat "$TMP/sig_$sig.err"))"
  n=$(grep -o "interrupted after line [0-9,]*" "$TMP/sig_$sig.err" | grep -o "[0-9,]*$" | tr -d ,)
  lines=$(wc -l <"$TMP/sig_$sig.jsonl")
  [[ "$n" == "$lines" ]] || fail "SIG$sig: the summary says $n, the output has $lines lines"
  [[ -z $(tail -c 1 "$TMP/sig_$sig.jsonl") ]] || fail "SIG$sig: the last line is cut"
  bad=$(grep -vc '^{.*}$' "$TMP/sig_$sig.jsonl")
  [[ $bad -eq 0 ]] || fail "SIG$sig: $bad lines are not whole records"
done

# ---- the licence library: an import while a batch reads, a batch while an import writes
licence_lines=60000
for i in $(seq 1 $licence_lines); do
  printf '{"type": "id_card", "number": "X%08d", "holder": {"id": "X%08d", "kind": "natural_person"}, "status": "valid"}\n' $i $i
done >"$TMP/many.jsonl"
cp "$TMP/lib.db" "$TMP/live.db"
for i in $(seq 1 150); do cat samples/nanhai/applications_1000.jsonl; done >"$TMP/nh.jsonl"
"$MIAOPI" batch $NH "$TMP/nh.jsonl" --licences "$TMP/live.db" --date 2026-09-10 --threads 1 -o "$TMP/nh_out.jsonl" 2>"$TMP/batch.err" &
batch_pid=$!
sleep 0.3
"$MIAOPI" licences import "$TMP/many.jsonl" --db "$TMP/live.db" >"$TMP/import.out" 2>&1
[[ $? -eq 0 ]] || fail "licences import while a batch reads: $(cat "$TMP/import.out")"
wait $batch_pid
[[ $? -eq 0 ]] || fail "the batch during the import: $(cat "$TMP/batch.err")"
"$MIAOPI" licences import "$TMP/many.jsonl" --db "$TMP/live.db" >/dev/null 2>&1 &
import_pid=$!
"$MIAOPI" batch $NH samples/nanhai/applications_1000.jsonl --licences "$TMP/live.db" --date 2026-09-10 -o /dev/null 2>"$TMP/batch.err"
[[ $? -eq 0 ]] || fail "a batch started during an import: $(cat "$TMP/batch.err")"
wait $import_pid || fail "the import during the batch"

# ---- empty values are mistakes, not defaults
for opt in --date --licences --subject --town --item; do
  "$MIAOPI" eval $FS $APP $opt "" >/dev/null 2>"$TMP/err"
  [[ $? -eq 2 ]] || fail "eval $opt \"\": not exit 2"
done
"$MIAOPI" batch $FS $APPS --date "" >/dev/null 2>&1
[[ $? -eq 2 ]] || fail "batch --date \"\": not exit 2"
# --subject takes the JSON itself as --help says
"$MIAOPI" eval $NH tests/reliability/2026-12-02/repro/p03_app.json --date 2026-09-10 \
  --subject '{"kind": "natural_person", "id": "510104200705216803", "auth_level": "sms"}' >"$TMP/out" 2>"$TMP/err"
grep -q '"decision"' "$TMP/out" || fail "--subject JSON: $(cat "$TMP/err")"

if [[ $failures -gt 0 ]]; then
  echo "$failures hardening checks failed"
  exit 1
fi
echo "hardening checks passed"
