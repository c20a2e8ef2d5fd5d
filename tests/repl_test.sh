#!/usr/bin/env bash
# Scripted REPL sessions against golden transcripts: each
# tests/golden/repl/NAME.script is fed to `miaopi repl --echo` (its first
# lines say how: "# args: PACK --date …" and optionally "# licences: FILE.jsonl"),
# run from the repository root; NAME.out holds the transcript and the exit
# code. MIAOPI_UPDATE_GOLDEN=1 rewrites the .out files (review the diff).
# A third argument runs that one transcript (ctest runs each by name).
set -u
MIAOPI="$1"
ROOT="$2"
ONLY="${3:-}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$ROOT" || exit 1
failures=0
for script in tests/golden/repl/*.script; do
  name=$(basename "$script" .script)
  [[ -n "$ONLY" && "$name" != "$ONLY" ]] && continue
  args=$(sed -n 's/^# args: //p' "$script")
  licences=$(sed -n 's/^# licences: //p' "$script")
  extra=()
  if [[ -n "$licences" ]]; then
    rm -f "$TMP/$name.db"
    "$MIAOPI" licences import "$licences" --db "$TMP/$name.db" >/dev/null || { echo "FAIL $name: licences"; failures=$((failures + 1)); continue; }
    extra=(--licences "$TMP/$name.db")
  fi
  # shellcheck disable=SC2086
  MIAOPI_HISTORY=/dev/null "$MIAOPI" repl $args "${extra[@]}" --echo <"$script" >"$TMP/$name.out" 2>&1
  echo "exit $?" >>"$TMP/$name.out"
  expected="tests/golden/repl/$name.out"
  if [[ "${MIAOPI_UPDATE_GOLDEN:-}" == 1 ]]; then
    cp "$TMP/$name.out" "$expected"
  elif ! diff -u "$expected" "$TMP/$name.out"; then
    echo "FAIL $name: the transcript differs from $expected"
    failures=$((failures + 1))
  fi
done
if ((failures)); then
  echo "$failures REPL transcript(s) differ"
  exit 1
fi
echo "REPL transcripts: all match"
