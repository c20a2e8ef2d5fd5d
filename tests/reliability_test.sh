#!/usr/bin/env bash
# Every reproducer of the hostile audit of 2026-12-02 (tests/reliability/,
# a copy of ../shared/reliability/) gives a clear error or the right answer:
# never a signal, a hang or an approval on a licence that is not in force.
set -u
MIAOPI="$1"
ROOT="$2"
cd "$ROOT"
R=tests/reliability/2026-12-02/repro
FS=samples/food_sales
NH=rules/nanhai
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
failures=0

# run WANT_EXIT PATTERN DESCRIPTION -- COMMAND... (stdin from $IN when set)
run() {
  local want=$1 pattern=$2 what=$3
  shift 4
  timeout 120 "$@" <"${IN:-/dev/null}" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [[ $got -ne $want ]]; then
    echo "FAIL: $what: exit $got, expected $want"; head -c 1500 "$TMP/err"; echo
    failures=$((failures + 1))
  elif [[ -n "$pattern" ]] && ! grep -qE -- "$pattern" "$TMP/out" "$TMP/err"; then
    echo "FAIL: $what: no /$pattern/ in the output"; head -c 1500 "$TMP/out"; head -c 1500 "$TMP/err"; echo
    failures=$((failures + 1))
  fi
  # Whatever the input, the output stays small (no 800 MB :show).
  local size=$(($(wc -c <"$TMP/out") + $(wc -c <"$TMP/err")))
  if [[ $size -gt 2000000 ]]; then
    echo "FAIL: $what: $size bytes of output"
    failures=$((failures + 1))
  fi
}

run 0 "column %3\.max" "graph of a let-bound row (two tables)" -- "$MIAOPI" graph $R/pack_graph_crash --item X
run 0 "zone\.zone|column %[0-9]+\.zone" "graph NH-B04" -- "$MIAOPI" graph $NH --item NH-B04 --date 2026-09-10
run 0 "" "graph NH-B04 as dot" -- "$MIAOPI" graph $NH --item NH-B04 --date 2026-09-10 --format dot
for rule in R05 R08 R11; do
  run 0 "" "graph NH-B04 --rule $rule" -- "$MIAOPI" graph $NH --item NH-B04 --date 2026-09-10 --rule $rule
done
if "$MIAOPI" graph $NH --item NH-B04 --date 2026-09-10 --rule R05 | grep -q "column %.*\.class"; then
  echo "FAIL: NH-B04 R05 names a column of another table"; failures=$((failures + 1))
fi
IN=$R/repl_graph_b04.txt run 0 "R08 review" "REPL :graph R08" -- "$MIAOPI" repl $NH --date 2026-09-10
run 1 "error\[E005\]" "?? chain" -- "$MIAOPI" check $R/pack_coalesce_chain_crash
run 1 "error\[E005\]" "let chain" -- "$MIAOPI" check $R/pack_let_chain_crash
run 0 "^ok: pack" "def doubling, 24 levels" -- "$MIAOPI" check $R/pack_def_blowup_24
run 0 "^ok: pack" "def doubling, 40 levels" -- "$MIAOPI" check $R/pack_def_blowup_40
IN=$R/repl_coalesce_crash.txt run 1 "error\[E005\]" "REPL ?? line" -- "$MIAOPI" repl $FS --date 2026-09-10
IN=$R/repl_deep_paste_decide.txt run 1 "nests objects and arrays more than 64" "REPL deep paste" -- "$MIAOPI" repl $FS --date 2026-09-10
IN=$R/repl_deep_paste_show_20000.txt run 1 "nests objects and arrays more than 64" "REPL deep paste, :show" -- "$MIAOPI" repl $FS --date 2026-09-10
IN=$R/repl_deep_set.txt run 1 "nests objects and arrays more than 64" "REPL deep :set" -- "$MIAOPI" repl $FS --date 2026-09-10
IN=$R/repl_load_deep.txt run 1 "nests objects and arrays more than 64" "REPL deep :load" -- "$MIAOPI" repl $FS --date 2026-09-10
IN=$R/repl_load_devzero.txt run 1 "has more than 1048576 bytes" "REPL :load /dev/zero" -- "$MIAOPI" repl $FS --date 2026-09-10
IN=$R/repl_bad_date_literal.txt run 1 "error\[E003\]" "REPL invalid date literal" -- "$MIAOPI" repl $FS --date 2026-09-10
if grep -q "1970-01-01" "$TMP/out"; then echo "FAIL: an invalid date printed as 1970-01-01"; failures=$((failures + 1)); fi
run 1 "too_large" "eval /dev/zero" -- "$MIAOPI" eval $FS /dev/zero --date 2026-09-10

# batch_nul_variants: text after a NUL is part of the line, so no line with one is decided.
run 0 "" "batch with NUL bytes" -- "$MIAOPI" batch $FS $R/batch_nul_variants.jsonl --date 2026-09-10 -o "$TMP/nul.jsonl"
lines=$(wc -l <$R/batch_nul_variants.jsonl)
[[ $(wc -l <"$TMP/nul.jsonl") -eq $lines ]] || { echo "FAIL: NUL batch: one record per line"; failures=$((failures + 1)); }
nul_lines=$(LC_ALL=C grep -c -a -P '\x00' $R/batch_nul_variants.jsonl)
bad=$(grep -c '"invalid_json"' "$TMP/nul.jsonl")
[[ $nul_lines -gt 0 && $bad -ge $nul_lines ]] || { echo "FAIL: $nul_lines lines hold a NUL, $bad are invalid_json"; failures=$((failures + 1)); }
run 0 "" "batch with a BOM" -- "$MIAOPI" batch $FS $R/batch_bom_start.jsonl --date 2026-09-10 -o "$TMP/bom.jsonl"
if head -1 "$TMP/bom.jsonl" | grep -q '"error"'; then echo "FAIL: the BOM line is an error record"; failures=$((failures + 1)); fi
run 1 "duplicate_key" "two \"item\" members" -- "$MIAOPI" eval $FS $R/app_dup_item.json --date 2026-09-10
run 0 '"id":[0-9]{20,}' "a big integer id" -- "$MIAOPI" eval $FS $R/app_id_bigint.json --date 2026-09-10
id=$(grep -o '"id": *[0-9.eE+-]*' $R/app_id_bigint.json | head -1 | sed 's/"id": *//')
grep -q "\"id\":$id," "$TMP/out" || { echo "FAIL: id $id not echoed as written: $(head -c 80 "$TMP/out")"; failures=$((failures + 1)); }

# Revoked, cancelled and suspended ID cards never approve.
"$MIAOPI" licences import samples/nanhai/licences.jsonl --db "$TMP/base.db" >/dev/null 2>&1
for kind in revoked cancelled suspended; do
  cp "$TMP/base.db" "$TMP/$kind.db"
  "$MIAOPI" licences import $R/${kind}_idcard.jsonl --db "$TMP/$kind.db" >/dev/null 2>&1
  run 0 '"decision":"review"' "P03 on a $kind ID card" -- "$MIAOPI" eval $NH $R/p03_app.json --licences "$TMP/$kind.db" --date 2026-09-10
done
run 1 "duplicate_key" "a licence with two statuses is refused" -- "$MIAOPI" licences import $R/licence_dup_status.jsonl --db "$TMP/dup.db"

if [[ $failures -gt 0 ]]; then
  echo "$failures reproducer checks failed"
  exit 1
fi
echo "every reproducer gives a clear error"
