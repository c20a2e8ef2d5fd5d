#!/usr/bin/env bash
# The studio's server side as a process, talked to with curl as a hostile
# page or caller would: it is off unless asked; its API answers only its own
# page (X-Miaopi-Studio, Origin, a loopback Host); no path leaves the scratch
# folder (.., absolute, hidden, links, other kinds of file); bodies have the
# server's limit; publishing refuses a pack with errors and keeps the old one
# serving; behind --tokens only an admin token (header or the sign-in
# cookie) opens it; garbage to every route never takes the server down.
# (tests/studio_browser_test.py drives the page itself in Chromium.)
set -u
MIAOPI="$1"
ROOT="$2"
cd "$ROOT" || exit 1
source "$ROOT/tests/serve_lib.sh"
api() {  # api METHOD PATH [curl args…]: as the page calls it
  local method=$1 path=$2
  shift 2
  status "$method" "/studio/api/$path" -H 'X-Miaopi-Studio: 1' "$@"
}
pack_hash() { curl -s "$URL/v1/pack" | grep -o '"hash":"sha256:[0-9a-f]*"'; }

cp -r rules/nanhai "$TMP/pack"
mkdir -p "$TMP/outside"
echo 'TOP-SECRET-CONTENT-42' >"$TMP/outside/secret.txt"

# ---------------------------------------------------------------- off by default
start_server "$TMP/pack" --listen 127.0.0.1:0 --threads 2 || exit 1
expect_eq "/studio/ without --studio" 404 "$(status GET /studio/)"
expect_eq "/studio/api/state without --studio" 404 "$(api GET state)"
stop_server
# Each refused at start; `timeout` turns a regression (a server that starts) into a failure.
timeout 600 "$MIAOPI" serve "$TMP/pack" --studio-scratch "$TMP/x" --listen 127.0.0.1:0 >/dev/null 2>&1
expect_eq "--studio-scratch without --studio" 2 "$?"
timeout 600 "$MIAOPI" serve "$TMP/pack" --studio --studio-scratch "$TMP/pack/scratch" --listen 127.0.0.1:0 >/dev/null 2>"$TMP/err"
expect_eq "a scratch folder inside the pack" 4 "$?"
grep -q "must be outside the pack folder" "$TMP/err" || fail "the refusal says why: $(cat "$TMP/err")"
[[ ! -e "$TMP/pack/scratch" ]] || fail "the refused scratch folder was made inside the pack"
timeout 600 "$MIAOPI" serve "$TMP/pack" --studio --studio-scratch "$TMP" --listen 127.0.0.1:0 >/dev/null 2>&1
expect_eq "a scratch folder holding the pack" 4 "$?"
timeout 600 "$MIAOPI" serve "$TMP/pack" --studio --studio-samples "$TMP/no-such.jsonl" --listen 127.0.0.1:0 \
  >/dev/null 2>"$TMP/err"
expect_eq "--studio-samples that cannot be read" 4 "$?"
grep -q "not a readable file" "$TMP/err" || fail "the refusal says why: $(cat "$TMP/err")"

# ---------------------------------------------------------------- the page and its guards
start_server "$TMP/pack" --studio --studio-scratch "$TMP/scratch" --listen 127.0.0.1:0 --threads 2 --max-body 200000 ||
  exit 1
HASH=$(pack_hash)
expect_eq "GET /studio" 303 "$(status GET /studio)"
expect_eq "GET /studio/" 200 "$(status GET /studio/)"
grep -q "default-src 'self'" "$TMP/headers" || fail "the page has no Content-Security-Policy"
expect_eq "GET codemirror.js" 200 "$(status GET /studio/assets/cm/codemirror.js)"
expect_eq "GET an asset that is not there" 404 "$(status GET /studio/assets/../../etc/passwd)"
expect_eq "POST an asset" 405 "$(status POST /studio/assets/studio.js)"
expect_eq "unknown studio route" 404 "$(api GET nothing)"
expect_eq "the API without X-Miaopi-Studio" 403 "$(status GET /studio/api/state)"
expect_eq "the API from another origin" 403 "$(api GET state -H 'Origin: http://evil.example')"
expect_eq "the API under another Host (DNS rebinding)" 403 "$(api GET state -H 'Host: evil.example:80')"
expect_eq "the API as the page calls it" 200 "$(api GET state)"
grep -q "\"scratch\":\"$TMP/scratch\"" "$TMP/body" || fail "state names the scratch folder: $(head -c 200 "$TMP/body")"
cmp -s rules/nanhai/p02_senior.rules "$TMP/scratch/p02_senior.rules" || fail "the scratch folder is a copy of the pack"

# ---------------------------------------------------------------- no path leaves the scratch folder
ln -s "$TMP/outside" "$TMP/scratch/linked"
ln -s "$TMP/outside/secret.txt" "$TMP/scratch/secret.txt"
for path in ../outside/secret.txt /etc/passwd "$TMP/outside/secret.txt" .hidden.rules 'a/../../x.rules' \
  linked/secret.txt secret.txt 'x.sh' 'tests//a.json' 'a/b/c/d/e/f/g/h/i.rules' ''; do
  code=$(api GET "file?path=$(printf %s "$path" | sed 's|/|%2F|g')")
  [[ $code == 400 || $code == 404 ]] || fail "GET file $path: $code $(head -c 200 "$TMP/body")"
  grep -q TOP-SECRET "$TMP/body" && fail "GET file $path leaked the file outside"
  code=$(api POST "file?path=$(printf %s "$path" | sed 's|/|%2F|g')" --data-binary 'rule X')
  [[ $code == 400 ]] || fail "POST file $path: $code"
done
expect_eq "the file outside is untouched" TOP-SECRET-CONTENT-42 "$(cat "$TMP/outside/secret.txt")"
[[ -z $(ls "$TMP/outside" | grep -v secret.txt) ]] || fail "something was written outside: $(ls "$TMP/outside")"
expect_eq "delete a file through a link" 400 "$(api POST 'delete?path=secret.txt')"
[[ -f "$TMP/outside/secret.txt" ]] || fail "the linked file was deleted"
rm "$TMP/scratch/linked" "$TMP/scratch/secret.txt"
expect_eq "a badly escaped path" 400 "$(api GET 'file?path=%zz')"
expect_eq "read a scratch file" 200 "$(api GET 'file?path=p02_senior.rules')"
grep -q '"editable":true' "$TMP/body" || fail "a UTF-8 file is editable"
expect_eq "read a file that is not there" 404 "$(api GET 'file?path=nothing%2Fhere.rules')"
printf 'code,name\n1,\xc4\xcf\xba\xa3\r\n' >"$TMP/scratch/tables/gbk.csv"
expect_eq "read a table that is not UTF-8" 200 "$(api GET 'file?path=tables%2Fgbk.csv')"
grep -q '"text":"","editable":false' "$TMP/body" || fail "a GBK table is read-only: $(head -c 200 "$TMP/body")"
rm "$TMP/scratch/tables/gbk.csv"
expect_eq "save a file that is not there" 404 "$(api POST 'file?path=gone.rules&replace=true' --data-binary 'x')"
[[ ! -e "$TMP/scratch/gone.rules" ]] || fail "a save brought a file into being"
expect_eq "create a file that exists" 409 "$(api POST 'file?path=p02_senior.rules&create=true' --data-binary '')"
cmp -s rules/nanhai/p02_senior.rules "$TMP/scratch/p02_senior.rules" || fail "create over an existing file emptied it"
expect_eq "delete a file that is not there" 404 "$(api POST 'delete?path=nothing.rules')"
# A case file nested far deeper than any application may be: an error, never a crash.
{ printf '{"name":"deep","application":'; head -c 150000 /dev/zero | tr '\0' '['; } >"$TMP/deep.json"
expect_eq "a deep case file" 200 "$(api POST 'file?path=tests%2Fdeep.json' --data-binary @"$TMP/deep.json")"
expect_eq "cases with a deep file among them" 200 "$(api GET cases)"
expect_eq "add a deep case" 400 "$(api POST cases --data-binary @"$TMP/deep.json")"
expect_eq "run the cases with a deep file among them" 200 "$(api POST tests)"
grep -q 'tests/deep.json' "$TMP/body" || fail "the deep file is a problem of the run: $(head -c 300 "$TMP/body")"
expect_eq "impact with a deep file among the cases" 200 "$(api POST 'impact?input=cases')"
expect_eq "delete the deep file" 200 "$(api POST 'delete?path=tests%2Fdeep.json')"
expect_eq "alive after the deep files" 200 "$(status GET /healthz)"
head -c 210000 /dev/zero | tr '\0' 'x' >"$TMP/big"
expect_eq "a body over --max-body" 413 "$(api POST 'file?path=big.rules' --data-binary @"$TMP/big")"
[[ ! -e "$TMP/scratch/big.rules" ]] || fail "the body over the limit was written"

# ---------------------------------------------------------------- edits, errors, publish refused
printf 'item "NH-X" "x" {\n  effective @2026-01-01\n  input { a: number }\n  rule R1 "x" require a > "1" else review\n}\n' \
  >"$TMP/bad.rules"
expect_eq "write a rule with an error" 200 "$(api POST 'file?path=items%2Fbad.rules' --data-binary @"$TMP/bad.rules")"
grep -q '"ok":false' "$TMP/body" || fail "the check reports the error: $(head -c 300 "$TMP/body")"
grep -q '"file":"items/bad.rules","line":4' "$TMP/body" || grep -q 'bad.rules","line":4' "$TMP/body" ||
  fail "the diagnostic is at items/bad.rules:4: $(head -c 400 "$TMP/body")"
expect_eq "publish a pack with errors" 422 "$(api POST publish)"
grep -q '"error":"pack_has_errors"' "$TMP/body" || fail "publish refusal: $(head -c 300 "$TMP/body")"
expect_eq "the pack in service after a refused publish" "$HASH" "$(pack_hash)"
[[ ! -e "$TMP/pack/items/bad.rules" ]] || fail "a refused publish wrote into the pack folder"
expect_eq "decide with the last good pack" 200 "$(api POST 'decide?date=2026-09-10' --data-binary '{"item":"NH-P02"}')"
grep -q '"item":"NH-P02","decision":"' "$TMP/body" || fail "decide: $(head -c 300 "$TMP/body")"
expect_eq "decide with a bad date" 400 "$(api POST 'decide?date=2026-02-30' --data-binary '{}')"
expect_eq "decide broken JSON" 200 "$(api POST 'decide' --data-binary '{"item":')"
grep -q '"code":"invalid_json"' "$TMP/body" || fail "broken JSON is an error record: $(head -c 300 "$TMP/body")"
expect_eq "graph of an unknown item" 404 "$(api GET 'graph?item=NOPE')"
expect_eq "delete the bad file" 200 "$(api POST 'delete?path=items%2Fbad.rules')"
grep -q '"ok":true' "$TMP/body" || fail "the pack compiles again: $(head -c 300 "$TMP/body")"
expect_eq "impact over nothing known" 400 "$(api POST 'impact?input=journal')"
expect_eq "add a case without a name" 400 "$(api POST cases --data-binary '{"application":{}}')"
echo '{"not": "an array"}' >"$TMP/scratch/tests/studio_cases.json"
expect_eq "add a case to a file that is not an array" 409 \
  "$(api POST cases --data-binary '{"name":"n","application":{"item":"NH-P02"},"date":"2026-09-10"}')"
rm "$TMP/scratch/tests/studio_cases.json"

# ---------------------------------------------------------------- work it will not do, or not all at once
{
  printf 'item "NH-BIG" "big" {\n  effective @2026-01-01\n  input { a: number }\n'
  for i in $(seq 1 1500); do printf '  rule R%d "r" require a > %d else review\n' "$i" "$i"; done
  printf '}\n'
} >"$TMP/big_item.rules"
expect_eq "an item of 1,500 rules" 200 "$(api POST 'file?path=big_item.rules' --data-binary @"$TMP/big_item.rules")"
expect_eq "its graph is too large to draw" 422 "$(api GET 'graph?item=NH-BIG')"
grep -q '"error":"too_large_to_draw"' "$TMP/body" || fail "too large to draw: $(head -c 300 "$TMP/body")"
expect_eq "one of its rules alone is drawn" 200 "$(api GET 'graph?item=NH-BIG&rule=R7&only=true')"
grep -q '<svg' "$TMP/body" || fail "the rule's graph is SVG: $(head -c 200 "$TMP/body")"
expect_eq "remove the big item" 200 "$(api POST 'delete?path=big_item.rules')"
# Proofs of every property, asked for fourteen times at once: one runs, eight wait, the rest
# are told to come back (503 with Retry-After) — the queue never grows without bound.
rush=()
for i in $(seq 1 14); do
  curl -s -o /dev/null -w '%{http_code}\n' -X POST -H 'X-Miaopi-Studio: 1' "$URL/studio/api/verify?item=NH-P02" >"$TMP/busy.$i" &
  rush+=($!)
done
wait "${rush[@]}"  # the curls only: the server is a child too
busy=$(cat "$TMP"/busy.* | grep -c '^503$')
done_ok=$(cat "$TMP"/busy.* | grep -c '^200$')
[[ $busy -ge 1 && $((busy + done_ok)) -eq 14 && $done_ok -ge 1 ]] ||
  fail "fourteen proofs at once: $done_ok answered, $busy told to come back ($(cat "$TMP"/busy.* | tr '\n' ' '))"
expect_eq "alive after the rush" 200 "$(status GET /healthz)"

# ---------------------------------------------------------------- garbage never takes it down
for route in state file check reset decide cases tests graph verify impact publish delete; do
  for method in GET POST PUT; do
    for body in '' '{' 'null' '[1,2' "$(head -c 3000 /dev/urandom | tr -d '\0')"; do
      code=$(api "$method" "$route?path=%00&item=%ff&date=x&input=%2e%2e" --data-binary "$body")
      [[ $code =~ ^[2-4][0-9][0-9]$ ]] || fail "$method $route with garbage: $code $(head -c 200 "$TMP/body")"
    done
  done
done
expect_eq "alive after the garbage" 200 "$(status GET /healthz)"

# ---------------------------------------------------------------- the pack changed under the edits
cp "$TMP/pack/p03_residence.rules" "$TMP/p03.orig"
echo '# a change deployed while the studio was editing' >>"$TMP/pack/p03_residence.rules"
expect_eq "reload the deployed change" 200 "$(status POST /v1/admin/reload)"
expect_eq "publish over a change it did not see" 409 "$(api POST publish)"
grep -q '"error":"pack_changed"' "$TMP/body" || fail "the refusal says why: $(head -c 300 "$TMP/body")"
grep -q 'deployed while' "$TMP/pack/p03_residence.rules" || fail "a refused publish undid the deployed change"
cp "$TMP/p03.orig" "$TMP/pack/p03_residence.rules"
expect_eq "reload the pack as it was" 200 "$(status POST /v1/admin/reload)"

# ---------------------------------------------------------------- a good publish
sed -i 's/require age_now >= 80 else reject/require age_now >= 81 else reject/' "$TMP/scratch/p02_senior.rules"
expect_eq "check after an edit on disk" 200 "$(api POST check)"
expect_eq "publish" 200 "$(api POST publish)"
NEW=$(grep -o '"hash":"sha256:[0-9a-f]*"' "$TMP/body")
[[ -n $NEW && $NEW != "$HASH" ]] || fail "publish answers the new identity: $(cat "$TMP/body")"
expect_eq "the pack in service is the published one" "$NEW" "$(pack_hash)"
grep -q 'age_now >= 81' "$TMP/pack/p02_senior.rules" || fail "the pack folder holds the edit"
expect_eq "reset" 200 "$(api POST reset)"
grep -q 'age_now >= 81' "$TMP/scratch/p02_senior.rules" || fail "reset copies the pack in service"
stop_server

# ---------------------------------------------------------------- impact over samples and the journal
head -200 samples/nanhai/applications_1000.jsonl >"$TMP/samples.jsonl"
start_server "$TMP/pack" --studio --studio-scratch "$TMP/scratch3" --studio-samples "$TMP/samples.jsonl" \
  --journal "$TMP/journal" --listen 127.0.0.1:0 || exit 1
for i in 1 2 3; do
  status POST '/v1/decide?date=2026-09-10' --data-binary "$(sed -n "${i}p" "$TMP/samples.jsonl")" >/dev/null
done
expect_eq "state offers every input" 200 "$(api GET state)"
grep -q '"impact_inputs":\["cases","samples","journal"\]' "$TMP/body" || fail "impact inputs: $(head -c 300 "$TMP/body")"
sed -i 's/require age_now >= 81 else reject/require age_now >= 79 else reject/' "$TMP/scratch3/p02_senior.rules"
expect_eq "check the edit" 200 "$(api POST check)"
expect_eq "impact over the samples" 200 "$(api POST 'impact?input=samples&date=2026-09-10')"
grep -q '"applications":200,' "$TMP/body" || fail "impact over 200 samples: $(head -c 300 "$TMP/body")"
grep -q '"html":"<!DOCTYPE html>' "$TMP/body" || grep -q '"html":"<!doctype html>' "$TMP/body" ||
  fail "impact carries the report page: $(head -c 300 "$TMP/body")"
expect_eq "impact over the journal" 200 "$(api POST 'impact?input=journal')"
grep -q '"applications":3,' "$TMP/body" || fail "impact over the journal's 3 decisions: $(head -c 300 "$TMP/body")"
stop_server

# ---------------------------------------------------------------- behind tokens
ADMIN=admin-token-1234 DECIDER=decide-token-5678
{
  echo "$(printf %s "$ADMIN" | sha256sum | cut -d' ' -f1) ops admin"
  echo "$(printf %s "$DECIDER" | sha256sum | cut -d' ' -f1) backend decide"
} >"$TMP/tokens"
start_server "$TMP/pack" --studio --studio-scratch "$TMP/scratch2" --tokens "$TMP/tokens" --listen 127.0.0.1:0 || exit 1
expect_eq "the page without a token" 303 "$(status GET /studio/)"
expect_eq "  sends to sign in" /studio/login "$(header Location)"
expect_eq "the sign-in page" 200 "$(status GET /studio/login)"
expect_eq "the API without a token" 401 "$(api GET state)"
expect_eq "the API with a decide token" 403 "$(api GET state -H "Authorization: Bearer $DECIDER")"
expect_eq "the API with an admin token" 200 "$(api GET state -H "Authorization: Bearer $ADMIN")"
expect_eq "sign in with a wrong token" 303 "$(status POST /studio/login --data "token=nope")"
[[ -z $(header Set-Cookie) ]] || fail "a wrong token got a cookie"
expect_eq "  back to sign in" "/studio/login?failed=1" "$(header Location)"
expect_eq "  which says so" 200 "$(status GET "/studio/login?failed=1")"
grep -q "not an admin token" "$TMP/body" || fail "the sign-in page after a wrong token: $(head -c 300 "$TMP/body")"
expect_eq "sign in with a decide token" 303 "$(status POST /studio/login --data "token=$DECIDER")"
[[ -z $(header Set-Cookie) ]] || fail "a decide token got a cookie"
expect_eq "sign in with the admin token" 303 "$(status POST /studio/login --data "token=$ADMIN")"
COOKIE=$(header Set-Cookie)
[[ $COOKIE == *HttpOnly* && $COOKIE == *SameSite=Strict* ]] || fail "the cookie: $COOKIE"
expect_eq "the page with the cookie" 200 "$(status GET /studio/ -H "Cookie: ${COOKIE%%;*}")"
expect_eq "the API with the cookie" 200 "$(api GET state -H "Cookie: ${COOKIE%%;*}")"
expect_eq "the API with a forged cookie" 401 "$(api GET state -H "Cookie: miaopi_studio=forged")"
expect_eq "decisions still need their token" 401 "$(status POST /v1/decide --data-binary '{}')"
stop_server

if ((failures)); then
  echo "$failures failure(s)"
  exit 1
fi
echo "studio: all checks passed"
