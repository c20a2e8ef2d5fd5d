#!/usr/bin/env bash
# The REPL in a real terminal (tmux): Tab completion of commands, items,
# fields and names, colours, Ctrl-C cancelling a line, Ctrl-D leaving, and
# history kept across runs in the home folder. Exit 77 (skipped) without tmux.
set -u
MIAOPI="$1"
ROOT="$2"
command -v tmux >/dev/null || { echo "tmux is not installed: skipped"; exit 77; }
TMP=$(mktemp -d)
SOCKET="miaopi-repl-test-$$"
T=(tmux -L "$SOCKET" -f /dev/null)
trap '"${T[@]}" kill-server 2>/dev/null; rm -rf "$TMP"' EXIT
failures=0

start() {
  "${T[@]}" kill-server 2>/dev/null
  # A busy machine (ctest runs tests side by side) sometimes loses a fresh
  # tmux server at start-up; try again before calling it a failure.
  for attempt in 1 2 3; do
    "${T[@]}" new-session -d -s repl -x 150 -y 50 \
      "cd '$ROOT' && env -u MIAOPI_HISTORY HOME='$TMP' '$MIAOPI' repl samples/food_sales --date 2026-09-10; echo EXITED \$?; sleep 60" \
      2>"$TMP/tmux.err" && "${T[@]}" has-session -t repl 2>/dev/null && return 0
    echo "tmux did not start (attempt $attempt): $(cat "$TMP/tmux.err")"
    "${T[@]}" kill-server 2>/dev/null
    sleep 1
  done
  return 1
}
screen() { "${T[@]}" capture-pane -t repl -p "$@"; }
keys() { "${T[@]}" send-keys -t repl "$@"; }
wait_for() {  # wait_for PATTERN WHAT: up to 180 s (a sanitized REPL compiles its pack on busy cores)
  for _ in $(seq 1800); do
    screen | grep -qF -- "$1" && return 0
    sleep 0.1
  done
  echo "FAIL: $2: no '$1' on the screen:"
  screen
  failures=$((failures + 1))
  return 1
}

start
wait_for "FS-001>" "the prompt"
keys ":it" Tab
wait_for "FS-001> :item" "Tab completes a command"
keys "FS" Tab Enter
wait_for "item FS-001 " "Tab completes an item code"
keys ":load tests/golden/decide/food_sales/base.json" Enter
wait_for "application loaded" ":load"
keys ":set business.ar" Tab
wait_for ":set business.area_m2" "Tab completes a field path"
keys " = 8" Enter
wait_for "business.area_m2 = 8" ":set"
keys ":decide" Enter
wait_for "AREA  fail" ":decide"
if ! screen -e | grep -q $'\e\[[0-9;]*33m'; then
  echo "FAIL: colours: the review outcome is not yellow"
  screen -e | cat -v | tail -5
  failures=$((failures + 1))
fi
keys "id_number_" Tab
wait_for "id_number_valid(" "Tab lists several candidates"
keys C-u "this line is cancelled" C-c
wait_for "^C" "Ctrl-C"
keys "1 + 1" Enter
wait_for "2  : int" "the session goes on after Ctrl-C"
keys C-d
wait_for "EXITED 0" "Ctrl-D leaves"

if ! grep -q "decide" "$TMP/.miaopi_history" 2>/dev/null; then
  echo "FAIL: history: no ~/.miaopi_history with the commands"
  failures=$((failures + 1))
fi
if grep -q "cancelled" "$TMP/.miaopi_history" 2>/dev/null; then
  echo "FAIL: history: a cancelled line was kept"
  failures=$((failures + 1))
fi
start
wait_for "FS-001>" "the prompt, again"
keys Up
wait_for "FS-001> 1 + 1" "Up recalls the last line of the previous run"
keys C-u C-d
wait_for "EXITED 0" "Ctrl-D leaves, again"

if ((failures)); then
  echo "$failures REPL terminal check(s) failed"
  exit 1
fi
echo "REPL in a terminal: completion, colours, Ctrl-C, Ctrl-D and history work"
