#!/usr/bin/env bash
# The engine's folders depend on each other in one direction only (see
# engine/README.md and engine/CMakeLists.txt): each folder may include the
# folders listed for it and nothing else. Heavy third-party headers stay out
# of the headers the run time includes unless that code uses them.
set -u
ROOT="$1"
cd "$ROOT"
failures=0

# folder → the engine folders its files may include (besides itself)
declare -A allowed=(
  [include]=""
  [graph]="include"
  [runtime]="include graph"
  [compile]="include graph runtime"
  [licences]="include graph runtime"
  [api]="include graph runtime compile licences"
  [testing]="include graph runtime compile licences api"
)

for folder in "${!allowed[@]}"; do
  while IFS= read -r hit; do
    file=${hit%%:*}
    target=$(sed -E 's|.*#include "engine/([a-z_]+)/.*|\1|' <<<"$hit")
    [[ $target == "$folder" ]] && continue
    if [[ " ${allowed[$folder]} " != *" $target "* ]]; then
      echo "FAIL: $file includes engine/$target/, which engine/$folder/ may not depend on"
      failures=$((failures + 1))
    fi
  done < <(grep -rHE '^#include "engine/' "engine/$folder" --include='*.h' --include='*.cc')
done

# The language's front end never depends on the engine.
if grep -rlE '^#include "engine/' dsl >/dev/null; then
  echo "FAIL: dsl/ includes the engine: $(grep -rlE '^#include "engine/' dsl | tr '\n' ' ')"
  failures=$((failures + 1))
fi

# The engine never depends on the service built over it; only server.cc
# (and the service's process test) include Beast.
if grep -rlE '^#include "service/' engine dsl >/dev/null; then
  echo "FAIL: the engine includes service/: $(grep -rlE '^#include "service/' engine dsl | tr '\n' ' ')"
  failures=$((failures + 1))
fi
for file in $(grep -rlF --include='*.cc' --include='*.h' '#include <boost/beast' engine dsl apps service tests); do
  if [[ $file != service/server.cc && $file != tests/service/serve_process_test.cc ]]; then
    echo "FAIL: $file includes Beast (keep it in service/server.cc)"
    failures=$((failures + 1))
  fi
done

# The journal sits on the engine's public API (and batch's observer and line reader), never
# on its insides; the engine and the language never include the journal.
while IFS= read -r hit; do
  file=${hit%%:*}
  header=$(sed -E 's|.*#include "([^"]+)".*|\1|' <<<"$hit")
  if [[ $header != engine/include/* && $header != engine/api/batch.h && $header != engine/api/chunk_reader.h ]]; then
    echo "FAIL: $file includes $header (the journal uses engine/include/, engine/api/batch.h and engine/api/chunk_reader.h only)"
    failures=$((failures + 1))
  fi
done < <(grep -rHE '^#include "engine/' journal --include='*.h' --include='*.cc')
if grep -rlE '^#include "journal/' engine dsl >/dev/null; then
  echo "FAIL: the engine includes journal/: $(grep -rlE '^#include "journal/' engine dsl | tr '\n' ' ')"
  failures=$((failures + 1))
fi

# scale/ sits on the engine's public API, batch's line decision and the
# journal; nothing below it includes scale/; only its .cc files (and the
# CLI's scale commands) include libnats.
while IFS= read -r hit; do
  file=${hit%%:*}
  header=$(sed -E 's|.*#include "([^"]+)".*|\1|' <<<"$hit")
  if [[ $header != engine/include/* && $header != engine/api/batch.h && $header != journal/* && $header != scale/* ]]; then
    echo "FAIL: $file includes $header (scale/ uses engine/include/, engine/api/batch.h and journal/ only)"
    failures=$((failures + 1))
  fi
done < <(grep -rHE '^#include "' scale --include='*.h' --include='*.cc')
if grep -rlE '^#include "scale/' engine dsl journal service verify >/dev/null; then
  echo "FAIL: a lower layer includes scale/: $(grep -rlE '^#include "scale/' engine dsl journal service verify | tr '\n' ' ')"
  failures=$((failures + 1))
fi
for file in $(grep -rlE --include='*.cc' --include='*.h' '#include <nats/' engine dsl journal service verify scale apps); do
  if [[ $file != scale/*.cc && $file != apps/cli/cmd_scale.cc ]]; then
    echo "FAIL: $file includes libnats (keep it in scale/*.cc)"
    failures=$((failures + 1))
  fi
done

# Only the code that runs regexes includes RE2; only the grammar includes Spirit.
for pattern in '<re2/' '<boost/spirit'; do
  case $pattern in
    '<re2/') expected="engine/graph/graph.cc engine/runtime/kernel.cc engine/testing/reference.cc dsl/check_expressions.cc dsl/decision_check.cc" ;;
    *) expected="" ;;
  esac
  while IFS= read -r file; do
    [[ $pattern == '<boost/spirit' && $file == dsl/parser/* ]] && continue
    if [[ " $expected " != *" $file "* ]]; then
      echo "FAIL: $file includes $pattern"
      failures=$((failures + 1))
    fi
  done < <(grep -rlF "#include $pattern" engine dsl apps)
done

# The studio sits on top, beside the CLI: nothing below it (the service
# included: it knows the studio only as an Extension) includes studio/, and
# only studio/graph_svg.cc includes Graphviz.
if grep -rlE '^#include "studio/' engine dsl journal service verify scale >/dev/null; then
  echo "FAIL: a lower layer includes studio/: $(grep -rlE '^#include "studio/' engine dsl journal service verify scale | tr '\n' ' ')"
  failures=$((failures + 1))
fi
for file in $(grep -rlE --include='*.cc' --include='*.h' '#include <graphviz/' engine dsl journal service verify scale studio apps tests); do
  if [[ $file != studio/graph_svg.cc ]]; then
    echo "FAIL: $file includes Graphviz (keep it in studio/graph_svg.cc)"
    failures=$((failures + 1))
  fi
done

# No header of the run time's hot path pulls in the AST.
for header in engine/graph/graph.h engine/graph/value.h engine/runtime/kernel.h engine/runtime/eval_node.h \
              engine/runtime/sweep.h engine/runtime/request.h; do
  if grep -q '#include "dsl/ast.h"' "$header"; then
    echo "FAIL: $header includes dsl/ast.h"
    failures=$((failures + 1))
  fi
done

if ((failures)); then
  echo "$failures layering problem(s)"
  exit 1
fi
echo "layering: every include goes down the stages"
