#!/usr/bin/env bash
# The command line contract (LANGUAGE.md, docs/cli.md): outputs and exit codes.
set -u
MIAOPI="$1"
ROOT="$2"
PACK="$ROOT/samples/food_sales"
BASE="$ROOT/tests/golden/decide/food_sales/base.json"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

expect_exit() {  # expect_exit CODE DESCRIPTION -- COMMAND...
  local want=$1 what=$2
  shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL: $what: exit $got, expected $want"
    echo "--- stdout"; head -20 "$TMP/out"; echo "--- stderr"; head -20 "$TMP/err"
    failures=$((failures + 1))
  fi
}

expect_grep() {  # expect_grep FILE PATTERN DESCRIPTION
  if ! grep -q -- "$2" "$1"; then
    echo "FAIL: $3: no '$2' in $(basename "$1")"
    head -20 "$1"
    failures=$((failures + 1))
  fi
}

expect_exit 0 "check a good pack" -- "$MIAOPI" check "$PACK"
expect_grep "$TMP/out" "ok: pack nanhai.market 2026.09.1" "check summary"

expect_exit 1 "check a bad pack" -- "$MIAOPI" check "$ROOT/tests/golden/check/names"
expect_grep "$TMP/err" "a.rules:9:47: error\[E202\]: applicant has no field 'birth_dat'; did you mean 'birth_date'?" "diagnostic format"
expect_grep "$TMP/err" '| *^~~~~' "caret line"

expect_exit 1 "check --json" -- "$MIAOPI" check --json "$ROOT/tests/golden/check/names"
expect_grep "$TMP/out" '"ok":false,"diagnostics":\[{"file":' "check --json"

expect_exit 0 "eval" -- "$MIAOPI" eval "$PACK" "$BASE" --date 2026-09-10
expect_grep "$TMP/out" '^{"id":"FS-T-001","item":"FS-001","decision":"approve","date":"2026-09-10"' "eval record"
expect_grep "$TMP/out" '"title":"食品销售经营者备案（仅销售预包装食品）"' "Chinese written as is"

sed 's/"area_m2": 35.5/"area_m2": 8/' "$BASE" >"$TMP/small.json"
expect_exit 0 "eval --explain from stdin" -- sh -c "\"$MIAOPI\" eval \"$PACK\" - --date 2026-09-10 --explain < \"$TMP/small.json\""
expect_grep "$TMP/out" '"facts":\["business.area_m2 = 8 < 10"\]' "explain trace"

expect_exit 0 "eval --remedies" -- "$MIAOPI" eval "$PACK" "$TMP/small.json" --date 2026-09-10 --remedies
expect_grep "$TMP/out" '"remedies":\[{"rule":"AREA","fixable":true,"changes":\[{"path":"business.area_m2","have":8,"need":">= 10","example":10}\],"why":"经营场所面积不足10平方米"}\]' "remedies in the record"
expect_exit 0 "eval --remedies of an approve" -- "$MIAOPI" eval "$PACK" "$BASE" --date 2026-09-10 --remedies
grep -q remedies "$TMP/out" && { echo "FAIL: an approve has remedies"; failures=$((failures + 1)); }
expect_exit 0 "notice" -- "$MIAOPI" notice "$PACK" "$TMP/small.json" --date 2026-09-10
expect_grep "$TMP/out" "^一次性告知书" "notice heading"
expect_grep "$TMP/out" "business.area_m2：现为 8，须满足 >= 10（例如 10）。" "notice change"
expect_grep "$TMP/out" "人工复核" "notice: the right to a person"
expect_exit 0 "notice of an approve" -- "$MIAOPI" notice "$PACK" "$BASE" --date 2026-09-10
expect_grep "$TMP/out" "申请已即时批准，无需补正" "notice of an approve"

echo '{"item": "NOPE"}' >"$TMP/unknown.json"
expect_exit 1 "eval of an undecidable application" -- "$MIAOPI" eval "$PACK" "$TMP/unknown.json" --date 2026-09-10
expect_grep "$TMP/out" '"error":{"code":"unknown_item"' "error record"

expect_exit 1 "notice of an undecidable application" -- "$MIAOPI" notice "$PACK" "$TMP/unknown.json" --date 2026-09-10
expect_grep "$TMP/err" "no decision, so no notice: unknown_item" "notice: error record"
expect_exit 4 "notice of an unreadable application" -- "$MIAOPI" notice "$PACK" "$TMP/none.json" --date 2026-09-10
expect_exit 2 "notice usage" -- "$MIAOPI" notice "$PACK"
expect_exit 2 "usage error" -- "$MIAOPI" eval "$PACK"
expect_exit 2 "bad date" -- "$MIAOPI" eval "$PACK" "$BASE" --date 2026-02-30
expect_exit 4 "unreadable application" -- "$MIAOPI" eval "$PACK" "$TMP/none.json" --date 2026-09-10
expect_exit 3 "eval with a broken pack" -- "$MIAOPI" eval "$ROOT/tests/golden/check/names" "$BASE"
expect_exit 4 "no such pack" -- "$MIAOPI" check "$TMP/nothing"

{ cat "$BASE" | tr -d '\n'; echo; echo '{bad'; cat "$TMP/small.json" | tr -d '\n'; echo; } >"$TMP/in.jsonl"
expect_exit 0 "batch" -- "$MIAOPI" batch "$PACK" "$TMP/in.jsonl" -o "$TMP/out.jsonl" --date 2026-09-10 --threads 2
expect_grep "$TMP/err" "3 applications in .* 1 approve, 1 review, 0 reject, 1 errors" "batch summary"
[[ $(wc -l <"$TMP/out.jsonl") -eq 3 ]] || { echo "FAIL: batch wrote $(wc -l <"$TMP/out.jsonl") records"; failures=$((failures + 1)); }
expect_grep "$TMP/out.jsonl" '"line":2,"error":{"code":"invalid_json"' "batch error line"

expect_exit 0 "batch from stdin" -- sh -c "\"$MIAOPI\" batch \"$PACK\" --date 2026-09-10 < \"$TMP/in.jsonl\""
[[ $(wc -l <"$TMP/out") -eq 3 ]] || { echo "FAIL: batch from stdin"; failures=$((failures + 1)); }

expect_exit 0 "test" -- "$MIAOPI" test "$PACK"
expect_grep "$TMP/out" "^38 passed, 0 failed" "test summary"

cp -r "$PACK" "$TMP/failing"
sed -i 's/"decision": "approve"/"decision": "reject"/' "$TMP/failing/tests/approve.json"
expect_exit 1 "test with failures" -- "$MIAOPI" test "$TMP/failing"
expect_grep "$TMP/out" "FAIL tests/approve.json: a complete, valid application is approved" "failure name"
expect_grep "$TMP/out" "decision: expected reject, got approve" "failure diff"
expect_grep "$TMP/out" "^32 passed, 6 failed" "failure summary"

expect_exit 0 "graph" -- "$MIAOPI" graph "$PACK" --item FS-001 --date 2026-09-10
expect_grep "$TMP/out" "^nodes: [0-9]* lowered, [0-9]* after optimization (cse, fold, simplify, const-sets)" "graph counts"
expect_exit 0 "graph --format dot" -- "$MIAOPI" graph "$PACK" --item FS-001 --format dot --rule HEALTH
expect_grep "$TMP/out" "^digraph decision {" "dot"
expect_exit 0 "graph with a pass off" -- "$MIAOPI" graph "$PACK" --item FS-001 --disable-pass cse
expect_grep "$TMP/out" "cse (off)" "pass off"
expect_exit 2 "graph of an unknown item" -- "$MIAOPI" graph "$PACK" --item NOPE

expect_exit 0 "bench writes text, JSON and SVG" -- "$MIAOPI" bench "$PACK" "$ROOT/samples/applications/food_sales_1000.jsonl" \
  --date 2026-09-10 --threads 2 --seconds 0.1 --json "$TMP/bench.json" --svg "$TMP/bench.svg"
expect_grep "$TMP/out" "threads  decisions/s" "bench table"
expect_grep "$TMP/bench.json" '"threads":2' "bench JSON"
expect_grep "$TMP/bench.svg" "</svg>" "bench SVG"

if [[ $failures -gt 0 ]]; then
  echo "$failures CLI checks failed"
  exit 1
fi
echo "CLI checks passed"
