#!/usr/bin/env bash
# The engine's libraries link one way only: a library may need symbols of
# the stages below it, never of a stage above (engine/CMakeLists.txt). Static
# libraries do not check this when they are built, so this test reads their
# symbol tables: every miaopi symbol a library leaves undefined must not be
# defined by a library above it.
set -u
LIBDIR="$1"   # the build's engine/ folder
cd "$LIBDIR"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
order=(graph runtime compile licences engine oracles)
for lib in "${order[@]}"; do
  nm -C --defined-only "libmiaopi_$lib.a" | awk '$2 ~ /^[TWBDRV]$/' | cut -c20- | grep miaopi | sort -u >"$TMP/def_$lib"
  nm -C -u "libmiaopi_$lib.a" | sed 's/^ *[Uw] //' | grep miaopi | sort -u >"$TMP/undef_$lib"
done
# above[lib]: the libraries that must not define what lib needs
declare -A above=(
  [graph]="runtime compile licences engine oracles"
  [runtime]="compile licences engine oracles"
  [compile]="licences engine oracles"
  [licences]="compile engine oracles"
  [engine]="oracles"
)
failures=0
for lib in "${!above[@]}"; do
  for up in ${above[$lib]}; do
    wrong=$(comm -12 "$TMP/undef_$lib" "$TMP/def_$up")
    if [[ -n $wrong ]]; then
      echo "FAIL: libmiaopi_$lib needs libmiaopi_$up, a stage above it:"
      head -5 <<<"$wrong" | sed 's/^/  /'
      failures=$((failures + 1))
    fi
  done
done
if ((failures)); then exit 1; fi
echo "link layering: every library needs only the stages below it"
