#!/usr/bin/env bash
# The decision journal from the command line, as an operator and an auditor
# use it: eval and batch keep every decision (Nanhai items with licences
# and contexts too), verify recomputes everything, a proof checks with only
# the public key, replay gives every record back byte for byte, a byte
# changed with the sqlite3 shell is found by verify and by replay, reviews
# and stats, and diff over a JSONL file and a journal (text, JSON, HTML).
set -u
MIAOPI="$1"
ROOT="$2"
cd "$ROOT" || exit 1
source "$ROOT/tests/serve_lib.sh"
expect_in() {  # expect_in WHAT NEEDLE HAYSTACK
  if [[ "$3" != *"$2"* ]]; then fail "$1: '$2' not in: ${3:0:600}"; fi
}
J="$TMP/journal"
SQL() { sqlite3 "$J/journal.db" "$@"; }

"$MIAOPI" journal keygen nanhai.example/journal -o "$TMP/k.key" >/dev/null || fail "keygen"
expect_eq "signer key mode" "600" "$(stat -c %a "$TMP/k.key")"
"$MIAOPI" journal keygen -o "$TMP/k.key" >/dev/null 2>&1 && fail "keygen overwrote a key"
KEYS=(--journal "$J" --journal-key "$TMP/k.key" --journal-checkpoint-every 300)

# eval: the record on stdout is the one kept.
out=$("$MIAOPI" eval samples/food_sales tests/golden/decide/food_sales/base.json --date 2026-09-10 "${KEYS[@]}" 2>"$TMP/err")
expect_eq "eval exit" 0 $?
expect_in "eval names its entry" "journal: entry 0" "$(cat "$TMP/err")"
expect_eq "eval's record is entry 0's" "$out" "$(SQL "SELECT record FROM entries WHERE seq = 0")"
expect_eq "eval's caller" "cli" "$(SQL "SELECT caller FROM entries WHERE seq = 0")"
expect_eq "eval's input kept as received" "$(cat tests/golden/decide/food_sales/base.json)" "$(SQL "SELECT input FROM entries WHERE seq = 0")"

# batch: records in input order, one entry each, the licence answers kept.
"$MIAOPI" batch samples/food_sales samples/applications/food_sales_1000.jsonl --date 2026-09-10 -o "$TMP/b1.jsonl" \
  "${KEYS[@]}" 2>/dev/null || fail "batch with a journal"
"$MIAOPI" licences import samples/nanhai/licences.jsonl --db "$TMP/nanhai.db" >/dev/null 2>&1 || fail "licences import"
"$MIAOPI" batch rules/nanhai samples/nanhai/applications_1000.jsonl --date 2026-09-10 --licences "$TMP/nanhai.db" \
  -o "$TMP/b2.jsonl" "${KEYS[@]}" 2>/dev/null || fail "nanhai batch with a journal"
expect_eq "entries" 2001 "$(SQL "SELECT count(*) FROM entries")"
expect_eq "batch records in order" "$(cat "$TMP/b1.jsonl")" "$(SQL "SELECT record FROM entries WHERE seq BETWEEN 1 AND 1000 ORDER BY seq")"
expect_eq "nanhai records in order" "$(cat "$TMP/b2.jsonl")" "$(SQL "SELECT record FROM entries WHERE seq > 1000 ORDER BY seq")"
with_licences=$(SQL "SELECT count(*) FROM entries WHERE licences LIKE '[{%'")
[[ $with_licences -gt 100 ]] || fail "licence answers kept with the decisions that used them: $with_licences"
expect_eq "two packs archived" 2 "$(ls "$J/packs" | wc -l)"
expect_eq "the decisions view" "FS-001|approve" "$(SQL "SELECT item, decision FROM decisions WHERE seq = 0")"

# verify, with the public key; a checkpoint on close covers everything.
out=$("$MIAOPI" journal verify "$J" --public-key "$TMP/k.key.pub")
expect_eq "verify exit" 0 $?
expect_in "verify" "ok: 2001 entries" "$out"
json=$("$MIAOPI" journal verify "$J" --public-key "$TMP/k.key.pub" --json)
expect_in "verify --json" '"ok":true,"entries":2001' "$json"
expect_in "verify --json: all covered" '"uncovered":0' "$json"

# A proof of one decision, checked with the public key alone.
"$MIAOPI" journal prove "$J" 1500 >"$TMP/proof.json" || fail "prove"
out=$("$MIAOPI" journal check-proof "$TMP/proof.json" --public-key "$TMP/k.key.pub")
expect_eq "check-proof exit" 0 $?
expect_in "check-proof" "ok: entry 1500 is in nanhai.example/journal at tree size 2001" "$out"
sed 's/\\"decision\\":\\"[a-z]*\\"/\\"decision\\":\\"approve\\"/; s/"caller":"cli"/"caller":"clj"/' "$TMP/proof.json" >"$TMP/forged.json"
"$MIAOPI" journal check-proof "$TMP/forged.json" --public-key "$TMP/k.key.pub" >/dev/null 2>&1
expect_eq "a forged proof fails" 1 $?
"$MIAOPI" journal keygen nanhai.example/journal -o "$TMP/other.key" >/dev/null
"$MIAOPI" journal check-proof "$TMP/proof.json" --public-key "$TMP/other.key.pub" >/dev/null 2>&1
expect_eq "another key fails" 1 $?
sizes=$(SQL "SELECT group_concat(size, ' ') FROM checkpoints")
first=${sizes%% *}
"$MIAOPI" journal consistency "$J" "$first" >"$TMP/consistency.json" || fail "consistency ($sizes)"
out=$("$MIAOPI" journal check-proof "$TMP/consistency.json" --public-key "$TMP/k.key.pub")
expect_in "consistency" "only grew from $first to 2001 entries" "$out"

# replay: every record back, byte for byte (licence answers from the journal).
out=$("$MIAOPI" replay "$J")
expect_eq "replay exit" 0 $?
expect_in "replay" "2001 decisions replayed: 2001 byte-identical, 0 different" "$out"

# One byte changed with the sqlite3 shell: verify and replay both find it.
review_seq=$(SQL "SELECT seq FROM decisions WHERE decision = 'review' ORDER BY seq LIMIT 1")
cp -r "$J" "$TMP/altered"
sqlite3 "$TMP/altered/journal.db" "UPDATE entries SET record = replace(record, '\"decision\":\"review\"', '\"decision\":\"approve\"') WHERE seq = $review_seq" \
  || fail "tamper"
out=$("$MIAOPI" journal verify "$TMP/altered" --public-key "$TMP/k.key.pub")
expect_eq "verify of an altered journal" 1 $?
expect_in "verify names the entry" "FAILED: entry $review_seq does not match its leaf hash" "$out"
out=$("$MIAOPI" replay "$TMP/altered")
expect_eq "replay of an altered journal" 1 $?
expect_in "replay shows the entry" "entry $review_seq (pack" "$out"
expect_in "replay counts it" "2000 byte-identical, 1 different" "$out"

# Reviews: kept as entries linked to their decision; stats count them.
"$MIAOPI" journal review "$J" "$review_seq" --outcome approve --reviewer 王五 --note 现场核实无误 --journal-key "$TMP/k.key" 2>&1 | grep -q "kept as entry 2001" \
  || fail "journal review"
"$MIAOPI" journal review "$J" "$review_seq" --outcome approve --reviewer 王五 >/dev/null 2>&1
expect_eq "a signed journal refuses an unsigned writer" 4 $?
"$MIAOPI" journal review "$J" 99999 --outcome approve --reviewer x --journal-key "$TMP/k.key" >/dev/null 2>&1
expect_eq "no such decision" 1 $?
expect_eq "the reviews view" "$review_seq|approve|王五" "$(SQL "SELECT decision_seq, outcome, reviewer FROM reviews")"
stats=$("$MIAOPI" journal stats "$J" --json)
expect_in "stats: totals" '"decisions":2001,"reviews":1' "$stats"
expect_in "stats: the reviewed item" '"machine_reviews":{"decisions":' "$stats"
expect_in "stats: a human approve" '"reviewed":1,"approved":1,"rejected":0' "$stats"
"$MIAOPI" journal verify "$J" --public-key "$TMP/k.key.pub" >/dev/null || fail "verify after a review"
"$MIAOPI" replay "$J" | grep -q "2001 decisions replayed: 2001 byte-identical, 0 different, 1 review entries skipped" \
  || fail "replay skips reviews"

# export: everything, or with the items' private paths and the subject masked.
"$MIAOPI" journal export "$J" -o "$TMP/all.jsonl" 2>/dev/null || fail "export"
"$MIAOPI" journal export "$J" --mask -o "$TMP/masked.jsonl" 2>/dev/null || fail "export --mask"
expect_eq "export lines" 2002 "$(wc -l <"$TMP/all.jsonl")"
id_no=$(head -1 samples/nanhai/applications_1000.jsonl | grep -o '"id_no": "[0-9X]*"' | head -1 | grep -o '[0-9X]\{18\}')
name=$(head -1 samples/nanhai/applications_1000.jsonl | grep -o '"name": "[^"]*"' | head -1 | sed 's/"name": "//; s/"$//')
[[ -n "$id_no" && -n "$name" ]] || fail "sample personal data not found"
grep -q "$id_no" "$TMP/all.jsonl" || fail "the unmasked export holds the ID number"
if grep -q "$id_no" "$TMP/masked.jsonl"; then fail "the masked export holds an ID number"; fi
if grep -q "\"$name\"" "$TMP/masked.jsonl"; then fail "the masked export holds a name"; fi
masked_id="${id_no:0:6}***********${id_no:17:1}"
grep -q "$masked_id" "$TMP/masked.jsonl" || fail "an ID number keeps its region and check character ($masked_id)"
grep -q '"masked":{"paths":\["applicant.id_no"' "$TMP/masked.jsonl" || fail "each line records its mask"
expect_eq "licence answers left out" 0 "$(grep -c '"licences":"\[' "$TMP/masked.jsonl")"
# An application that got an error record (an unknown item): its item's
# private fields are unknown, so its input is left out whole.
EJ="$TMP/errors"
echo '{"id":"E-1","item":"NO-SUCH","applicant":{"id_number":"440608197007070018","name":"陈大文"}}' |
  "$MIAOPI" eval samples/food_sales - --date 2026-09-10 --journal "$EJ" >/dev/null 2>&1
expect_eq "an error record is kept" 1 "$(sqlite3 "$EJ/journal.db" "SELECT count(*) FROM decisions WHERE decision = 'error'")"
masked=$("$MIAOPI" journal export "$EJ" --mask 2>/dev/null)
if grep -q -e 440608197007070018 -e 陈大文 <<<"$masked"; then fail "the masked export of an error record holds personal data"; fi
expect_in "its input left out" "left out: the item's private fields are not known" "$masked"

# diff: a stricter area rule moves some approvals to review.
cp -r samples/food_sales "$TMP/stricter"
sed -i 's/business.area_m2 >= 10/business.area_m2 >= 60/' "$TMP/stricter/food_sales.rules"
json=$("$MIAOPI" diff samples/food_sales "$TMP/stricter" samples/applications/food_sales_1000.jsonl --date 2026-09-10 \
  --json --html "$TMP/diff.html" 2>/dev/null)
expect_eq "diff exit" 0 $?
expect_in "diff: applications" '"applications":1000' "$json"
expect_in "diff: the rule" '"rule":"AREA","newly_fail":' "$json"
expect_in "diff: samples" '"approve->review":["line ' "$json"
if [[ "$json" == *'"review":{"approve":'[1-9]* ]]; then fail "diff: nothing moves from review to approve"; fi
html=$(cat "$TMP/diff.html")
expect_in "diff html: svg bars" "<svg" "$html"
expect_in "diff html: matrix" '<table class="matrix">' "$html"
if grep -q -E 'https?://' "$TMP/diff.html" | grep -v 'www.w3.org' ; then fail "diff html fetches something"; fi
same=$("$MIAOPI" diff samples/food_sales samples/food_sales samples/applications/food_sales_1000.jsonl --date 2026-09-10 --json 2>/dev/null)
expect_in "diff of a pack with itself" '"changed":0' "$same"
json=$("$MIAOPI" diff samples/food_sales "$TMP/stricter" "$J" --json 2>/dev/null)
expect_in "diff over a journal (its dates, contexts, licences)" '"applications":2001' "$json"
"$MIAOPI" diff samples/food_sales "$TMP/stricter" "$TMP/missing.jsonl" >/dev/null 2>&1
expect_eq "diff of a missing input" 4 $?

# serve --journal: the answer names its entry; reviews over HTTP.
SJ="$TMP/served"
launch serve samples/food_sales --listen 127.0.0.1:0 --journal "$SJ"
wait_listening
URL="http://$(head -1 "$TMP/serve.out" | sed 's/^listening on //')"
headers=$(curl -s -D - -o "$TMP/answer.json" -X POST "$URL/v1/decide?date=2026-09-10" \
  --data-binary @tests/golden/decide/food_sales/base.json | tr -d '\r')
expect_in "X-Miaopi-Seq" "X-Miaopi-Seq: 0" "$headers"
sed -n 3p samples/applications/food_sales_1000.jsonl | curl -s -D "$TMP/h2" -o /dev/null -X POST "$URL/v1/decide?date=2026-09-10" --data-binary @-
expect_in "the second decision" "X-Miaopi-Seq: 1" "$(tr -d '\r' <"$TMP/h2")"
code=$(curl -s -o "$TMP/r.json" -w '%{http_code}' -X POST "$URL/v1/decisions/1/review" \
  -d '{"outcome":"reject","reviewer":"李四","note":"现场核查不符"}')
expect_eq "review over HTTP" "200" "$code"
expect_eq "review answer" '{"seq":2,"decision":1}' "$(cat "$TMP/r.json")"
expect_eq "review of a missing decision" 404 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/decisions/77/review" -d '{"outcome":"reject","reviewer":"x"}')"
expect_eq "review with a bad outcome" 400 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/decisions/1/review" -d '{"outcome":"maybe","reviewer":"x"}')"
expect_eq "review of a review" 404 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/decisions/2/review" -d '{"outcome":"reject","reviewer":"x"}')"
expect_eq "review with a bad body" 400 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/decisions/1/review" -d 'not json')"
head -c 500000 /dev/zero | tr '\0' '[' >"$TMP/deep.json"
expect_eq "a deeply nested review body" 400 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/decisions/1/review" --data-binary @"$TMP/deep.json")"
expect_eq "the server is alive after it" 200 "$(curl -s -o /dev/null -w '%{http_code}' "$URL/healthz")"
expect_eq "review path not a number" 404 "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$URL/v1/decisions/1x/review" -d '{}')"
expect_in "journal metrics" "miaopi_journal_entries_total 3" "$(curl -s "$URL/metrics")"
kill -TERM "$PID"; wait "$PID"; expect_eq "serve exit" 0 $?; PID=""
expect_eq "the served journal" "0|decision|local 1|decision|local 2|review|local" \
  "$(sqlite3 "$SJ/journal.db" "SELECT seq, kind, caller FROM entries" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "answered record is kept" "$(cat "$TMP/answer.json")" "$(sqlite3 "$SJ/journal.db" "SELECT record FROM entries WHERE seq = 0")"
"$MIAOPI" journal verify "$SJ" >/dev/null 2>&1 || fail "verify the served journal"

# A server with a larger application limit: entries name it, and replay
# loads the archived pack with it (a 1.5 MB application is decided, not too_large).
SL="$TMP/large"
launch serve samples/food_sales --listen 127.0.0.1:0 --max-body 3000000 --journal "$SL"
wait_listening
URL="http://$(head -1 "$TMP/serve.out" | sed 's/^listening on //')"
{ printf '{"padding": "'; head -c 1500000 /dev/zero | tr '\0' x; printf '", '; tail -c +2 tests/golden/decide/food_sales/base.json; } >"$TMP/big.json"
code=$(curl -s -o "$TMP/big_answer.json" -w '%{http_code}' -X POST "$URL/v1/decide?date=2026-09-10" --data-binary @"$TMP/big.json")
expect_eq "a 1.5 MB application under --max-body 3000000" 200 "$code"
kill -TERM "$PID"; wait "$PID"; PID=""
expect_in "the entry names the limit" '"max_bytes":3000000' "$(sqlite3 "$SL/journal.db" "SELECT options FROM entries WHERE seq = 0")"
"$MIAOPI" replay "$SL" | grep -q "1 decisions replayed: 1 byte-identical, 0 different" || fail "replay with the server's limit"

# Hostile `private` declarations and journal options: a clear error, never a crash.
mkdir -p "$TMP/bad_private"
cp -r samples/food_sales/tables "$TMP/bad_private/"
for variant in "applicant.nope" "applicant..id_number" "applicant.id_number," "staff.name.first" "private"; do
  sed "s/  private applicant.id_number, applicant.phone, staff.name/  private $variant/" \
    samples/food_sales/food_sales.rules >"$TMP/bad_private/food_sales.rules"
  out=$("$MIAOPI" check "$TMP/bad_private" 2>&1)
  code=$?
  [[ $code == 1 && "$out" == *"error[E"* ]] || fail "private $variant: exit $code: ${out:0:300}"
done
expect_in "a trailing comma says so" "a ',' at the end of the line before continues the list" \
  "$(sed 's/  private applicant.id_number, applicant.phone, staff.name/  private applicant.id_number,/' \
       samples/food_sales/food_sales.rules >"$TMP/bad_private/food_sales.rules"; "$MIAOPI" check "$TMP/bad_private" 2>&1)"
echo garbage >"$TMP/garbage.key"
out=$("$MIAOPI" eval samples/food_sales tests/golden/decide/food_sales/base.json --date 2026-09-10 \
        --journal "$TMP/gj" --journal-key "$TMP/garbage.key" 2>&1)
expect_eq "a garbage key: exit" 4 $?
expect_in "a garbage key: why" "not a signer key" "$out"
touch "$TMP/a_file"
"$MIAOPI" batch samples/food_sales samples/applications/food_sales_1000.jsonl --date 2026-09-10 -o /dev/null \
  --journal "$TMP/a_file" >/dev/null 2>&1
expect_eq "--journal on a file" 4 $?
"$MIAOPI" eval samples/food_sales tests/golden/decide/food_sales/base.json --journal "$J" --journal-sync sometimes \
  >/dev/null 2>&1
expect_eq "a bad --journal-sync" 2 $?
for cmd in "journal verify" "journal prove" "journal stats" "journal export" "replay"; do
  args=("$TMP/no_journal"); [[ $cmd == "journal prove" ]] && args+=(3)
  $MIAOPI $cmd "${args[@]}" >/dev/null 2>&1
  expect_eq "$cmd of a missing journal" 4 $?
done
head -c 100000 /dev/urandom >"$TMP/random.json"
"$MIAOPI" journal check-proof "$TMP/random.json" --public-key "$TMP/k.key.pub" >/dev/null 2>&1
expect_eq "check-proof of random bytes" 1 $?
"$MIAOPI" journal check-proof "$TMP/proof.json" --public-key "$TMP/random.json" >/dev/null 2>&1
expect_eq "check-proof with a garbage key" 4 $?

# Remedies and notices are kept with the decision's options, and replay gives them back.
R="$TMP/remedies"
"$MIAOPI" batch samples/food_sales samples/applications/food_sales_1000.jsonl --date 2026-09-10 --remedies \
  -o "$TMP/r.jsonl" --journal "$R" 2>/dev/null || fail "batch --remedies with a journal"
sed -n 2p samples/applications/food_sales_1000.jsonl >"$TMP/review.json"
"$MIAOPI" eval samples/food_sales "$TMP/review.json" --date 2026-09-10 --notice --journal "$R" >/dev/null 2>&1 ||
  fail "eval --notice with a journal"
expect_eq "options kept" '{"notice":true}' "$(sqlite3 "$R/journal.db" "SELECT options FROM entries WHERE seq = 1000")"
grep -q '"remedies":\[' "$TMP/r.jsonl" || fail "no remedies in batch --remedies"
out=$("$MIAOPI" replay "$R")
expect_eq "replay of remedies exit" 0 $?
expect_in "replay of remedies" "1001 decisions replayed: 1001 byte-identical, 0 different" "$out"

# A batch's blank and broken lines replay as batch decided them.
E="$TMP/blank-journal"
printf '%s\n\n   \nnot json\n' "$(head -1 samples/applications/food_sales_1000.jsonl)" >"$TMP/blank.jsonl"
"$MIAOPI" batch samples/food_sales "$TMP/blank.jsonl" --date 2026-09-10 --journal "$E" >/dev/null 2>&1
out=$("$MIAOPI" replay "$E")
expect_in "replay of blank lines" "4 decisions replayed: 4 byte-identical, 0 different" "$out"

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "journal: all checks passed"
