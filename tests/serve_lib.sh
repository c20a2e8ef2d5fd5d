# Shared by the shell tests (sourced after `cd ROOT`, with MIAOPI set): a
# temporary folder removed at exit with any server still running, failure
# counting, and — for the tests of `miaopi serve` — starting and stopping a
# server on a free port and requests with curl.
TMP=$(mktemp -d)
PID=""
trap '[[ -n "$PID" ]] && kill -9 "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_eq() {  # expect_eq WHAT EXPECTED ACTUAL
  if [[ "$2" != "$3" ]]; then fail "$1: expected '$2', got '$3'"; fi
}

# launch ARGS… : starts `miaopi ARGS` in the background with its output in
# $TMP/serve.out and $TMP/serve.err, and sets PID. The files are emptied
# first, here: the shell truncates them only in the child, after the fork,
# so a slow child would leave the last server's "listening on" line there
# for wait_listening to find (a sanitized run under load once did).
launch() {
  : >"$TMP/serve.out"
  : >"$TMP/serve.err"
  "$MIAOPI" "$@" >"$TMP/serve.out" 2>"$TMP/serve.err" &
  PID=$!
}

# wait_listening: until the server started as $PID has written its first
# line to $TMP/serve.out, or has exited. Up to 180 s: a sanitized server
# compiling its pack on two cores shared with the rest of the suite (a
# browser, Z3, the scale test) once took more than 20 s to start.
wait_listening() {
  for _ in $(seq 1 3600); do
    if [[ -s "$TMP/serve.out" ]] || ! kill -0 "$PID" 2>/dev/null; then return; fi
    sleep 0.05
  done
}

# start_server ARGS… : starts `miaopi serve ARGS` (give --listen 127.0.0.1:0), sets PID and URL.
start_server() {
  launch serve "$@"
  wait_listening
  local first
  first=$(head -1 "$TMP/serve.out")
  if [[ ! "$first" =~ ^listening\ on\ 127\.0\.0\.1:[0-9]+$ ]]; then
    local state="still running after 180 s"
    kill -0 "$PID" 2>/dev/null || { wait "$PID"; state="exited with code $?"; PID=""; }
    fail "serve $*: first line '$first' ($state)"; cat "$TMP/serve.err"; return 1
  fi
  URL="http://${first#listening on }"
}
stop_server() {
  kill -TERM "$PID"
  wait "$PID"
  local code=$?
  PID=""
  expect_eq "exit code after SIGTERM" 0 "$code"
}
# status METHOD PATH [curl args…] → prints the HTTP status; the body goes to $TMP/body, headers to $TMP/headers
status() {
  local method=$1 path=$2
  shift 2
  curl -s -o "$TMP/body" -D "$TMP/headers" -w '%{http_code}' -X "$method" "$URL$path" "$@"
}
header() { grep -i "^$1:" "$TMP/headers" | head -1 | sed 's/^[^:]*: *//' | tr -d '\r'; }
